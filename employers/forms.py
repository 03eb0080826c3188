"""The employer survey form, the job advert checker form, and staff forms. Validation only."""

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from common.forms import EmailField
from surveys.forms import QuestionnaireSettingsForm

from .adverts import MAX_LENGTH
from .adverts.documents import CannotRead, read_advert
from .models import (
    Apprenticeships,
    Employer,
    EmployerResponse,
    OptionKind,
    Sector,
    SizeBand,
    Survey,
)

CHECKBOXES = forms.CheckboxSelectMultiple
RANK_WORDS = {
    1: _("1st, the most important"),
    2: _("2nd"),
    3: _("3rd"),
    4: _("4th"),
    5: _("5th"),
}


class SurveyForm(forms.Form):
    """One page, in fieldsets. The form checks only the shape of each answer; the rules
    (no skill twice, no gaps in the ranks, what submitting needs) are the service's, and
    the view shows the service's errors on this form."""

    barriers = forms.MultipleChoiceField(
        label=_("What makes it hard to recruit local people into digital tech roles?"),
        help_text=_("Select all that apply."),
        widget=CHECKBOXES,
        required=False,
    )
    barriers_other = forms.CharField(
        label=_("Other barriers (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    changes = forms.MultipleChoiceField(
        label=_("What changes would help you recruit locally?"),
        help_text=_("Select all that apply."),
        widget=CHECKBOXES,
        required=False,
    )
    changes_other = forms.CharField(
        label=_("Other changes you would ask for (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    rank_1 = forms.ChoiceField(label=RANK_WORDS[1], required=False)
    rank_2 = forms.ChoiceField(label=RANK_WORDS[2], required=False)
    rank_3 = forms.ChoiceField(label=RANK_WORDS[3], required=False)
    rank_4 = forms.ChoiceField(label=RANK_WORDS[4], required=False)
    rank_5 = forms.ChoiceField(label=RANK_WORDS[5], required=False)
    other_skill = forms.CharField(
        label=_("The other skill, if you chose “Other” above"), required=False, max_length=150
    )
    entry_level_roles = forms.CharField(
        label=_("Which entry-level roles do you offer, or plan to? (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    apprenticeships = forms.ChoiceField(
        label=_("Do you offer apprenticeships?"),
        choices=Apprenticeships.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    offers = forms.MultipleChoiceField(
        label=_("What would your organisation offer local residents?"),
        help_text=_("Select all that apply."),
        widget=CHECKBOXES,
        required=False,
    )
    offers_other = forms.CharField(
        label=_("Anything else you would offer (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    contact_name = forms.CharField(
        label=_("Your name (optional)"),
        help_text=_("So that the commission can follow up your offers."),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def __init__(self, *args, survey: Survey, response: EmployerResponse | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # A retired option or skill stays a choice for a response that already chose it,
        # so saving the draft again does not quietly drop the answer.
        kept_options, kept_skills = set(), set()
        if response is not None:
            kept_options = {o.pk for o in response.options.all()}
            kept_skills = {r.skill_id for r in response.ranks.all() if r.skill_id}
        for field, kind in (
            ("barriers", OptionKind.BARRIER),
            ("changes", OptionKind.CHANGE),
            ("offers", OptionKind.OFFER),
        ):
            self.fields[field].choices = [
                (str(o.pk), _label(o.label, o.is_active))
                for o in survey.options.all()
                if o.kind == kind and (o.is_active or o.pk in kept_options)
            ]
        skills = [
            ("", _("Choose a skill")),
            *(
                (str(s.pk), _label(s.name, s.is_active))
                for s in survey.skills.all()
                if s.is_active or s.pk in kept_skills
            ),
            ("other", _("Other (write it in below)")),
        ]
        for rank in range(1, 6):
            self.fields[f"rank_{rank}"].choices = skills
        # A draft may leave them empty, but submitting needs them (the service's rule),
        # so they are not marked "(optional)"; nor is the write-in, needed with "Other".
        for name in ("barriers", "changes", "rank_1", "apprenticeships", "other_skill"):
            self.fields[name].answer_expected = True

    @classmethod
    def from_answers(cls, answers: dict, **kwargs) -> "SurveyForm":
        """The form filled in with saved answers (``selectors.answers_of``) as if they had
        just been sent, so that what is missing can be shown beside each question."""
        data = MultiValueDict()
        for name, value in answers.items():
            data.setlist(name, value if isinstance(value, list) else [value])
        return cls(data, **kwargs)

    def rank_fields(self):
        return [self[f"rank_{rank}"] for rank in range(1, 6)]


def _label(text: str, is_active: bool) -> str:
    if is_active:
        return text
    return _("%(answer)s (no longer offered)") % {"answer": text}


class AdvertForm(forms.Form):
    """A job advert, pasted or uploaded; ``cleaned_data["text"]`` is what is checked. With
    ``uploads_allowed`` false (the client uploaded too many), a file is refused unread."""

    advert = forms.CharField(
        label=_("Paste the job advert"),
        # MAX_LENGTH, written out: a lazy translation cannot be filled in here.
        help_text=_("Up to 20,000 characters."),
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        max_length=MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": _(
                "The advert can be at most 20,000 characters (it has %(show_value)d). "
                "Check it in parts."
            ),
        },
    )
    document = forms.FileField(
        label=_("Or upload the advert"),
        help_text=_("A Word document (.docx) or a PDF, up to 5 MB."),
        required=False,
        widget=forms.FileInput(
            attrs={
                "accept": ".docx,.pdf,application/pdf,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
    )

    def __init__(self, *args, uploads_allowed=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.uploads_allowed = uploads_allowed

    def clean(self):
        cleaned = super().clean()
        text, document = cleaned.get("advert", "").strip(), cleaned.get("document")
        if "advert" in self.errors or "document" in self.errors:
            return cleaned
        if document and text:
            self.add_error("document", _("Paste the advert or upload it, not both."))
        elif document and not self.uploads_allowed:
            self.add_error(
                "document",
                _(
                    "You have uploaded many adverts in a few minutes. Wait a few minutes, or "
                    "paste the text."
                ),
            )
        elif document:
            self._read(document, cleaned)
        elif text:
            cleaned["text"] = text
        else:
            self.add_error("advert", _("Paste the text of a job advert to check, or upload it"))
        return cleaned

    def _read(self, document, cleaned):
        try:
            cleaned["text"] = read_advert(document)
        except CannotRead as refused:
            self.add_error("document", str(refused))
            return
        if len(cleaned["text"]) > MAX_LENGTH:
            self.add_error(
                "document",
                _(
                    "The advert in this file has more than %(most)s characters, as many as the "
                    "checker takes. Check it in parts, by pasting."
                )
                % {"most": f"{MAX_LENGTH:,}"},
            )


class SurveySettingsForm(QuestionnaireSettingsForm):
    close_after_open = _("The survey must close after it opens.")

    class Meta(QuestionnaireSettingsForm.Meta):
        model = Survey


class InviteForm(forms.Form):
    employer = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Employer.objects.all(),
        required=False,
        empty_label=_("A new organisation (fill in below)"),
    )
    name = forms.CharField(label=_("New organisation's name"), required=False, max_length=200)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("Choose a sector")), *Sector.choices], required=False
    )
    size_band = forms.ChoiceField(
        label=_("Size"), choices=[("", _("Choose a size")), *SizeBand.choices], required=False
    )
    in_borough = forms.BooleanField(label=_("Based in the borough"), required=False)
    email = EmailField(
        label=_("Send the invitation to"),
        error_messages={"required": _("Enter the email address to send the invitation to")},
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("employer"):
            for field, message in (
                ("name", _("Choose an organisation, or enter the new one's name")),
                ("sector", _("Choose the new organisation's sector")),
                ("size_band", _("Choose the new organisation's size")),
            ):
                if not cleaned.get(field):
                    self.add_error(field, message)
        return cleaned


class ListItemForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("List"),
        choices=[*OptionKind.choices, ("skill", _("Skill for an entry-level role"))],
        error_messages={"required": _("Select the list to add to")},
    )
    label = forms.CharField(
        label=_("Answer or skill"),
        max_length=200,
        error_messages={"required": _("Enter the answer or skill as employers will see it")},
    )
    is_active = forms.BooleanField(label=_("Offer it"), required=False, initial=True)


class FindingsForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of findings"),
        help_text=_("Shown above the published figures. Do not name organisations."),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        error_messages={"required": _("Enter a summary of the findings")},
    )
