from django import forms
from django.utils.translation import gettext_lazy as _

from .replies import Answer


class ReplyForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Will you come?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether you will come")},
    )
