"""The Women's Digital Leaders Network of London councils: member organisations, members,
the confidence-course cohorts with their places and reflection sessions, events, and
mentoring.

The network is open to women, non-binary and gender-nonconforming people working in
councils' digital, data and IT teams, at every level from apprentice to Chief Digital Officer.
"""

import datetime
import uuid
from decimal import Decimal

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.constraints import ConstraintMessagesBesideFields
from common.fields import HttpsURLField
from common.validators import within_service_years


class Organisation(models.Model):
    """A London council or partner. Members of the network fund and nominate places,
    through their organisation leads (``OrganisationLead``)."""

    class Kind(models.TextChoices):
        BOROUGH = "borough", _("London borough")
        CITY = "city", _("City of London")
        PARTNER = "partner", _("Partner organisation")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    is_member = models.BooleanField(_("member of the network"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


# How long after a course ends its "after" evaluation can still be answered.
EVALUATION_AFTER_OPEN_FOR = datetime.timedelta(weeks=8)


class OrganisationLead(models.Model):
    """Someone who speaks for a member organisation on the course: approves its people's
    requests for places, nominates them, and commits its budget to places the network does
    not fund. An organisation may have several; coordinators (or admins) name them."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="leads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leads_for"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "user__full_name"]
        verbose_name = _("organisation lead")
        verbose_name_plural = _("organisation leads")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                name="one_lead_row_per_person_and_organisation",
                violation_error_message=_("This person already leads for this organisation."),
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.organisation})"


class Seniority(models.IntegerChoices):
    """An ordered scale: a mentor must be further up it than their mentee."""

    APPRENTICE = 1, _("Apprentice")
    ENTRY = 2, _("Assistant or junior")
    PRACTITIONER = 3, _("Officer or practitioner")
    SENIOR = 4, _("Senior practitioner")
    LEAD = 5, _("Lead or principal")
    MANAGER = 6, _("Manager")
    HEAD = 7, _("Head of service")
    DIRECTOR = 8, _("Director or assistant director")
    CDO = 9, _("Chief Digital Officer or equivalent")


class Discipline(models.TextChoices):
    DIGITAL = "digital", _("Digital")
    DATA = "data", _("Data")
    IT = "it", _("IT")


class Topic(models.Model):
    """Something members mentor or want mentoring in."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mentoring topic")
        verbose_name_plural = _("mentoring topics")

    def __str__(self):
        return self.name


class MembershipStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Member")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")


