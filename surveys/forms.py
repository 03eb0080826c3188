from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DATETIME_LOCAL

from .models import SETTINGS_FIELDS


class QuestionnaireSettingsForm(forms.ModelForm):
    """A questionnaire's settings; subclasses name the model and say, in their own words,
    that it must close after it opens (``close_after_open``)."""

    close_after_open: str

    class Meta:
        fields = SETTINGS_FIELDS
        widgets = {"opens_at": DATETIME_LOCAL, "closes_at": DATETIME_LOCAL}
        error_messages = {
            "title": {"required": _("Enter a title")},
            "opens_at": {"required": _("Enter the date and time it opens")},
            "closes_at": {"required": _("Enter the date and time it closes")},
            "introduction": {"required": _("Enter an introduction for the start page")},
            "privacy_notice": {"required": _("Enter the privacy notice")},
        }

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", self.close_after_open)
        return cleaned
