"""What a person can type is bounded and every rule the database holds speaks plain English.

Every text field of every form the portal defines has a length limit (the admin's forms
come from the models, so every editable text column has one too), and every database
constraint carries a message of its own rather than Django's "Constraint … is violated."
"""

import datetime
import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.db import models

from common.validators import EARLIEST_YEAR, LATEST_YEAR, within_service_years

PORTAL_APPS = [
    "accounts", "common", "surveys", "reporting", "notifications", "home",
    "milestones", "consultation", "employers", "network",
]  # fmt: skip


def _portal_forms(modules=("forms",)):
    for app in PORTAL_APPS:
        for name in modules:
            try:
                module = importlib.import_module(f"{app}.{name}")
            except ModuleNotFoundError:
                continue
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def _portal_models():
    return [m for m in apps.get_models() if m._meta.app_label in PORTAL_APPS]


def test_every_text_field_of_every_form_has_a_length_limit():
    unbounded = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _portal_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]
    assert unbounded == []


def test_every_required_field_says_what_to_do_when_left_empty():
    """GOV.UK error messages say what to do about the one question they sit beside ("Enter
    a title for the meeting"); Django's "This field is required." said it five times over
    on one page without naming any."""
    default = str(forms.Field.default_error_messages["required"])
    generic = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _portal_forms(("forms", "filters"))
        for name, field in form.base_fields.items()
        if field.required and str(field.error_messages["required"]) == default
    ]
    assert generic == []


def test_every_editable_text_column_has_a_length_limit():
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for model in _portal_models()
        for field in model._meta.fields
        if isinstance(field, models.TextField) and field.editable and field.max_length is None
    ]
    assert unbounded == []


def test_every_database_constraint_has_a_message_of_its_own():
    generic = [
        f"{model._meta.label}: {constraint.name}"
        for model in _portal_models()
        for constraint in model._meta.constraints
        if constraint.violation_error_message == constraint.default_violation_error_message
    ]
    assert generic == []


def test_constraint_messages_are_placed_beside_fields_the_model_has():
    for model in _portal_models():
        names = {c.name for c in model._meta.constraints}
        for constraint, field in getattr(model, "constraint_fields", {}).items():
            assert constraint in names, f"{model._meta.label} has no constraint {constraint}"
            model._meta.get_field(field)


@pytest.mark.parametrize("year", [1, 1999, 2101, 9999])
def test_dates_outside_the_service_years_are_refused(year):
    with pytest.raises(forms.ValidationError) as refused:
        within_service_years(datetime.date(year, 12, 31))
    assert refused.value.messages == [f"Enter a date between {EARLIEST_YEAR} and {LATEST_YEAR}"]
