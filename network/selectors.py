"""Reads of the network, each page in a fixed number of queries."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reporting.breakdowns import Breakdown, build_breakdown

from .models import (
    ACTIVE_PLACE,
    OPEN_NOMINATION,
    Cohort,
    EvaluationAnswer,
    EvaluationStage,
    Event,
    EventRsvp,
    Funder,
    FundingReason,
    MatchStatus,
    Membership,
    MembershipStatus,
    MentoringCheckIn,
    MentoringFeedback,
    MentoringMatch,
    Nomination,
    NominationStatus,
    Organisation,
    Pitch,
    PitchVote,
    Place,
    PlaceStatus,
    ReflectionSession,
    RsvpStatus,
    SessionAttendance,
    Topic,
    UnconferenceRoom,
    UnconferenceSlot,
)


@dataclass
class DirectoryEntry:
    """What one member chose to show: ``None`` for anything they keep to themselves."""

    name: str
    email: str | None
    role: str | None
    organisation: str | None
    seniority: str | None
    bio: str | None
    topics: list[str]
    offers_mentoring: bool


def listed_members() -> QuerySet[Membership]:
    """The members in the directory: approved, and listed by their own choice."""
    return Membership.objects.filter(status=MembershipStatus.APPROVED, listed=True)


def directory_organisations() -> QuerySet[Organisation]:
    """Organisations the directory shows: those of listed members who show theirs."""
    return (
        Organisation.objects.filter(memberships__in=listed_members().filter(show_organisation=True))
        .distinct()
        .order_by("name")
    )


def directory_topics() -> QuerySet[Topic]:
    """Topics the directory shows: those listed members mentor in."""
    return (
        Topic.objects.filter(members__in=listed_members().filter(offers_mentoring=True))
        .distinct()
        .order_by("name")
    )


def directory(members: QuerySet[Membership] | None = None) -> list[DirectoryEntry]:
    """Listed members (``members``: some of them, filtered), each showing only the fields
    they chose to show (2 queries)."""
    members = (
        (listed_members() if members is None else members)
        .select_related("organisation", "user")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("name")))
        .order_by("name")
    )
    return [
        DirectoryEntry(
            name=m.name,
            email=m.user.email if m.show_email and m.user else None,
            role=m.role if m.show_role else None,
            organisation=m.organisation.name if m.show_organisation else None,
            seniority=m.get_seniority_display() if m.show_seniority else None,
            bio=m.bio if m.show_bio else None,
            topics=[t.name for t in m.topics.all()],
            offers_mentoring=m.offers_mentoring,
        )
        for m in members
    ]


def applications() -> QuerySet[Membership]:
    return (
        Membership.objects.filter(status=MembershipStatus.APPLIED)
        .select_related("organisation", "user")
        .order_by("applied_at")
    )


@dataclass
class OrganisationPlaces:
    organisation: Organisation
    places: int
    network_funded: int
    organisation_funded: int
    waiting: int
    below_aim: bool = False  # a member organisation with fewer people than the cohort's aim

    @property
    def taking_part(self) -> bool:
        return bool(self.places or self.waiting)


@dataclass
class CohortSummary:
    """A cohort's page. Each place in ``places`` carries ``funding_explanation``: why its
    funder is who it is, in words, from what the funding rule decided at the time."""

    cohort: Cohort
    by_organisation: list[OrganisationPlaces]
    below_target: list[OrganisationPlaces]
    places: list[Place]
    waiting: list[Place]
    active: int
    network_places: int
    organisation_places: int

    @property
    def with_places(self) -> list[OrganisationPlaces]:
        """Organisations with a place or someone waiting for one."""
        return [o for o in self.by_organisation if o.taking_part]

    @property
    def without_places(self) -> list[OrganisationPlaces]:
        """Member organisations with nobody on the cohort yet."""
        return [o for o in self.by_organisation if o.organisation.is_member and not o.taking_part]

    @property
    def organisations_shown(self) -> int:
        """How many organisations the page lists: those taking part, then the rest."""
        return len(self.with_places) + len(self.without_places)

    @property
    def free_places(self) -> int:
        return max(self.cohort.capacity - self.active, 0)

    @property
    def network_places_left(self) -> int:
        return max(self.cohort.network_funded_places - self.network_places, 0)

    @property
    def reached_target(self) -> int:
        """Member organisations with at least the aimed-for number of people."""
        return sum(o.organisation.is_member for o in self.by_organisation) - len(self.below_target)

    @property
    def network_budget(self) -> Decimal:
        return self.network_places * self.cohort.cost_per_place

    @property
    def organisation_budget(self) -> Decimal:
        return self.organisation_places * self.cohort.cost_per_place

    @property
    def total_budget(self) -> Decimal:
        return self.network_budget + self.organisation_budget

    @property
    def chart(self) -> list[tuple]:
        """The cohort's places by funder, for ``bar_chart``: share of all its places."""
        capacity = self.cohort.capacity

        def share(n):
            return round(100 * n / capacity) if capacity else 0

        rows = [
            (_("Funded by the network"), self.network_places),
            (_("Paid by organisations"), self.organisation_places),
            (_("Not yet taken"), self.free_places),
        ]
        return [(label, n, share(n), False) for label, n in rows]