class Membership(ConstraintMessagesBesideFields, models.Model):
    """A person's application to the network and, once approved, their member profile.

    When a member leaves, everything personal is erased and the link to their account
    removed; the row stays, anonymous, so that places and attendance still add up.
    """

    constraint_fields = {
        "mentee_capacity_at_most_five": "mentee_capacity",
    }

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membership",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.APPLIED,
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("job title"), max_length=150, blank=True)
    seniority = models.PositiveSmallIntegerField(_("level"), choices=Seniority.choices)
    discipline = models.CharField(_("discipline"), max_length=10, choices=Discipline.choices)
    statement = models.BooleanField(
        _("I am a woman, non-binary or gender-nonconforming"), default=False
    )
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_message = models.TextField(_("message to the applicant"), max_length=2000, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    # Profile: shown in the directory only where the member chose.
    bio = models.TextField(_("about me"), max_length=2000, blank=True)
    listed = models.BooleanField(_("list me in the member directory"), default=True)
    show_email = models.BooleanField(_("show my email address"), default=False)
    show_role = models.BooleanField(_("show my job title"), default=True)
    show_organisation = models.BooleanField(_("show my organisation"), default=True)
    show_seniority = models.BooleanField(_("show my level"), default=False)
    show_bio = models.BooleanField(_("show “about me”"), default=True)

    # Mentoring.
    offers_mentoring = models.BooleanField(_("I can mentor"), default=False)
    seeks_mentoring = models.BooleanField(_("I would like a mentor"), default=False)
    topics = models.ManyToManyField(Topic, blank=True, related_name="members")
    mentee_capacity = models.PositiveSmallIntegerField(_("how many mentees I can take"), default=1)
    prefers_other_organisation = models.BooleanField(
        _("I prefer a match from another organisation"), default=True
    )
    receives_optional_email = models.BooleanField(
        _("email me news of the network"),
        default=False,
        help_text=_(
            "Opportunities and news the network shares. Invitations and reminders of "
            "things you said you would attend come whatever you choose."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(mentee_capacity__lte=5),
                name="mentee_capacity_at_most_five",
                violation_error_message=_("You can take at most five mentees."),
            ),
        ]

    def __str__(self):
        return self.name or str(_("Former member"))

    @property
    def is_member(self) -> bool:
        return self.status == MembershipStatus.APPROVED


class Cohort(ConstraintMessagesBesideFields, models.Model):
    """A confidence-course cohort: six weeks, a capacity, places funded by the network up
    to a limit, one of them per organisation before the organisation's own budget pays."""

    constraint_fields = {
        "cohort_funded_places_within_capacity": "network_funded_places",
        "cohort_fits_three_fortnightly_sessions": "weeks",
        "cohort_releases_places_before_it_starts": "release_on",
    }

    course_name = models.CharField(_("course"), max_length=150, default="UPFRONT confidence course")
    provider = models.CharField(_("provider"), max_length=150, default="Lauren Currie (UPFRONT)")
    starts_on = models.DateField(_("starts"), validators=[within_service_years])
    weeks = models.PositiveSmallIntegerField(_("weeks"), default=6)
    cost_per_place = models.DecimalField(
        _("cost per place (GBP)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("590.00"),
        validators=[
            MinValueValidator(Decimal("0"), message=_("Enter a cost of £0 or more")),
        ],
    )
    capacity = models.PositiveSmallIntegerField(_("places in all"), default=66)
    network_funded_places = models.PositiveSmallIntegerField(
        _("places the network funds"), default=40
    )
    funded_per_organisation = models.PositiveSmallIntegerField(
        _("network-funded places per organisation"),
        default=1,
        help_text=_("Further places for the same organisation are funded by the organisation."),
    )
    target_per_organisation = models.PositiveSmallIntegerField(
        _("aim: people from each member organisation"), default=2
    )
    release_on = models.DateField(
        _("network-funded places not taken are released on"),
        validators=[within_service_years],
        help_text=_(
            "Until then each member organisation has its share of network-funded places; "
            "from then, those not taken go to organisations' further nominees."
        ),
    )
    # When the release ran (``services.cohorts.funded_places_release``): once per cohort.
    released_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the course evaluation's questionnaires went out (``services.evaluation``).
    evaluation_before_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    evaluation_after_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(
                condition=Q(network_funded_places__lte=models.F("capacity")),
                name="cohort_funded_places_within_capacity",
                violation_error_message=_("The network cannot fund more places than there are."),
            ),
            # Three fortnightly reflection sessions span four weeks and fall within the course.
            models.CheckConstraint(
                condition=Q(weeks__gte=5),
                name="cohort_fits_three_fortnightly_sessions",
                violation_error_message=_(
                    "A cohort runs for at least five weeks, to fit its three fortnightly "
                    "reflection sessions."
                ),
            ),
            models.CheckConstraint(
                condition=Q(release_on__lte=models.F("starts_on")),
                name="cohort_releases_places_before_it_starts",
                violation_error_message=_(
                    "Release the network-funded places not taken on or before the day the "
                    "course starts."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.course_name}, {self.starts_on:%B %Y}"

    def get_absolute_url(self):
        return reverse("network:cohort", args=[self.pk])

    @property
    def ends_on(self) -> datetime.date:
        return self.starts_on + datetime.timedelta(weeks=self.weeks)

    def evaluation_open(self, stage: str, today: datetime.date) -> bool:
        """Whether the course evaluation's ``stage`` questionnaire takes answers on
        ``today``: "before" from the first day until the course ends, "after" from its end
        for eight weeks."""
        if stage == "before":
            return self.starts_on <= today < self.ends_on
        return self.ends_on <= today < self.ends_on + EVALUATION_AFTER_OPEN_FOR


class PlaceStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")


ACTIVE_PLACE = (PlaceStatus.NOMINATED, PlaceStatus.CONFIRMED, PlaceStatus.COMPLETED)


class Funder(models.TextChoices):
    NETWORK = "network", _("The network")
    ORGANISATION = "organisation", _("The member's organisation")


class FundingReason(models.TextChoices):
    """Which part of the funding rule decided who funds a place (see
    ``services.cohorts.funding_for``): kept with the place, to explain it later."""

    NETWORK_SHARE = "network_share", _("Within the organisation's network-funded places")
    SHARE_TAKEN = "share_taken", _("The organisation's network-funded places were taken")
    BUDGET_SPENT = "budget_spent", _("The network's funded places were all taken")
    NOT_A_MEMBER = "not_a_member", _("The organisation is not a member of the network")
    RELEASED = "released", _("A network-funded place released after the nomination deadline")


class NominationStatus(models.TextChoices):
    REQUESTED = "requested", _("Asked, waiting for the organisation")
    APPROVED = "approved", _("Approved by the organisation, waiting for the coordinators")
    PLACED = "placed", _("Given a place")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_NOMINATION = (NominationStatus.REQUESTED, NominationStatus.APPROVED, NominationStatus.PLACED)


class Nomination(ConstraintMessagesBesideFields, models.Model):
    """Someone put forward for a cohort through their organisation: asked for by the member
    (or nominated by an organisation lead), approved by the organisation with its
    commitment to pay for the place if the network does not, then given a place (or not)
    by the coordinators."""

    constraint_fields = {
        "one_open_nomination_per_member_per_cohort": "member",
        "nomination_commitment_is_complete": "commitment_reference",
    }

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="nominations")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="nominations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="nominations"
    )
    status = models.CharField(_("status"), max_length=10, choices=NominationStatus.choices)
    note = models.TextField(_("why this course, now"), max_length=1000, blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # The organisation's commitment, recorded by whoever approved for it.
    funds_if_needed = models.BooleanField(
        _("the organisation pays for this place if the network does not"), default=False
    )
    commitment_agreed_by = models.CharField(
        _("who agreed the spend (name and job title)"), max_length=200, blank=True
    )
    commitment_reference = models.CharField(
        _("budget code or purchase order"), max_length=100, blank=True
    )
    commitment_on = models.DateField(_("agreed on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)

    class Meta:
        ordering = ["cohort", "asked_at", "pk"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "member"],
                condition=Q(status__in=["requested", "approved", "placed"]),
                name="one_open_nomination_per_member_per_cohort",
                violation_error_message=_(
                    "This member has already been put forward for this cohort."
                ),
            ),
            models.CheckConstraint(
                condition=Q(funds_if_needed=False)
                | (
                    ~Q(commitment_agreed_by="")
                    & ~Q(commitment_reference="")
                    & Q(commitment_on__isnull=False)
                ),
                name="nomination_commitment_is_complete",
                violation_error_message=_(
                    "Say who agreed the spend, the budget code or purchase order, and the date."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.member} – {self.cohort}"


class Place(ConstraintMessagesBesideFields, models.Model):
    constraint_fields = {
        "one_current_place_per_member_per_cohort": "member",
        "active_place_has_a_funder": "funder",
    }

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="places")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="places")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="places")
    status = models.CharField(_("status"), max_length=10, choices=PlaceStatus.choices)
    active_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When it became a place, not a waiting one (for reminders)."),
    )
    funder = models.CharField(_("funded by"), max_length=12, choices=Funder.choices, blank=True)
    # Why the funder is who it is, as decided when the place was given: the rule's branch,
    # and the organisation's network-funded places (their pks) at that moment.
    funding_reason = models.CharField(
        _("why this funder"),
        max_length=16,
        choices=FundingReason.choices,
        blank=True,
        editable=False,
    )
    funding_holders = models.JSONField(default=list, blank=True, editable=False)
    # How the place was put forward, with the organisation's commitment (none for places
    # given before nominations went through organisations).
    nomination = models.OneToOneField(
        "Nomination", on_delete=models.SET_NULL, null=True, blank=True, related_name="place"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cohort", "created_at", "pk"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "member"],
                condition=~Q(status=PlaceStatus.WITHDRAWN),
                name="one_current_place_per_member_per_cohort",
                violation_error_message=_("This member already has a place on this cohort."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=[PlaceStatus.WAITING, PlaceStatus.WITHDRAWN])
                | ~Q(funder=""),
                name="active_place_has_a_funder",
                violation_error_message=_("A place on the course needs to say who funds it."),
            ),
        ]

    def __str__(self):
        return f"{self.member} – {self.cohort}"

    @property
    def withdrawable(self) -> bool:
        """A place can be withdrawn, or a waiting one removed, until it is completed."""
        return self.status not in (PlaceStatus.WITHDRAWN, PlaceStatus.COMPLETED)


