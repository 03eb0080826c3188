"""The commission roadmap: workstreams, activities with their milestone dates, and the
advisory group's meetings.

Roadmap dates come in two precisions. "Nov 2020 - Jan 2021" names months; "21 Nov 2023"
names a day. A month-precision date is stored as the first of its month with
``precision=month`` and a database constraint keeps it there, so no day the source does not
give is ever invented.
"""

import calendar
import datetime
import uuid

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.constraints import ConstraintMessagesBesideFields
from common.fields import HttpsURLField
from common.uploads import kind_of, stored_kind, validate_document
from common.validators import within_service_years


class Precision(models.TextChoices):
    MONTH = "month", _("Month")
    DAY = "day", _("Day")


class ActivityKind(models.TextChoices):
    ANALYSIS = "analysis", _("Analysis")
    LITERATURE_REVIEW = "literature_review", _("Literature review")
    PAPER = "paper", _("Paper")
    ADVISORY_MEETING = "advisory_meeting", _("Advisory group meeting")
    CONSULTATION = "consultation", _("Consultation")
    SURVEY = "survey", _("Survey")
    ROUNDTABLE = "roundtable", _("Roundtable")
    EVENT = "event", _("Event or showcase")
    PROGRAMME = "programme", _("Programme")


class Status(models.TextChoices):
    DONE = "done", _("Done")
    UNDER_WAY = "under_way", _("Under way")
    UPCOMING = "upcoming", _("Upcoming")