def cohort_summary(*, cohort: Cohort) -> CohortSummary:
    """Places by organisation with those below the aim, the waiting list, the budget by
    funder, and why each place has its funder (4 queries)."""
    active = Q(places__cohort=cohort, places__status__in=ACTIVE_PLACE)
    organisations = (
        Organisation.objects.filter(Q(is_member=True) | Q(places__cohort=cohort))
        .annotate(
            n_places=Count("places", filter=active),
            n_network=Count("places", filter=active & Q(places__funder=Funder.NETWORK)),
            n_own=Count("places", filter=active & Q(places__funder=Funder.ORGANISATION)),
            n_waiting=Count(
                "places", filter=Q(places__cohort=cohort, places__status=PlaceStatus.WAITING)
            ),
        )
        .distinct()
        .order_by("name")
    )
    by_organisation = [
        OrganisationPlaces(
            o,
            o.n_places,
            o.n_network,
            o.n_own,
            o.n_waiting,
            below_aim=o.is_member and o.n_places < cohort.target_per_organisation,
        )
        for o in organisations
    ]
    places = list(
        cohort.places.exclude(status=PlaceStatus.WITHDRAWN)
        .select_related("member", "organisation", "nomination")
        .order_by("organisation__name", "created_at", "pk")
    )
    current = [p for p in places if p.status in ACTIVE_PLACE]
    _explain_funding(cohort, current)
    return CohortSummary(
        cohort=cohort,
        by_organisation=by_organisation,
        below_target=[o for o in by_organisation if o.below_aim],
        places=current,
        waiting=sorted(
            (p for p in places if p.status == PlaceStatus.WAITING),
            key=lambda p: (p.created_at, p.pk),
        ),
        active=len(current),
        network_places=sum(p.funder == Funder.NETWORK for p in current),
        organisation_places=sum(p.funder == Funder.ORGANISATION for p in current),
    )


def _explain_funding(cohort: Cohort, places: list[Place]) -> None:
    """Set ``funding_explanation`` on each place (1 query for the places named in them)."""
    wanted = {pk for p in places for pk in p.funding_holders}
    holders = (
        Place.objects.filter(pk__in=wanted).select_related("member").in_bulk() if wanted else {}
    )
    earlier: dict[int, int] = {}  # the organisation's current places given before this one
    for place in sorted(places, key=lambda p: (p.created_at, p.pk)):
        place.funding_explanation = funding_explanation(
            place,
            cohort=cohort,
            holders=[holders[pk] for pk in place.funding_holders if pk in holders],
            first=not earlier.get(place.organisation_id),
        )
        earlier[place.organisation_id] = earlier.get(place.organisation_id, 0) + 1


