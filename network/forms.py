from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.forms import DATETIME_LOCAL, DateTimeField, HttpsURLField

from . import selectors
from .models import (
    Cohort,
    Discipline,
    Event,
    MatchStatus,
    Membership,
    Organisation,
    Seniority,
    Topic,
)


class ApplicationForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    organisation = forms.ModelChoiceField(
        label=_("Your organisation"),
        queryset=Organisation.objects.filter(is_member=True),
        empty_label=_("Choose your organisation"),
    )
    role = forms.CharField(
        label=_("Your job title"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    seniority = forms.TypedChoiceField(
        label=_("Your level"), choices=Seniority.choices, coerce=int, widget=forms.RadioSelect
    )
    discipline = forms.ChoiceField(
        label=_("Your discipline"), choices=Discipline.choices, widget=forms.RadioSelect
    )
    statement = forms.BooleanField(
        label=_("I am a woman, non-binary or gender-nonconforming"),
        help_text=_(
            "The network is for women, non-binary and gender-nonconforming people. "
            "We take your word for it."
        ),
        error_messages={
            "required": _("Confirm that you are a woman, non-binary or gender-nonconforming")
        },
    )


class ProfileForm(forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(
        label=_("Mentoring topics"),
        help_text=_("What you can mentor in, or would like mentoring in."),
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Membership
        fields = [
            "name", "role", "organisation", "seniority", "discipline", "bio",
            "listed", "show_email", "show_role", "show_organisation", "show_seniority", "show_bio",
            "offers_mentoring", "seeks_mentoring", "topics", "mentee_capacity",
            "prefers_other_organisation", "receives_optional_email",
        ]  # fmt: skip
        widgets = {"seniority": forms.RadioSelect, "discipline": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # As on applying: member organisations only, though a member whose organisation has
        # since left the network can keep it.
        self.fields["organisation"].queryset = Organisation.objects.filter(
            Q(is_member=True) | Q(pk=self.instance.organisation_id)
        )

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("offers_mentoring") or cleaned.get("seeks_mentoring")) and not cleaned.get(
            "topics"
        ):
            self.add_error("topics", _("Choose at least one topic to mentor or be mentored in"))
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the applicant (optional; required to decline)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("message", "").strip():
            self.add_error("message", _("Say why, so that the applicant hears it from a person"))
        return cleaned


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = [
            "course_name", "provider", "starts_on", "weeks", "cost_per_place", "capacity",
            "network_funded_places", "funded_per_organisation", "target_per_organisation",
        ]  # fmt: skip
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"})}


class NominateForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Nominate a member"),
        queryset=Membership.objects.none(),
        empty_label=_("Choose a member"),
    )

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            Membership.objects.filter(status="approved")
            .exclude(
                places__cohort=cohort,
                places__status__in=["nominated", "confirmed", "waiting", "completed"],
            )
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
        self.fields["member"].label_from_instance = lambda m: f"{m.name} ({m.organisation})"


class SessionForm(forms.Form):
    starts_at = DateTimeField(label=_("Starts"), widget=DATETIME_LOCAL)
    ends_at = DateTimeField(label=_("Ends"), widget=DATETIME_LOCAL)
    location = forms.CharField(label=_("Place"), required=False, max_length=300)
    online_url = HttpsURLField(label=_("Online link"), required=False)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("starts_at")
            and cleaned.get("ends_at")
            and cleaned["ends_at"] <= cleaned["starts_at"]
        ):
            self.add_error("ends_at", _("The session must end after it starts."))
        return cleaned


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=_("Who attended"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = people


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "description",
            "mode",
            "format",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "capacity",
        ]
        widgets = {
            "starts_at": DATETIME_LOCAL,
            "ends_at": DATETIME_LOCAL,
            "mode": forms.RadioSelect,
            "format": forms.RadioSelect,
        }

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("starts_at")
            and cleaned.get("ends_at")
            and cleaned["ends_at"] <= cleaned["starts_at"]
        ):
            self.add_error("ends_at", _("The event must end after it starts."))
        mode = cleaned.get("mode")
        if mode in ("in_person", "hybrid") and not cleaned.get("location"):
            self.add_error("location", _("Give the place for an in-person or hybrid event"))
        if mode in ("online", "hybrid") and not cleaned.get("online_url"):
            self.add_error("online_url", _("Give the link for an online or hybrid event"))
        return cleaned


class ChangeMentorForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=Membership.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = Membership.objects.filter(
            status="approved", offers_mentoring=True
        ).order_by("name")


class SwapMentorsForm(forms.Form):
    first = forms.ModelChoiceField(
        label=_("First pair"), queryset=Membership.objects.none(), empty_label=_("Choose a pair")
    )
    second = forms.ModelChoiceField(
        label=_("Second pair"), queryset=Membership.objects.none(), empty_label=_("Choose a pair")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            self.fields[name].queryset = selectors.matches(status=MatchStatus.PROPOSED)
            self.fields[name].label_from_instance = lambda match: (
                gettext("%(mentor)s to mentor %(mentee)s")
                % {"mentor": match.mentor, "mentee": match.mentee}
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("first") and cleaned.get("first") == cleaned.get("second"):
            self.add_error("second", _("Choose a different pair from the first"))
        return cleaned