class ReflectionSession(ConstraintMessagesBesideFields, models.Model):
    """One of a cohort's three fortnightly reflection sessions."""

    constraint_fields = {
        "session_ends_after_start": "ends_at",
        "session_number_unique": "number",
    }

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("session"))
    starts_at = models.DateTimeField(_("starts"), validators=[within_service_years])
    ends_at = models.DateTimeField(_("ends"), validators=[within_service_years])
    location = models.CharField(_("place"), max_length=300, blank=True)
    online_url = HttpsURLField(_("online link"), blank=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    agenda = models.TextField(_("agenda"), max_length=5000, blank=True)
    shared_notes = models.TextField(
        _("notes for those on the course"),
        max_length=10000,
        blank=True,
        help_text=_("Shown on My network to everyone with a place on the course."),
    )
    coordinator_notes = models.TextField(
        _("coordinators' notes"),
        max_length=10000,
        blank=True,
        help_text=_("Seen by the network's coordinators only."),
    )

    class Meta:
        ordering = ["cohort", "number"]
        verbose_name = _("reflection session")
        verbose_name_plural = _("reflection sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "number"],
                name="session_number_unique",
                violation_error_message=_("This cohort already has a session with that number."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("The session must end after it starts."),
            ),
        ]

    def __str__(self):
        return _("Reflection session %(n)s") % {"n": self.number}


class SessionAttendance(models.Model):
    session = models.ForeignKey(
        ReflectionSession, on_delete=models.CASCADE, related_name="attendance"
    )
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="attendance")
    attended = models.BooleanField(default=False)
    # What they answered through their invitation's links, before the session.
    reply = models.CharField(
        _("reply"),
        max_length=5,
        choices=[("yes", _("Coming")), ("no", _("Not coming")), ("maybe", _("Maybe"))],
        blank=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "place"],
                name="attendance_once_per_session",
                violation_error_message=_("Attendance is already recorded for this place."),
            ),
        ]

    def __str__(self):
        return f"{self.session}: {self.place}"