def funding_explanation(place: Place, *, cohort: Cohort, holders: list[Place], first: bool) -> str:
    """Why a place has its funder, in words, from the branch of the funding rule that
    decided it (``services.cohorts.funding_for``) and the organisation's network-funded
    places at that moment (``holders``). ``first``: no current place of the organisation
    in the cohort was given before this one."""
    org = place.organisation.name
    reason = place.funding_reason
    if place.funder == Funder.NETWORK and reason == FundingReason.NETWORK_SHARE:
        if place.funding_holders:
            return _("Network-funded: place %(n)s of the %(per)s the network funds for %(org)s") % {
                "n": len(place.funding_holders) + 1,
                "per": cohort.funded_per_organisation,
                "org": org,
            }
        if first:
            return _("Network-funded: first nominee from %(org)s") % {"org": org}
        return _(
            "Network-funded: when this place was given, nobody from %(org)s had a "
            "network-funded place"
        ) % {"org": org}
    if place.funder == Funder.NETWORK and reason == FundingReason.RELEASED:
        return _(
            "Network-funded: a place not taken by %(day)s, released to %(org)s's further "
            "nominee (released places go first to organisations with the fewest "
            "network-funded places, then in the order the organisations approved their "
            "nominees)"
        ) % {"org": org, "day": f"{cohort.release_on:%-d %B %Y}"}
    if place.funder != Funder.ORGANISATION:
        return place.get_funder_display()
    if reason == FundingReason.SHARE_TAKEN:
        names = ", ".join(
            str(h.member)
            if h.status in ACTIVE_PLACE
            else _("%(name)s (withdrawn since)") % {"name": h.member}
            for h in holders
        )
        if holders and all(h.status in ACTIVE_PLACE for h in holders):
            return ngettext(
                "Paid by organisation: %(org)s's network-funded place is taken by %(names)s",
                "Paid by organisation: %(org)s's network-funded places are taken by %(names)s",
                len(holders),
            ) % {"org": org, "names": names}
        if holders:
            return ngettext(
                "Paid by organisation: when this place was given, %(org)s's network-funded "
                "place was taken by %(names)s",
                "Paid by organisation: when this place was given, %(org)s's network-funded "
                "places were taken by %(names)s",
                len(holders),
            ) % {"org": org, "names": names}
        return _(
            "Paid by organisation: when this place was given, %(org)s's network-funded "
            "place was already taken"
        ) % {"org": org}
    if reason == FundingReason.BUDGET_SPENT:
        return _(
            "Paid by organisation: when this place was given, the network's funded places "
            "were all taken"
        )
    if reason == FundingReason.NOT_A_MEMBER:
        return _(
            "Paid by organisation: %(org)s is not a member of the network, which funds places "
            "for its member organisations only"
        ) % {"org": org}
    return place.get_funder_display()


def upcoming_events() -> QuerySet[Event]:
    """Events still to come, with how many are going (1 query)."""
    return Event.objects.filter(ends_at__gte=timezone.now()).annotate(
        going=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.GOING)),
        waiting=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.WAITING)),
    )


def event_with_counts(*, slug: str) -> Event:
    return Event.objects.annotate(
        going=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.GOING)),
        waiting=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.WAITING)),
    ).get(slug=slug)


def rsvp_of(event: Event, membership: Membership | None) -> EventRsvp | None:
    if membership is None:
        return None
    return event.rsvps.filter(member=membership).first()


def waiting_position(rsvp: EventRsvp) -> int:
    return (
        EventRsvp.objects.filter(event_id=rsvp.event_id, status=RsvpStatus.WAITING)
        .filter(Q(created_at__lt=rsvp.created_at) | Q(created_at=rsvp.created_at, pk__lte=rsvp.pk))
        .count()
    )


def matches(*, status=None) -> QuerySet[MentoringMatch]:
    qs = MentoringMatch.objects.select_related(
        "mentor__organisation", "mentee__organisation", "mentor__user", "mentee__user"
    ).order_by("-score", "pk")
    return qs.filter(status=status) if status else qs.exclude(status=MatchStatus.REJECTED)


def recently_rejected() -> QuerySet[MentoringMatch]:
    """Pairs rejected in the last day, newest first: those a coordinator may still undo."""
    since = timezone.now() - datetime.timedelta(days=1)
    return (
        matches(status=MatchStatus.REJECTED)
        .filter(decided_at__gte=since)
        .order_by("-decided_at", "pk")
    )


