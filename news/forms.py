from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DateInputField
from consultation.models import NewsTopic

from .models import Opportunity


class OpportunityForm(forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics (optional)"),
        help_text=_(
            "Residents who chose any of these hear of it, with those who chose everything. "
            "Choose none to send it to every resident who asked for news."
        ),
        # Topics a feature sends its own news on (progress on recommendations) are not
        # opportunities' topics.
        queryset=NewsTopic.objects.filter(is_active=True, key__isnull=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    topics.answer_expected = True  # says "(optional)" itself

    class Meta:
        model = Opportunity
        fields = ["title", "text", "link", "closes_on", "topics", "to_residents", "to_members"]
        field_classes = {"closes_on": DateInputField}
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "text": _("Plain words: what it is, who it is for, how to take part."),
            "closes_on": _("For example, 27 3 2027. Leave empty if it does not close."),
        }
        error_messages = {
            "title": {"required": _("Enter a title")},
            "text": {"required": _("Say what the opportunity is")},
        }

    def __init__(self, *args, user, **kwargs):
        """Only the audiences ``user`` may write to are offered; one they may not is left
        unticked."""
        super().__init__(*args, **kwargs)
        self.fixed = {}
        for field, perm in (
            ("to_residents", "news.send_to_residents"),
            ("to_members", "news.send_to_members"),
        ):
            if not user.has_perm(perm):
                del self.fields[field]
                self.fixed[field] = False
        if "to_residents" not in self.fields:
            del self.fields["topics"]  # topics choose among residents

    def service_arguments(self) -> dict:
        data = {**self.cleaned_data, **self.fixed}
        data["topics"] = list(data.pop("topics", []))
        return data
