"""The employer survey form, the job advert checker form, and staff forms. Validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .advert_checker import MAX_LENGTH
from .models import Apprenticeships, Employer, OptionKind, Sector, SizeBand, Survey

CHECKBOXES = forms.CheckboxSelectMultiple
RANK_WORDS = {
    1: _("1st, the most important"),
    2: _("2nd"),
    3: _("3rd"),
    4: _("4th"),
    5: _("5th"),
}


class SurveyForm(forms.Form):
    """One page, in fieldsets. ``complete=True`` (submitting) asks for every answer the
    commission needs; saving a draft checks only that what is there makes sense."""

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

    def __init__(self, *args, survey: Survey, complete: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.complete = complete
        for field, kind in (
            ("barriers", OptionKind.BARRIER),
            ("changes", OptionKind.CHANGE),
            ("offers", OptionKind.OFFER),
        ):
            self.fields[field].choices = [
                (str(o.pk), o.label) for o in survey.options.all() if o.kind == kind and o.is_active
            ]
        skills = [
            ("", _("Choose a skill")),
            *((str(s.pk), s.name) for s in survey.skills.all() if s.is_active),
        ]
        skills.append(("other", _("Other (write it in below)")))
        for rank in range(1, 6):
            self.fields[f"rank_{rank}"].choices = skills

    def rank_fields(self):
        return [self[f"rank_{rank}"] for rank in range(1, 6)]

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(f"rank_{rank}", "") for rank in range(1, 6)]
        seen = {}
        for rank, value in enumerate(chosen, start=1):
            if value and value in seen:
                self.add_error(
                    f"rank_{rank}",
                    _("You chose this skill at rank %(first)s already; choose a different one")
                    % {"first": seen[value]},
                )
            seen.setdefault(value, rank)
            if not value and any(chosen[rank:]):
                self.add_error(
                    f"rank_{rank}",
                    _("Choose a skill for rank %(rank)s, or move the ones below it up")
                    % {"rank": rank},
                )
        if "other" in chosen and not cleaned.get("other_skill", "").strip():
            self.add_error("other_skill", _("Write in the other skill you chose"))
        if cleaned.get("other_skill", "").strip() and "other" not in chosen:
            self.add_error(
                "other_skill", _("Choose “Other” at one of the ranks, or clear this box")
            )
        if self.complete:
            self._require_complete(cleaned, chosen)
        return cleaned

    def _require_complete(self, cleaned, chosen):
        if not cleaned.get("barriers") and not cleaned.get("barriers_other", "").strip():
            self.add_error("barriers", _("Select at least one barrier, or describe it"))
        if not cleaned.get("changes") and not cleaned.get("changes_other", "").strip():
            self.add_error("changes", _("Select at least one change, or describe it"))
        if not chosen[0]:
            self.add_error("rank_1", _("Choose at least the most important skill"))
        if not cleaned.get("apprenticeships"):
            self.add_error("apprenticeships", _("Say whether you offer apprenticeships"))


class AdvertForm(forms.Form):
    advert = forms.CharField(
        label=_("Paste the job advert"),
        help_text=_("Up to 20,000 characters. Nothing you paste is stored."),
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        max_length=MAX_LENGTH,
        error_messages={
            "required": _("Paste the text of a job advert to check"),
            "max_length": _(
                "The advert can be at most 20,000 characters (it has %(show_value)d). "
                "Check it in parts."
            ),
        },
    )


DATETIME_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "opens_at", "closes_at", "introduction", "privacy_notice", "activity"]
        widgets = {"opens_at": DATETIME_LOCAL, "closes_at": DATETIME_LOCAL}

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The survey must close after it opens."))
        return cleaned


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
    email = forms.EmailField(label=_("Send the invitation to"))

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
    )
    label = forms.CharField(label=_("Answer or skill"), max_length=200)
    is_active = forms.BooleanField(label=_("Offer it"), required=False, initial=True)


class FindingsForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of findings"),
        help_text=_("Shown above the published figures. Do not name organisations."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