class Event(ConstraintMessagesBesideFields, models.Model):
    constraint_fields = {
        "event_ends_after_start": "ends_at",
        "event_has_a_place": "capacity",
    }

    class Mode(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Hybrid")

    class Format(models.TextChoices):
        LED = "led", _("Led session")
        UNCONFERENCE = "unconference", _("Unconference")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    mode = models.CharField(_("where"), max_length=10, choices=Mode.choices)
    format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    starts_at = models.DateTimeField(_("starts"), validators=[within_service_years])
    ends_at = models.DateTimeField(_("ends"), validators=[within_service_years])
    location = models.CharField(_("place"), max_length=300, blank=True)
    online_url = HttpsURLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # Unconference: how many sessions each attendee may vote for, and when the timetable
    # built from the votes was published to attendees.
    votes_per_attendee = models.PositiveSmallIntegerField(
        _("votes each attendee has (unconference)"), default=3
    )
    timetable_published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("The event must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="event_has_a_place",
                violation_error_message=_("An event needs at least one place."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("network:event", args=[self.slug])


class UnconferenceRoom(ConstraintMessagesBesideFields, models.Model):
    """A room (or online breakout) an unconference's sessions run in."""

    constraint_fields = {"room_name_once_per_event": "name"}

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("room"), max_length=100)
    capacity = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["event", "-capacity", "name"]
        verbose_name = _("unconference room")
        verbose_name_plural = _("unconference rooms")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="room_name_once_per_event",
                violation_error_message=_("This event already has a room with that name."),
            ),
        ]

    def __str__(self):
        return self.name


