from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.forms import DATETIME_LOCAL, DateInputField, DateTimeField, HttpsURLField

from . import selectors, services
from .models import (
    Cohort,
    Discipline,
    EvaluationAnswer,
    Event,
    MatchStatus,
    Membership,
    MentoringCheckIn,
    MentoringFeedback,
    Organisation,
    Seniority,
    Topic,
)


class ApplicationForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Your organisation"),
        queryset=Organisation.objects.filter(is_member=True),
        empty_label=_("Choose your organisation"),
        error_messages={
            "required": _("Select your organisation"),
            "invalid_choice": _("Select your organisation from the list"),
        },
    )
    role = forms.CharField(
        label=_("Your job title"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        error_messages={"required": _("Enter your job title")},
    )
    seniority = forms.TypedChoiceField(
        label=_("Your level"),
        choices=Seniority.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select your level")},
    )
    discipline = forms.ChoiceField(
        label=_("Your discipline"),
        choices=Discipline.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select your discipline")},
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
        help_text=_(
            "What you can mentor in, or would like mentoring in. Choose at least one if you "
            "mentor or would like a mentor."
        ),
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    topics.answer_expected = True  # required of mentors and mentees (``clean``)

    class Meta:
        model = Membership
        # In the order the page asks them, so that the error summary follows the page.
        fields = [
            "name", "role", "organisation", "seniority", "discipline", "bio",
            "offers_mentoring", "mentee_capacity", "seeks_mentoring", "topics",
            "prefers_other_organisation",
            "listed", "show_email", "show_role", "show_organisation", "show_seniority", "show_bio",
            "receives_optional_email",
        ]  # fmt: skip
        widgets = {
            "seniority": forms.RadioSelect,
            "discipline": forms.RadioSelect,
            "mentee_capacity": forms.NumberInput(
                attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}
            ),
        }
        help_texts = {"mentee_capacity": _("From 1 to 5.")}
        error_messages = {
            "organisation": {
                "required": _("Select your organisation"),
                "invalid_choice": _("Select your organisation from the list"),
            },
            "seniority": {"required": _("Select your level")},
            "discipline": {"required": _("Select your discipline")},
            "mentee_capacity": {
                "required": _("Enter how many mentees you can take, from 1 to 5"),
                "invalid": _("Enter how many mentees you can take as a number, like 2"),
                "min_value": _("Enter how many mentees you can take, from 1 to 5"),
                "max_value": _("You can take at most five mentees."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # As on applying: member organisations only, though a member whose organisation has
        # since left the network can keep it.
        self.fields["organisation"].queryset = Organisation.objects.filter(
            Q(is_member=True) | Q(pk=self.instance.organisation_id)
        )
        self.fields["organisation"].empty_label = _("Choose your organisation")
        # Every member has a level and a discipline: no empty "---------" choice to pick.
        self.fields["seniority"].choices = Seniority.choices
        self.fields["discipline"].choices = Discipline.choices
        # Asked of mentors only (and then required, in ``clean``): not marked "(optional)".
        capacity = self.fields["mentee_capacity"]
        capacity.required = False
        capacity.answer_expected = True
        capacity.widget.attrs.update(min=1, max=5)

    def _says_they_mentor(self) -> bool:
        name = "offers_mentoring"
        widget = self.fields[name].widget
        return bool(widget.value_from_datadict(self.data, self.files, self.add_prefix(name)))

    def full_clean(self):
        # Someone who does not mentor is not asked how many mentees they can take: whatever
        # is in that box (shown without JavaScript) is left unread, so that they never see
        # an error about it and the number they gave before stays.
        capacity = self.fields["mentee_capacity"]
        capacity.disabled = self.is_bound and not self._says_they_mentor()
        try:
            super().full_clean()
        finally:
            capacity.disabled = False

    def clean(self):
        cleaned = super().clean()
        offers, seeks = cleaned.get("offers_mentoring"), cleaned.get("seeks_mentoring")
        if offers and "mentee_capacity" in cleaned:
            capacity = cleaned["mentee_capacity"]
            if capacity is None:
                self.add_error("mentee_capacity", _("Enter how many mentees you can take"))
            elif capacity < 1:
                self.add_error(
                    "mentee_capacity", _("Enter how many mentees you can take, from 1 to 5")
                )
        if (offers or seeks) and not cleaned.get("topics"):
            if offers and seeks:
                message = _(
                    "Select at least one topic you can mentor in or would like mentoring in"
                )
            elif offers:
                message = _("Select at least one topic you can mentor in")
            else:
                message = _("Select at least one topic you would like mentoring in")
            self.add_error("topics", message)
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether to approve or decline the application")},
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
    # Blank: the service's default, four weeks before the course starts.
    release_on = DateInputField(
        label=_("Network-funded places not taken are released on (optional)"),
        required=False,
        help_text=_(
            "Until then each member organisation has its share of network-funded places; "
            "from then, those not taken go to organisations' further nominees. Leave blank "
            "for four weeks before the course starts."
        ),
        error_messages={"invalid": _("Enter the release date as a real date")},
    )

    class Meta:
        model = Cohort
        fields = [
            "course_name", "provider", "starts_on", "weeks", "cost_per_place", "capacity",
            "network_funded_places", "funded_per_organisation", "target_per_organisation",
        ]  # fmt: skip
        field_classes = {"starts_on": DateInputField}
        help_texts = {"starts_on": _("For example, 27 3 2027")}
        error_messages = {
            "course_name": {"required": _("Enter the name of the course")},
            "provider": {"required": _("Enter who provides the course")},
            "starts_on": {
                "required": _("Enter the date the course starts"),
                "invalid": _("Enter the date the course starts as a real date"),
            },
            "weeks": {
                "required": _("Enter how many weeks the course runs"),
                "invalid": _("Enter how many weeks the course runs as a whole number"),
            },
            "cost_per_place": {
                "required": _("Enter the cost per place"),
                "invalid": _("Enter the cost per place as an amount in pounds, like 590.00"),
            },
            "capacity": {
                "required": _("Enter how many places there are in all"),
                "invalid": _("Enter how many places there are in all as a whole number"),
            },
            "network_funded_places": {
                "required": _("Enter how many places the network funds"),
                "invalid": _("Enter how many places the network funds as a whole number"),
            },
            "funded_per_organisation": {
                "required": _("Enter how many network-funded places each organisation can have"),
                "invalid": _(
                    "Enter how many network-funded places each organisation can have as a "
                    "whole number"
                ),
            },
            "target_per_organisation": {
                "required": _("Enter the aim: how many people from each member organisation"),
                "invalid": _(
                    "Enter the aim, how many people from each member organisation, as a whole "
                    "number"
                ),
            },
        }


class CommitmentFields(forms.Form):
    """The organisation's commitment to pay for a place the network does not fund: asked
    of whoever approves for the organisation (``commitment`` in ``cleaned_data``)."""

    pays = forms.ChoiceField(
        label=_("Will the organisation pay for this place if the network does not fund it?"),
        choices=[
            ("yes", _("Yes: the organisation has agreed to pay")),
            ("no", _("No: only a network-funded place")),
        ],
        widget=forms.RadioSelect,
        required=False,  # asked in ``clean``: a decline does not need it
    )
    agreed_by = forms.CharField(
        label=_("Who agreed the spend (name and job title)"),
        help_text=_("If the organisation pays: this and the two questions below."),
        required=False,
        max_length=200,
    )
    reference = forms.CharField(
        label=_("Budget code or purchase order"), required=False, max_length=100
    )
    agreed_on = DateInputField(
        label=_("Agreed on"),
        required=False,
        help_text=_("For example, 27 3 2027"),
        error_messages={"invalid": _("Enter the date it was agreed as a real date")},
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["commitment"] = None
        if not cleaned.get("pays"):
            self.add_error("pays", _("Select whether the organisation will pay for the place"))
        if cleaned.get("pays") != "yes":
            return cleaned
        missing = {
            "agreed_by": _("Enter who agreed the spend"),
            "reference": _("Enter the budget code or purchase order"),
            "agreed_on": _("Enter the date the spend was agreed"),
        }
        for name, message in missing.items():
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        if not self.errors:
            cleaned["commitment"] = services.Commitment(
                agreed_by=cleaned["agreed_by"].strip(),
                reference=cleaned["reference"].strip(),
                agreed_on=cleaned["agreed_on"],
            )
        return cleaned


class AskForm(forms.Form):
    note = forms.CharField(
        label=_("Why this course, now (optional)"),
        help_text=_("Your organisation's lead reads this when deciding."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=1000,
    )


class LeadNominateForm(CommitmentFields):
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.none(),
        empty_label=_("Choose a cohort"),
        error_messages={"required": _("Select a cohort")},
    )
    member = forms.ModelChoiceField(
        label=_("Member"),
        queryset=Membership.objects.none(),
        empty_label=_("Choose a member"),
        error_messages={
            "required": _("Select a member to nominate"),
            "invalid_choice": _("Select a member of your organisation from the list"),
        },
    )
    field_order = ["cohort", "member", "pays", "agreed_by", "reference", "agreed_on"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = selectors.open_cohorts()
        self.fields["member"].queryset = (
            Membership.objects.filter(status="approved", organisation__in=organisations)
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
        self.fields["member"].label_from_instance = lambda m: f"{m.name} ({m.organisation})"


class LeadDecisionForm(CommitmentFields):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve for the organisation")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether to approve or decline the request")},
    )
    reason = forms.CharField(
        label=_("Reason, for the member (required to decline)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    field_order = ["decision", "pays", "agreed_by", "reference", "agreed_on", "reason"]

    def clean(self):
        if self.cleaned_data.get("decision") != "decline":
            return super().clean()
        # A decline needs no commitment, only the reason.
        if not self.cleaned_data.get("reason", "").strip():
            self.add_error("reason", _("Say why, so that the member hears it from a person"))
        self.cleaned_data["commitment"] = None
        return self.cleaned_data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, for the member"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Say why, so that the member hears it from a person")},
    )


class NominateForm(CommitmentFields):
    member = forms.ModelChoiceField(
        label=_("Nominate a member"),
        queryset=Membership.objects.none(),
        empty_label=_("Choose a member"),
        error_messages={
            "required": _("Select a member to nominate"),
            "invalid_choice": _(
                "Select a member from the list: they may have a place on this cohort already"
            ),
        },
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
        self.fields["pays"].label = _(
            "Will the member's organisation pay for this place if the network does not fund it?"
        )

    field_order = ["member", "pays", "agreed_by", "reference", "agreed_on"]


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = EvaluationAnswer
        fields = ["confidence", "efficacy", "connections"]
        widgets = {name: forms.RadioSelect for name in fields}
        error_messages = {
            "confidence": {"required": _("Select how confident you feel")},
            "efficacy": {"required": _("Select how far you agree")},
            "connections": {"required": _("Select how many people you could ask")},
        }


class PitchForm(forms.Form):
    title = forms.CharField(
        label=_("Session title"),
        max_length=150,
        error_messages={"required": _("Enter a title for your session")},
    )
    description = forms.CharField(
        label=_("What it is about (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )


class RoomForm(forms.Form):
    name = forms.CharField(
        label=_("Room"), max_length=100, error_messages={"required": _("Enter the room's name")}
    )
    capacity = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "required": _("Enter how many seats the room has"),
            "invalid": _("Enter the seats as a whole number"),
            "min_value": _("A room has at least one seat"),
        },
    )


class SlotForm(forms.Form):
    starts_at = DateTimeField(
        label=_("Slot starts"),
        widget=DATETIME_LOCAL,
        error_messages={
            "required": _("Enter when the slot starts"),
            "invalid": _("Enter when the slot starts as a date and time"),
        },
    )
    ends_at = DateTimeField(
        label=_("Slot ends"),
        widget=DATETIME_LOCAL,
        error_messages={
            "required": _("Enter when the slot ends"),
            "invalid": _("Enter when the slot ends as a date and time"),
        },
    )


class GoalsForm(forms.Form):
    goals = forms.CharField(
        label=_("The goals you agreed"),
        help_text=_("What you will work on together: both of you see this."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        error_messages={"required": _("Enter the goals you agreed")},
    )


class CheckInForm(forms.Form):
    how = forms.ChoiceField(
        label=_("How is it going?"),
        choices=MentoringCheckIn.How.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how your mentoring is going")},
    )
    note = forms.CharField(
        label=_("Anything the coordinators should know (optional)"),
        help_text=_("Only the network's coordinators see this, not the other person."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class FeedbackForm(forms.Form):
    useful = forms.TypedChoiceField(
        label=_("How useful was the mentoring?"),
        choices=MentoringFeedback._meta.get_field("useful").choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how useful the mentoring was")},
    )
    comments = forms.CharField(
        label=_("What worked, and what would have helped (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=3000,
    )


class SessionNotesForm(forms.Form):
    agenda = forms.CharField(
        label=_("Agenda"),
        help_text=_("Shown to everyone with a place on the course, on My network."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
    )
    shared_notes = forms.CharField(
        label=_("Notes for those on the course"),
        help_text=_("What was shared in the session, for the people on the course."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=10000,
    )
    coordinator_notes = forms.CharField(
        label=_("Coordinators' notes"),
        help_text=_("Seen by the network's coordinators only."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=10000,
    )


class SessionForm(forms.Form):
    starts_at = DateTimeField(
        label=_("Starts"),
        widget=DATETIME_LOCAL,
        error_messages={
            "required": _("Enter when the session starts"),
            "invalid": _("Enter when the session starts as a date and time"),
        },
    )
    ends_at = DateTimeField(
        label=_("Ends"),
        widget=DATETIME_LOCAL,
        error_messages={
            "required": _("Enter when the session ends"),
            "invalid": _("Enter when the session ends as a date and time"),
        },
    )
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
        error_messages = {
            "title": {"required": _("Enter the event's title")},
            "mode": {"required": _("Select where the event is: online, in person or hybrid")},
            "format": {"required": _("Select the event's format")},
            "starts_at": {
                "required": _("Enter when the event starts"),
                "invalid": _("Enter when the event starts as a date and time"),
            },
            "ends_at": {
                "required": _("Enter when the event ends"),
                "invalid": _("Enter when the event ends as a date and time"),
            },
            "capacity": {
                "required": _("Enter how many places there are"),
                "invalid": _("Enter how many places there are as a whole number"),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every event is somewhere and has a format: no empty "---------" choice to pick.
        self.fields["mode"].choices = Event.Mode.choices
        self.fields["format"].choices = Event.Format.choices

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
    mentor = forms.ModelChoiceField(
        label=_("Mentor"),
        queryset=Membership.objects.none(),
        empty_label=_("Choose a mentor"),
        error_messages={
            "required": _("Select a mentor"),
            "invalid_choice": _("Select a mentor from the list"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = Membership.objects.filter(
            status="approved", offers_mentoring=True
        ).order_by("name")


class SwapMentorsForm(forms.Form):
    first = forms.ModelChoiceField(
        label=_("First pair"),
        queryset=Membership.objects.none(),
        empty_label=_("Choose a pair"),
        error_messages={
            "required": _("Select the first pair"),
            "invalid_choice": _("Select the first pair from the list"),
        },
    )
    second = forms.ModelChoiceField(
        label=_("Second pair"),
        queryset=Membership.objects.none(),
        empty_label=_("Choose a pair"),
        error_messages={
            "required": _("Select the second pair"),
            "invalid_choice": _("Select the second pair from the list"),
        },
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