def my_matches(membership: Membership) -> QuerySet[MentoringMatch]:
    return matches(status=MatchStatus.CONFIRMED).filter(Q(mentor=membership) | Q(mentee=membership))


def applications_waiting_count() -> int:
    """How many applications to join wait for a coordinator's decision (1 query)."""
    return Membership.objects.filter(status=MembershipStatus.APPLIED).count()


def cohorts_with_places_to_confirm() -> QuerySet[Cohort]:
    """Cohorts with nominated places a coordinator has still to confirm, soonest first,
    each with how many (``to_confirm``) (1 query)."""
    return (
        Cohort.objects.annotate(
            to_confirm=Count("places", filter=Q(places__status=PlaceStatus.NOMINATED))
        )
        .filter(to_confirm__gt=0)
        .order_by("starts_on", "pk")
    )


def proposed_pairs() -> list[MentoringMatch]:
    """Proposed pairs, best fit first, each with ``fit``: its fit now, as the sum of its
    parts, by the rules that scored it (3 queries)."""
    from . import matching  # NumPy, which only the mentoring pages need

    topics = Topic.objects.only("pk", "name")
    pairs = list(
        matches(status=MatchStatus.PROPOSED).prefetch_related(
            Prefetch("mentor__topics", queryset=topics),
            Prefetch("mentee__topics", queryset=topics),
        )
    )
    for pair in pairs:
        pair.fit = matching.explain(pair.mentor, pair.mentee)
    return pairs


def unmatched_seekers():
    """Members who would like a mentor and have no pair, each with why (7 queries)."""
    from . import matching  # NumPy, which only the mentoring pages need

    return matching.unmatched()


def news_readers() -> QuerySet[Membership]:
    """Members who asked for the network's news, with an account to email (1 query)."""
    return Membership.objects.filter(
        status=MembershipStatus.APPROVED, receives_optional_email=True, user__isnull=False
    ).select_related("user")


def led_organisations(user) -> QuerySet[Organisation]:
    """The organisations ``user`` leads for."""
    return Organisation.objects.filter(leads__user=user).order_by("name")


def nominations_of(organisations) -> QuerySet[Nomination]:
    """The nominations of ``organisations``' people, newest cohort first, with their
    places and who decided."""
    return (
        Nomination.objects.filter(organisation__in=organisations)
        .select_related("member", "organisation", "cohort", "place", "approved_by", "decided_by")
        .order_by("-cohort__starts_on", "organisation__name", "asked_at", "pk")
    )


def cohort_nominations(cohort: Cohort) -> dict[str, list[Nomination]]:
    """A cohort's nominations still to be decided: ``approved`` (by their organisation,
    for the coordinators) and ``requested`` (waiting for their organisation)."""
    found = {"approved": [], "requested": []}
    for nomination in (
        Nomination.objects.filter(
            cohort=cohort,
            status__in=[NominationStatus.REQUESTED, NominationStatus.APPROVED],
        )
        .select_related("member", "organisation", "approved_by")
        .order_by("approved_at", "asked_at", "pk")
    ):
        found[nomination.status].append(nomination)
    return found


def open_cohorts() -> QuerySet[Cohort]:
    """Cohorts still taking nominations: those not yet started, soonest first."""
    return Cohort.objects.filter(starts_on__gt=timezone.localdate()).order_by("starts_on")


@dataclass
class MyNetwork:
    """A member's whole part in the network, for "My network" (``my_network``)."""

    membership: Membership
    nominations: list[Nomination]  # each with ``place`` (or None)
    places: list[Place]  # without a nomination: given before nominations went through
    sessions: list  # (place, session, reply) for each session of a current place
    matches: list[MentoringMatch]  # confirmed pairings
    feedback_due: list[MentoringMatch]  # ended pairings they have not given feedback on
    events: list[EventRsvp]
    can_ask: list[Cohort]  # open cohorts they have not been put forward for
    evaluations: list  # (place, stage): questionnaires open now and not yet answered

    @property
    def shared(self) -> list[tuple[str, bool]]:
        """What the member directory shows of them, as they chose."""
        m = self.membership
        return [
            (_("Listed in the member directory"), m.listed),
            (_("Job title"), m.listed and m.show_role),
            (_("Organisation"), m.listed and m.show_organisation),
            (_("Level"), m.listed and m.show_seniority),
            (_("About me"), m.listed and m.show_bio),
            (_("Email address"), m.listed and m.show_email),
        ]


