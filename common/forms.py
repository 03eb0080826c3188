"""Form pieces every app's forms share."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from .validators import https_only, within_service_years

# The longest address an EmailField model keeps (RFC 5321's path limit). Django's form
# validator allows up to 320, so a form field left at its default takes addresses the
# database cannot keep.
EMAIL_MAX_LENGTH = 254


class EmailField(forms.EmailField):
    """An email address no longer than the portal can keep, with a message that says so."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", EMAIL_MAX_LENGTH)
        super().__init__(**kwargs)
        self.error_messages["max_length"] = _(
            "Enter an email address of %(limit_value)d characters or fewer"
        )


class HttpsURLField(forms.URLField):
    """A link that must be https; a bare "example.org" is read as https://example.org."""

    default_validators = [https_only]

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)


class DateTimeField(forms.DateTimeField):
    """A date and time within the years the portal plans and records things in."""

    default_validators = [within_service_years]


# The largest id a database row can have (a 64-bit signed integer).
MAX_ID = 2**63 - 1


def id_from(text: str | None) -> int | None:
    """The row id written in ``text`` (a query parameter, say), or None if it cannot be one:
    not a whole number, not positive, or too large for the database to compare."""
    if not text or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


# A date and time in one native control; the format is the one the control reads and writes.
DATETIME_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class _DatePartsBase(forms.MultiWidget):
    """Day, month and year, each with its label (``labels``), in one fieldset."""

    template_name = "includes/widgets/date_parts.html"
    use_fieldset = True
    labels: tuple

    def id_for_label(self, id_):
        # The fieldset's legend names the group; each part has a label of its own.
        return ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], self.labels, strict=True):
            subwidget["label"] = label
        return context


class DateInputWidget(_DatePartsBase):
    """GOV.UK's date input: day, month and year as three labelled text boxes. GOV.UK
    advises against the browser's date picker, which many people and assistive
    technologies find hard to use."""

    labels = (_("Day"), _("Month"), _("Year"))

    def __init__(self, attrs=None):
        def number(width):
            return forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input govuk-input--width-{width}",
                    "inputmode": "numeric",
                    "maxlength": width,
                }
            )

        super().__init__({"day": number(2), "month": number(2), "year": number(4)}, attrs)

    def decompress(self, value):
        if value is None:
            return [None, None, None]
        return [value.day, value.month, value.year]


class DateInputField(forms.MultiValueField):
    """A date as GOV.UK asks for one (``DateInputWidget``), within the service's years."""

    widget = DateInputWidget
    default_validators = [within_service_years]
    default_error_messages = {
        "incomplete": _("Enter a day, a month and a year"),
        "invalid": _("Enter a real date, like 27 3 2027"),
    }

    def __init__(self, **kwargs):
        number = {"error_messages": {"invalid": self.default_error_messages["invalid"]}}
        fields = (
            forms.IntegerField(min_value=1, max_value=31, **number),
            forms.IntegerField(min_value=1, max_value=12, **number),
            forms.IntegerField(min_value=1, max_value=9999, **number),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or all(v in (None, "") for v in data_list):
            return None
        if any(v in (None, "") for v in data_list):
            raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
        day, month, year = data_list
        try:
            return datetime.date(year, month, day)
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class DatePartsWidget(_DatePartsBase):
    """Day (optional), month and year as three labelled inputs in one fieldset."""

    labels = (_("Day (optional)"), _("Month"), _("Year"))

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.NumberInput(
                attrs={"class": "govuk-date-input__input govuk-input--width-2", "min": 1, "max": 31}
            ),
            "month": forms.Select(
                attrs={"class": "govuk-date-input__input"},
                choices=[("", _("Month")), *MONTHS.items()],
            ),
            "year": forms.NumberInput(
                attrs={
                    "class": "govuk-date-input__input govuk-input--width-4",
                    "min": 2000,
                    "max": 2100,
                }
            ),
        }
        super().__init__(widgets, attrs)

    def get_context(self, name, value, attrs):
        # MultiWidget takes any tuple as already split into parts; a (date, precision)
        # pair is not, so split it here.
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], datetime.date):
            value = self.decompress(value)
        return super().get_context(name, value, attrs)

    def decompress(self, value):
        if value is None:
            return [None, None, None]
        day, precision = value
        return [day.day if precision == "day" else None, day.month, day.year]


class DatePartsField(forms.MultiValueField):
    """A date given either as a month and year, or as an exact day.

    Cleans to ``(date, precision)``: leaving the day empty means the month is all that is
    known, and the date is stored as the first of the month with precision "month".
    """

    widget = DatePartsWidget

    default_error_messages = {
        "incomplete": _("Enter a month and a year."),
        "invalid": _("Enter a real date."),
    }

    def __init__(self, **kwargs):
        fields = (
            forms.IntegerField(min_value=1, max_value=31, required=False),
            forms.IntegerField(min_value=1, max_value=12),
            forms.IntegerField(min_value=2000, max_value=2100),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or all(v in (None, "") for v in data_list):
            return None
        day, month, year = data_list
        if month in (None, "") or year in (None, ""):
            raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
        try:
            if day in (None, ""):
                return datetime.date(year, month, 1), "month"
            return datetime.date(year, month, day), "day"
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


def saved_or_errors(form: forms.BaseForm, save):
    """Run ``save`` (a service call) for a valid form and return what it returns; if the
    service refuses (a ValidationError), show why on the form and return None."""
    try:
        return save()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: each message beside its field where the
    form has that field (and so in the error summary), otherwise at the top of the form."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages in error.message_dict.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
