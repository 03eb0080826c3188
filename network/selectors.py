"""Reads of the network, each page in a fixed number of queries."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import (
    ACTIVE_PLACE,
    Cohort,
    Event,
    EventRsvp,
    Funder,
    MatchStatus,
    Membership,
    MembershipStatus,
    MentoringMatch,
    Organisation,
    Place,
    PlaceStatus,
    RsvpStatus,
    Topic,
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


def directory() -> list[DirectoryEntry]:
    """Listed members, each showing only the fields they chose to show (2 queries)."""
    members = (
        Membership.objects.filter(status=MembershipStatus.APPROVED, listed=True)
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

    def below(self, target: int) -> bool:
        return self.places < target


@dataclass
class CohortSummary:
    cohort: Cohort
    by_organisation: list[OrganisationPlaces]
    below_target: list[OrganisationPlaces]
    places: list[Place]
    waiting: list[Place]
    active: int
    network_places: int
    organisation_places: int

    @property
    def network_budget(self) -> Decimal:
        return self.network_places * self.cohort.cost_per_place

    @property
    def organisation_budget(self) -> Decimal:
        return self.organisation_places * self.cohort.cost_per_place

    @property
    def total_budget(self) -> Decimal:
        return self.network_budget + self.organisation_budget


def cohort_summary(*, cohort: Cohort) -> CohortSummary:
    """Places by organisation with those below the aim, the waiting list, and the budget
    by funder (3 queries)."""
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
        OrganisationPlaces(o, o.n_places, o.n_network, o.n_own, o.n_waiting) for o in organisations
    ]
    places = list(
        cohort.places.exclude(status=PlaceStatus.WITHDRAWN)
        .select_related("member", "organisation")
        .order_by("organisation__name", "created_at")
    )
    current = [p for p in places if p.status in ACTIVE_PLACE]
    return CohortSummary(
        cohort=cohort,
        by_organisation=by_organisation,
        below_target=[
            o
            for o in by_organisation
            if o.organisation.is_member and o.below(cohort.target_per_organisation)
        ],
        places=current,
        waiting=sorted(
            (p for p in places if p.status == PlaceStatus.WAITING),
            key=lambda p: (p.created_at, p.pk),
        ),
        active=len(current),
        network_places=sum(p.funder == Funder.NETWORK for p in current),
        organisation_places=sum(p.funder == Funder.ORGANISATION for p in current),
    )


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


def my_matches(membership: Membership) -> QuerySet[MentoringMatch]:
    return matches(status=MatchStatus.CONFIRMED).filter(Q(mentor=membership) | Q(mentee=membership))