class UnconferenceSlot(ConstraintMessagesBesideFields, models.Model):
    """A time in an unconference's timetable, when a session runs in each room."""

    constraint_fields = {"slot_ends_after_start": "ends_at"}

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["event", "starts_at"]
        verbose_name = _("unconference slot")
        verbose_name_plural = _("unconference slots")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="slot_ends_after_start",
                violation_error_message=_("The slot must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class Pitch(models.Model):
    """A session an attendee of an unconference offers to run; attendees vote for those
    they would come to, and the timetable is built from the votes."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="pitches")
    pitcher = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="pitches")
    title = models.CharField(_("session title"), max_length=150)
    description = models.TextField(_("what it is about"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Where the timetable puts it (``services.unconference``): none until it is built.
    slot = models.ForeignKey(
        UnconferenceSlot, on_delete=models.SET_NULL, null=True, blank=True, related_name="pitches"
    )
    room = models.ForeignKey(
        UnconferenceRoom, on_delete=models.SET_NULL, null=True, blank=True, related_name="pitches"
    )

    class Meta:
        ordering = ["event", "created_at", "pk"]
        verbose_name = _("session pitch")
        verbose_name_plural = _("session pitches")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "room"],
                name="one_session_per_room_and_slot",
                violation_error_message=_("Another session is in that room then."),
            ),
        ]

    def __str__(self):
        return self.title


class PitchVote(models.Model):
    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="pitch_votes")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pitch", "voter"],
                name="one_vote_per_pitch_per_member",
                violation_error_message=_("You have already voted for this session."),
            ),
        ]

    def __str__(self):
        return f"{self.voter} → {self.pitch}"


class RsvpStatus(models.TextChoices):
    GOING = "going", _("Going")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class EventRsvp(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="rsvps")
    status = models.CharField(max_length=10, choices=RsvpStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)
    going_since = models.DateTimeField(
        null=True, blank=True, help_text=_("When they got a place (for reminders).")
    )
    # What they answered through their invitation's links (saying no gives the place up).
    reply = models.CharField(
        _("reply"), max_length=5, choices=[("yes", _("Coming")), ("maybe", _("Maybe"))], blank=True
    )
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "member"],
                name="one_rsvp_per_member",
                violation_error_message=_("You have already replied to this event."),
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.event}"


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    ENDED = "ended", _("Ended")


class MentoringMatch(ConstraintMessagesBesideFields, models.Model):
    """A 1-2-1 pair: proposed by matching, then confirmed, changed or rejected by a
    coordinator."""

    constraint_fields = {
        "no_self_mentoring": "mentor",
    }

    mentor = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="mentoring")
    mentee = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="mentored_by")
    status = models.CharField(
        max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Once confirmed: what the pair agreed to work on, the monthly check-in prompt, and how
    # it ended (``MentoringCheckIn``, ``MentoringFeedback``).
    goals = models.TextField(_("goals we agreed"), max_length=3000, blank=True)
    goals_agreed_at = models.DateTimeField(null=True, blank=True)
    prompted_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mentoring match")
        verbose_name_plural = _("mentoring matches")
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")),
                name="no_self_mentoring",
                violation_error_message=_("A member cannot mentor themselves."),
            ),
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status__in=["proposed", "confirmed"]),
                name="one_current_mentor_per_mentee",
                violation_error_message=_("This member already has a mentor."),
            ),
        ]

    def __str__(self):
        return f"{self.mentor} → {self.mentee}"


class EvaluationStage(models.TextChoices):
    BEFORE = "before", _("Before the course")
    AFTER = "after", _("After the course")


class EvaluationAnswer(models.Model):
    """One person's answers to the course evaluation, before or after the course. Kept
    with the place, so each is answered once and the response rate is known; reported
    only per cohort, under the disclosure control."""

    CONFIDENCE = [
        (1, _("Not at all confident")),
        (2, _("Not very confident")),
        (3, _("Fairly confident")),
        (4, _("Confident")),
        (5, _("Very confident")),
    ]
    AGREEMENT = [
        (1, _("Strongly disagree")),
        (2, _("Disagree")),
        (3, _("Neither agree nor disagree")),
        (4, _("Agree")),
        (5, _("Strongly agree")),
    ]
    CONNECTIONS = [
        (0, _("None")),
        (1, _("1 or 2")),
        (3, _("3 to 5")),
        (6, _("6 to 10")),
        (11, _("More than 10")),
    ]

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="evaluations")
    stage = models.CharField(max_length=6, choices=EvaluationStage.choices)
    confidence = models.PositiveSmallIntegerField(
        _("How confident do you feel speaking up and leading in your work?"), choices=CONFIDENCE
    )
    efficacy = models.PositiveSmallIntegerField(
        _("“I can lead a team or a piece of work through a difficult time.”"),
        choices=AGREEMENT,
    )
    connections = models.PositiveSmallIntegerField(
        _("How many people in other councils could you ask for advice?"), choices=CONNECTIONS
    )
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("course evaluation answer")
        verbose_name_plural = _("course evaluation answers")
        constraints = [
            models.UniqueConstraint(
                fields=["place", "stage"],
                name="evaluation_once_per_place_and_stage",
                violation_error_message=_("You have already answered this questionnaire."),
            ),
        ]

    def __str__(self):
        return f"{self.place}: {self.get_stage_display()}"


class PairRole(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


class MentoringCheckIn(models.Model):
    """One person's monthly word on how their pairing is going (the outbox prompts it)."""

    class How(models.TextChoices):
        WELL = "well", _("Going well")
        DIFFICULT = "difficult", _("Some difficulty")
        NOT_MEETING = "not_meeting", _("We have not been meeting")

    match = models.ForeignKey(MentoringMatch, on_delete=models.CASCADE, related_name="check_ins")
    role = models.CharField(max_length=6, choices=PairRole.choices)
    how = models.CharField(_("how is it going?"), max_length=12, choices=How.choices)
    note = models.TextField(
        _("anything the coordinators should know (optional)"), max_length=2000, blank=True
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("mentoring check-in")
        verbose_name_plural = _("mentoring check-ins")

    def __str__(self):
        return f"{self.match}: {self.get_how_display()}"


class MentoringFeedback(models.Model):
    """How a pairing went, in the words of one of the two, when it ends."""

    match = models.ForeignKey(MentoringMatch, on_delete=models.CASCADE, related_name="feedback")
    role = models.CharField(max_length=6, choices=PairRole.choices)
    useful = models.PositiveSmallIntegerField(
        _("how useful was it?"),
        choices=[
            (5, _("Very useful")),
            (4, _("Useful")),
            (3, _("Somewhat useful")),
            (2, _("Not very useful")),
            (1, _("Not useful at all")),
        ],
    )
    comments = models.TextField(
        _("what worked, and what would have helped"), max_length=3000, blank=True
    )
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["match", "role"]
        verbose_name = _("mentoring feedback")
        verbose_name_plural = _("mentoring feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["match", "role"],
                name="feedback_once_per_person_per_pair",
                violation_error_message=_("You have already given feedback on this pairing."),
            ),
        ]

    def __str__(self):
        return f"{self.match}: {self.useful}"


for model in (Organisation, Topic, Cohort, ReflectionSession, Event):
    auditlog.register(model)
# Coordinators' decisions about people are audited, never the people's own details; a
# member who leaves takes this history with them (see services.membership_leave).
auditlog.register(Membership, include_fields=["status", "organisation", "seniority", "discipline"])
auditlog.register(Place, include_fields=["status", "funder"])
auditlog.register(OrganisationLead)
auditlog.register(
    Nomination,
    include_fields=[
        "status",
        "funds_if_needed",
        "commitment_agreed_by",
        "commitment_reference",
        "commitment_on",
    ],
)
auditlog.register(MentoringMatch, include_fields=["status", "ended_at"])
# An unconference's timetable: coordinators' rooms and slots, and where each session runs
# (built from the votes, or moved by hand).
auditlog.register(UnconferenceRoom)
auditlog.register(UnconferenceSlot)
auditlog.register(Pitch, include_fields=["slot", "room"])
