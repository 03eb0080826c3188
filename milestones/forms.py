from django import forms
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.forms import DATETIME_LOCAL, DatePartsField, DateTimeField, HttpsURLField
from common.uploads import validate_document

from .models import (
    Activity,
    ActivityKind,
    AdvisoryMember,
    MeetingPaper,
    Partner,
    Status,
    Workstream,
    validate_link,
)

URL_MAX_LENGTH = MeetingPaper._meta.get_field("url").max_length
TITLE_MAX_LENGTH = MeetingPaper._meta.get_field("title").max_length


class ActivityForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title for the activity")},
    )
    workstream = forms.ModelChoiceField(
        label=_("Workstream"),
        queryset=Workstream.objects.all(),
        error_messages={"required": _("Select the workstream the activity belongs to")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of activity"),
        choices=ActivityKind.choices,
        error_messages={"required": _("Select the kind of activity")},
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea, required=False, max_length=5000
    )
    starts = DatePartsField(
        label=_("Starts"),
        help_text=_("Leave the day empty if only the month is known, for example 11 2020."),
        error_messages={"required": _("Enter when the activity starts: a month and a year")},
    )
    ends = DatePartsField(
        label=_("Ends"),
        required=False,
        help_text=_("Leave empty for a single date. Leave the day empty for a whole month."),
    )
    status_override = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Work it out from the dates")), *Status.choices],
        required=False,
    )
    deliverables = forms.CharField(
        label=_("Bullet points"),
        help_text=_("Deliverables and outcomes, one per line."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"),
        queryset=Partner.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    is_public = forms.BooleanField(
        label=_("Show on the public roadmap"), required=False, initial=True
    )
    questionnaire_url = forms.CharField(
        label=_("Questionnaire link"),
        validators=[validate_link],
        help_text=_("For a consultation or survey: a web address or a path on this portal."),
        required=False,
        max_length=200,
    )
    results_url = forms.CharField(
        label=_("Results link"),
        validators=[validate_link],
        help_text=_("For a consultation or survey: where its findings are published."),
        required=False,
        max_length=200,
    )

    @classmethod
    def initial_for(cls, activity: Activity) -> dict:
        return {
            "title": activity.title,
            "workstream": activity.workstream_id,
            "kind": activity.kind,
            "description": activity.description,
            "starts": (activity.starts_on, activity.starts_precision),
            "ends": (activity.ends_on, activity.ends_precision) if activity.ends_on else None,
            "status_override": activity.status_override,
            "deliverables": "\n".join(d.text for d in activity.deliverables.all()),
            "partners": list(activity.partners.all()),
            "is_public": activity.is_public,
            "questionnaire_url": activity.questionnaire_url,
            "results_url": activity.results_url,
        }

    def clean_deliverables(self):
        lines = [line.strip() for line in self.cleaned_data["deliverables"].splitlines()]
        too_long = [line for line in lines if len(line) > 300]
        if too_long:
            raise forms.ValidationError(
                _("Each bullet point can be at most 300 characters; shorten: “%(line)s…”"),
                params={"line": too_long[0][:40]},
            )
        return [line for line in lines if line]

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and ends[0] < starts[0]:
            self.add_error("ends", _("The end cannot be before the start."))
        return cleaned

    def service_arguments(self) -> dict:
        """The cleaned data as keyword arguments for ``activity_create``/``activity_update``."""
        data = dict(self.cleaned_data)
        data["starts_on"], data["starts_precision"] = data.pop("starts")
        ends = data.pop("ends")
        data["ends_on"], data["ends_precision"] = ends if ends else (None, "month")
        data["partners"] = list(data["partners"])
        return data


class MeetingForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        initial=_("Advisory Group Meeting"),
        error_messages={"required": _("Enter a title for the meeting")},
    )
    activity = forms.ModelChoiceField(
        label=_("Roadmap activity"),
        queryset=Activity.objects.filter(kind=ActivityKind.ADVISORY_MEETING),
        required=False,
        help_text=_("The roadmap entry this meeting belongs to, if any."),
    )
    starts_at = DateTimeField(
        label=_("Starts"),
        widget=DATETIME_LOCAL,
        error_messages={"required": _("Enter the date and time the meeting starts")},
    )
    ends_at = DateTimeField(
        label=_("Ends"),
        widget=DATETIME_LOCAL,
        error_messages={"required": _("Enter the date and time the meeting ends")},
    )
    location = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = HttpsURLField(label=_("Online meeting link"), required=False)
    agenda = forms.CharField(
        label=_("Agenda"), widget=forms.Textarea, required=False, max_length=10000
    )
    papers = forms.CharField(
        label=_("Papers"),
        help_text=_("One paper per line: its title, a vertical bar, then its link."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Invited advisory group members"),
        queryset=AdvisoryMember.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].label_from_instance = lambda a: f"{a.title} ({a.starts_on:%B %Y})"
        if meeting is not None:
            # Invitees who have since left the group stay on the meeting's record.
            self.fields["members"].queryset = AdvisoryMember.objects.filter(
                Q(is_active=True) | Q(attendance__meeting=meeting)
            ).distinct()

    @classmethod
    def initial_for(cls, meeting) -> dict:
        return {
            "title": meeting.title,
            "activity": meeting.activity_id,
            "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at,
            "location": meeting.location,
            "online_url": meeting.online_url,
            "agenda": meeting.agenda,
            "papers": "\n".join(f"{p.title} | {p.url}" for p in meeting.papers.all()),
            "members": [a.member_id for a in meeting.attendance.all()],
        }

    def clean_papers(self):
        papers = []
        validate_url = URLValidator()
        for number, line in enumerate(self.cleaned_data["papers"].splitlines(), start=1):
            if not line.strip():
                continue
            title, bar, url = line.rpartition("|")
            title, url = title.strip(), url.strip()
            try:
                validate_url(url)
            except forms.ValidationError:
                bar = ""
            if not bar or not title:
                raise forms.ValidationError(
                    _("Line %(number)s: write the paper's title, a vertical bar, then its link."),
                    params={"number": number},
                )
            if not url.startswith("https://"):
                raise forms.ValidationError(
                    _("Line %(number)s: give the paper's link starting with https://"),
                    params={"number": number},
                )
            if len(url) > URL_MAX_LENGTH:
                raise forms.ValidationError(
                    _(
                        "Line %(number)s: the link is %(length)s characters long; it can be at "
                        "most %(limit)s. Use a shorter link to the paper."
                    ),
                    params={"number": number, "length": len(url), "limit": URL_MAX_LENGTH},
                )
            papers.append((title[:TITLE_MAX_LENGTH], url))
        return papers

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        if not cleaned.get("location") and not cleaned.get("online_url"):
            self.add_error("location", _("Give a place, an online meeting link, or both."))
        return cleaned


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea, required=False, max_length=50000
    )
    minutes_published = forms.BooleanField(
        label=_("Publish the minutes on the meeting's public page"), required=False
    )
    attended = forms.MultipleChoiceField(
        label=_("Who attended"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (str(a.member_id), a.member.name) for a in meeting.attendance.all()
        ]


class RsvpForm(forms.Form):
    rsvp = forms.ChoiceField(
        label=_("Will you attend?"),
        choices=[
            ("yes", _("Yes, I will attend")),
            ("no", _("No, I cannot attend")),
            ("maybe", _("Maybe")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you will attend.")},
    )


class AdvisoryMemberForm(forms.ModelForm):
    class Meta:
        model = AdvisoryMember
        fields = ["name", "email", "organisation", "role", "is_active"]
        error_messages = {
            "name": {"required": _("Enter the member's name")},
            "email": {"required": _("Enter the member's email address")},
        }


class PaperForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": _("Enter the paper's title")},
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, Word (DOCX), OpenDocument (ODT) or Excel (XLSX) file."),
        validators=[validate_document],
        error_messages={"required": _("Select a file"), "empty": _("The selected file is empty")},
    )