def _pairings(membership: Membership) -> dict[str, list[MentoringMatch]]:
    pairs = list(
        MentoringMatch.objects.filter(
            Q(mentor=membership) | Q(mentee=membership),
            status__in=[MatchStatus.CONFIRMED, MatchStatus.ENDED],
        ).select_related("mentor", "mentee")
    )
    given = set(MentoringFeedback.objects.filter(match__in=pairs).values_list("match_id", "role"))
    for pair in pairs:
        pair.role = "mentor" if pair.mentor_id == membership.pk else "mentee"
        pair.other = pair.mentee if pair.role == "mentor" else pair.mentor
    return {
        "matches": [p for p in pairs if p.status == MatchStatus.CONFIRMED],
        "feedback_due": [
            p for p in pairs if p.status == MatchStatus.ENDED and (p.pk, p.role) not in given
        ],
    }


def my_network(membership: Membership) -> MyNetwork:
    """Everything of one member's part in the network: nominations and places, the
    reflection sessions of their current places with their replies, mentoring pairs (and
    ended ones waiting for their feedback), events to come, and cohorts they could ask for
    (9 queries)."""
    nominations = list(
        Nomination.objects.filter(member=membership)
        .select_related("cohort", "organisation", "place__cohort")
        .order_by("-cohort__starts_on", "-asked_at")
    )
    for nomination in nominations:
        nomination.current_place = getattr(nomination, "place", None)
    places = list(
        Place.objects.filter(member=membership, nomination__isnull=True)
        .exclude(status=PlaceStatus.WITHDRAWN)
        .select_related("cohort")
    )
    current = [
        n.current_place
        for n in nominations
        if n.current_place is not None and n.current_place.status in ACTIVE_PLACE
    ] + [p for p in places if p.status in ACTIVE_PLACE]
    replies = {
        (a.session_id, a.place_id): a for a in SessionAttendance.objects.filter(place__in=current)
    }
    by_cohort = {p.cohort_id: p for p in current}
    sessions = [
        (by_cohort[s.cohort_id], s, replies.get((s.pk, by_cohort[s.cohort_id].pk)))
        for s in ReflectionSession.objects.filter(cohort_id__in=by_cohort)
        .select_related("cohort")
        .defer("coordinator_notes")  # never on a member's page
    ]
    put_forward = {n.cohort_id for n in nominations if n.status in OPEN_NOMINATION}
    put_forward |= {p.cohort_id for p in places}
    return MyNetwork(
        membership=membership,
        nominations=nominations,
        places=places,
        sessions=sessions,
        **_pairings(membership),
        events=list(
            EventRsvp.objects.filter(
                member=membership,
                event__ends_at__gte=timezone.now(),
                status__in=[RsvpStatus.GOING, RsvpStatus.WAITING],
            ).select_related("event")
        ),
        can_ask=[c for c in open_cohorts() if c.pk not in put_forward],
        evaluations=_evaluations_open(current),
    )


def _evaluations_open(places: list[Place]) -> list:
    today = timezone.localdate()
    done = set(EvaluationAnswer.objects.filter(place__in=places).values_list("place_id", "stage"))
    return [
        (place, stage)
        for place in places
        for stage in EvaluationStage
        if (place.pk, stage) not in done and place.cohort.evaluation_open(stage, today)
    ]


# Coordinators see a pair whose last check-in (or confirmation) is older than this.
QUIET = datetime.timedelta(days=61)


def quiet_pairs(now=None) -> QuerySet[MentoringMatch]:
    """Confirmed pairs with no check-in from either person for two months (counted from
    confirmation when there is none yet), the quietest first (1 query)."""
    cutoff = (now or timezone.now()) - QUIET
    return (
        MentoringMatch.objects.filter(status=MatchStatus.CONFIRMED, decided_at__lte=cutoff)
        .annotate(last_check_in=Max("check_ins__at"))
        .filter(Q(last_check_in__isnull=True) | Q(last_check_in__lte=cutoff))
        .select_related("mentor", "mentee")
        .order_by(Coalesce("last_check_in", "decided_at"))
    )