def validate_link(value: str) -> None:
    """A web address (https or http) or a path on this portal; nothing a browser would run."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["https", "http"])(value)


# Addresses other pages use: an activity called "new" could never be edited, as
# /staff/roadmap/activities/new/ adds one; /roadmap/meetings/ is where meetings live.
RESERVED_SLUGS = frozenset({"new", "meetings"})


def validate_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is the address of another page; choose another."),
            params={"slug": value},
        )


def new_calendar_uid() -> str:
    return f"activity-{uuid.uuid4().hex}"


def last_day_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


class Workstream(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    source_key = models.SlugField(
        _("roadmap source key"),
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set for workstreams of the commission's roadmap document."),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("workstream")
        verbose_name_plural = _("workstreams")

    def __str__(self):
        return self.name


class Partner(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    website = HttpsURLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name


class Activity(ConstraintMessagesBesideFields, models.Model):
    """One row of the roadmap: an activity with its milestone dates."""

    constraint_fields = {
        "activity_month_start_is_first_of_month": "starts_on",
        "activity_month_end_is_first_of_month": "ends_on",
        "activity_ends_after_it_starts": "ends_on",
    }

    workstream = models.ForeignKey(
        Workstream,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("workstream"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=200, unique=True, validators=[validate_not_reserved]
    )
    description = models.TextField(_("description"), max_length=5000, blank=True)
    starts_on = models.DateField(_("starts"), validators=[within_service_years])
    starts_precision = models.CharField(
        _("start precision"), max_length=5, choices=Precision.choices, default=Precision.MONTH
    )
    ends_on = models.DateField(
        _("ends"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a single date."),
        validators=[within_service_years],
    )
    ends_precision = models.CharField(
        _("end precision"), max_length=5, choices=Precision.choices, default=Precision.MONTH
    )
    status_override = models.CharField(
        _("status set by staff"),
        max_length=16,
        choices=Status.choices,
        blank=True,
        help_text=_("Leave empty to work the status out from the dates and today."),
    )
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="activities", verbose_name=_("partners")
    )
    is_public = models.BooleanField(_("shown on the public roadmap"), default=True)
    questionnaire_url = models.CharField(
        _("questionnaire link"),
        max_length=200,
        blank=True,
        validators=[validate_link],
        help_text=_("For a consultation or survey: where to answer it."),
    )
    results_url = models.CharField(
        _("results link"),
        max_length=200,
        blank=True,
        validators=[validate_link],
        help_text=_("For a consultation or survey: where its findings are published."),
    )
    source_key = models.SlugField(
        _("roadmap source key"),
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set for activities loaded from the commission's roadmap document."),
    )
    # The calendar feed's UID. It outlives changes of title and address, so subscribers'
    # calendars keep one event per activity.
    calendar_uid = models.CharField(
        _("calendar UID"), max_length=220, unique=True, editable=False, default=new_calendar_uid
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_on", "ends_on", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_precision=Precision.DAY) | Q(starts_on__day=1),
                name="activity_month_start_is_first_of_month",
                violation_error_message=_(
                    "A start given as a month is stored as the first of that month."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(ends_precision=Precision.DAY)
                | Q(ends_on__day=1),
                name="activity_month_end_is_first_of_month",
                violation_error_message=_(
                    "An end given as a month is stored as the first of that month."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_it_starts",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("milestones:activity_detail", args=[self.slug])

    @property
    def last_day(self) -> datetime.date:
        """The last day the activity covers: a month-precision end covers its whole month."""
        if self.ends_on is None:
            end, precision = self.starts_on, self.starts_precision
        else:
            end, precision = self.ends_on, self.ends_precision
        return last_day_of_month(end) if precision == Precision.MONTH else end

    @property
    def status(self) -> str:
        if self.status_override:
            return self.status_override
        today = timezone.localdate()
        if today < self.starts_on:
            return Status.UPCOMING
        if today > self.last_day:
            return Status.DONE
        return Status.UNDER_WAY

    def get_status_display(self) -> str:
        return Status(self.status).label


class LoadedRoadmapRow(models.Model):
    """A row of the roadmap document already loaded. It stays when staff delete the
    activity the row became, so loading the roadmap again does not bring it back."""

    key = models.SlugField(_("roadmap source key"), max_length=80, unique=True)
    loaded_at = models.DateTimeField(_("loaded"), default=timezone.now)

    class Meta:
        ordering = ["loaded_at", "key"]
        verbose_name = _("loaded roadmap row")
        verbose_name_plural = _("loaded roadmap rows")

    def __str__(self):
        return self.key


class Deliverable(models.Model):
    """A bullet point of an activity: a deliverable or outcome."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="deliverables")
    text = models.CharField(_("text"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["activity", "position", "pk"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")

    def __str__(self):
        return self.text


class AdvisoryMember(models.Model):
    """A member of the commission's advisory group."""

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), unique=True)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=150, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisory_member",
        verbose_name=_("portal account"),
    )
    is_active = models.BooleanField(_("current member"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("advisory group member")
        verbose_name_plural = _("advisory group members")

    def __str__(self):
        return self.name


class AdvisoryMeeting(ConstraintMessagesBesideFields, models.Model):
    """A meeting of the advisory group, with its papers, minutes and attendees."""

    constraint_fields = {
        "meeting_ends_after_it_starts": "ends_at",
    }

    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("roadmap activity"),
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"), validators=[within_service_years])
    ends_at = models.DateTimeField(_("ends"), validators=[within_service_years])
    location = models.CharField(_("place"), max_length=300, blank=True)
    online_url = HttpsURLField(_("online meeting link"), blank=True)
    agenda = models.TextField(_("agenda"), max_length=10000, blank=True)
    minutes = models.TextField(_("minutes"), max_length=50000, blank=True)
    minutes_published = models.BooleanField(_("minutes published"), default=False)
    papers_published = models.BooleanField(
        _("papers published"),
        default=False,
        help_text=_(
            "Until then only invitees and staff see the papers (or once minutes are published)."
        ),
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(
        default=0, editable=False, help_text=_("Bumped when the time or place changes.")
    )
    attendees = models.ManyToManyField(
        AdvisoryMember, through="MeetingAttendance", related_name="meetings"
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("advisory group meeting")
        verbose_name_plural = _("advisory group meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("The meeting must end after it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("milestones:meeting_detail", args=[self.pk])


def paper_path(paper: "MeetingPaper", filename: str) -> str:
    """Where an uploaded paper is stored: a random name with the extension of the kind of
    document it is (read from its content), never the name it was uploaded with."""
    kind = kind_of(paper.file)
    return f"meeting-papers/{uuid.uuid4().hex}.{kind.extension if kind else 'bin'}"


class MeetingPaper(ConstraintMessagesBesideFields, models.Model):
    """A paper for a meeting: a link, or a file uploaded to the portal (PDF, DOCX, ODT or
    XLSX, its kind read from its content), served only to who may see the papers."""

    constraint_fields = {"paper_is_a_link_or_a_file": "file"}

    meeting = models.ForeignKey(AdvisoryMeeting, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(_("title"), max_length=200)
    url = HttpsURLField(_("link"), blank=True)
    file = models.FileField(
        _("file"), upload_to=paper_path, blank=True, max_length=200, validators=[validate_document]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("meeting paper")
        verbose_name_plural = _("meeting papers")
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="paper_is_a_link_or_a_file",
                violation_error_message=_("A paper is either a link or a file, not both."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def size(self) -> int | None:
        """The uploaded file's size, or None if storage no longer has it."""
        try:
            return self.file.size if self.file else None
        except FileNotFoundError:
            return None

    @property
    def kind(self):
        """The kind of document an uploaded paper is, or None for a link."""
        return stored_kind(self.file)


class Rsvp(models.TextChoices):
    NO_REPLY = "no_reply", _("No reply yet")
    YES = "yes", _("Attending")
    NO = "no", _("Not attending")
    MAYBE = "maybe", _("Maybe")


class MeetingAttendance(models.Model):
    """An advisory group member invited to a meeting: their reply, then whether they came."""

    meeting = models.ForeignKey(
        AdvisoryMeeting, on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(AdvisoryMember, on_delete=models.CASCADE, related_name="attendance")
    rsvp = models.CharField(_("reply"), max_length=10, choices=Rsvp.choices, default=Rsvp.NO_REPLY)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)

    class Meta:
        ordering = ["meeting", "member__name"]
        verbose_name = _("meeting attendance")
        verbose_name_plural = _("meeting attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="attendance_one_per_member_per_meeting",
                violation_error_message=_("This person is already on the meeting's list."),
            ),
        ]

    def __str__(self):
        return f"{self.member} – {self.meeting}"


for model in (
    Workstream,
    Partner,
    Activity,
    LoadedRoadmapRow,
    Deliverable,
    AdvisoryMeeting,
    MeetingPaper,
):
    auditlog.register(model)
# Advisers are people: their changes are recorded without their contact details.
auditlog.register(AdvisoryMember, exclude_fields=["email"])
auditlog.register(MeetingAttendance)
