"""The helpers every app's services and views share."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from common.forms import add_service_errors
from common.services import model_update
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_model_update_changes_only_what_may_be_changed_and_validates_first():
    user = make_user("ada@example.org")
    model_update(user, {"full_name": "Ada Lovelace"}, editable=("full_name", "email"))
    user.refresh_from_db()
    assert user.full_name == "Ada Lovelace"

    with pytest.raises(TypeError, match="Not editable: is_superuser"):
        model_update(user, {"is_superuser": True}, editable=("full_name",))
    with pytest.raises(ValidationError) as bad:
        model_update(user, {"email": "not an address"}, editable=("email",))
    assert "email" in bad.value.message_dict
    user.refresh_from_db()
    assert (user.email, user.is_superuser) == ("ada@example.org", False)


class NameForm(forms.Form):
    name = forms.CharField()


def test_service_errors_go_beside_their_fields_or_at_the_top():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"name": "Too short.", "other": "Not here."}))
    assert form.errors == {"name": ["Too short."], "__all__": ["Not here."]}

    # A service's error that names no field (the survey has closed, say) is no 500.
    form = NameForm({"name": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError("The survey has closed."))
    assert form.non_field_errors() == ["The survey has closed."]