def recent_check_ins(limit: int = 20) -> QuerySet[MentoringCheckIn]:
    """The latest check-ins of pairs still going, with their notes for the coordinators."""
    return (
        MentoringCheckIn.objects.filter(match__status=MatchStatus.CONFIRMED)
        .select_related("match__mentor", "match__mentee")
        .order_by("-at", "-pk")[:limit]
    )


@dataclass
class CohortEvaluation:
    """A cohort's course evaluation for coordinators: response rates, and each question's
    answers before and after, suppressed as published figures are (``reporting.disclosure``)."""

    places: int
    answered: dict[str, int]  # by stage
    tables: list[tuple[str, Breakdown]]  # (question, its answers by stage)
    protected: bool  # False: nothing can be shown without singling someone out


def cohort_evaluation(cohort: Cohort) -> CohortEvaluation:
    """The cohort's evaluation under the disclosure control (3 queries)."""
    from reporting.disclosure import protect_tables  # it loads SciPy: only this page needs it

    places = cohort.places.filter(status__in=ACTIVE_PLACE).count()
    answers = EvaluationAnswer.objects.filter(place__cohort=cohort, place__status__in=ACTIVE_PLACE)
    answered = dict(answers.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    stages = list(EvaluationStage.choices)
    questions = ("confidence", "efficacy", "connections")
    rows = list(answers.values_list("stage", *questions))
    tables = {}
    for index, name in enumerate(questions, start=1):
        field = EvaluationAnswer._meta.get_field(name)
        counts: dict[tuple, int] = {}
        for row in rows:
            key = (row[index], row[0])
            counts[key] = counts.get(key, 0) + 1
        tables[(name, "stage")] = build_breakdown(
            rows=list(field.choices),
            columns=stages,
            counts=counts,
            group_sizes={stage: answered.get(stage, 0) for stage, _label in stages},
        )
    left = protect_tables(
        tables,
        threshold=settings.SUPPRESSION_THRESHOLD,
        protection=settings.DISCLOSURE_PROTECTION_RANGE,
    )
    return CohortEvaluation(
        places=places,
        answered={stage: answered.get(stage, 0) for stage, _label in stages},
        tables=[
            (str(EvaluationAnswer._meta.get_field(name).verbose_name), tables[(name, "stage")])
            for name in questions
        ],
        protected=not left,
    )


@dataclass
class Programme:
    """An unconference's pitches, votes and timetable, as one member (or a coordinator,
    ``member=None``) sees them."""

    event: Event
    pitches: list[Pitch]  # each with ``n_votes`` and ``mine`` (the member voted for it)
    votes_left: int
    slots: list[UnconferenceSlot]
    rooms: list[UnconferenceRoom]
    grid: list[tuple[UnconferenceSlot, list[Pitch | None]]]  # a row per slot, a cell per room
    unplaced: list[Pitch]


def programme(event: Event, member: Membership | None = None) -> Programme:
    """An unconference's programme (5 queries)."""
    pitches = list(
        event.pitches.select_related("pitcher", "slot", "room")
        .annotate(n_votes=Count("votes"))
        .order_by("-n_votes", "created_at", "pk")
    )
    mine = (
        set(
            PitchVote.objects.filter(pitch__event=event, voter=member).values_list(
                "pitch_id", flat=True
            )
        )
        if member is not None
        else set()
    )
    for pitch in pitches:
        pitch.mine = pitch.pk in mine
    slots, rooms = list(event.slots.all()), list(event.rooms.all())
    at = {(p.slot_id, p.room_id): p for p in pitches if p.slot_id}
    return Programme(
        event=event,
        pitches=pitches,
        votes_left=max(event.votes_per_attendee - len(mine), 0),
        slots=slots,
        rooms=rooms,
        grid=[(slot, [at.get((slot.pk, room.pk)) for room in rooms]) for slot in slots],
        unplaced=[p for p in pitches if not p.slot_id],
    )
