"""Course cohorts, their reflection sessions, and places with their funding."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common import audit
from common.services import check_editable
from notifications import reminders

from .. import emails
from ..models import (
    ACTIVE_PLACE,
    Cohort,
    Funder,
    FundingReason,
    Membership,
    Organisation,
    Place,
    PlaceStatus,
    ReflectionSession,
    SessionAttendance,
)
from .errors import NotAllowed


def _future_sessions(cohort_id: int):
    return ReflectionSession.objects.filter(
        cohort_id=cohort_id, starts_at__gt=timezone.now(), is_cancelled=False
    )


def _invite_to_sessions(place: Place) -> None:
    """Send the invitation of each reflection session still ahead to someone given a
    place (unless they have left the network)."""
    user = place.member.user
    if user is None:
        return
    stamp = f"place{place.pk}:{place.active_since:%Y%m%dT%H%M%S.%f}"
    for session in _future_sessions(place.cohort_id):
        reminders.invite(ReflectionSession, session.pk, [(user.email, stamp)])


def _uninvite_from_sessions(place: Place) -> None:
    """Take the reflection sessions still ahead off the calendar of someone whose place
    has gone."""
    user = place.member.user
    if user is not None:
        for session in _future_sessions(place.cohort_id):
            reminders.uninvite(ReflectionSession, session.pk, [user.email])


def cohort_create(
    *, starts_on: datetime.date, session_time=datetime.time(12, 30), **fields
) -> Cohort:
    """Set up a cohort and its three fortnightly reflection sessions within its weeks: the
    last at the end of the final week (the Friday, for a Monday start), the others two and
    four weeks before it (online, an hour, editable afterwards)."""
    cohort = Cohort(starts_on=starts_on, **fields)
    cohort.full_clean()
    with transaction.atomic():
        cohort.save()
        for number in (1, 2, 3):
            day = starts_on + datetime.timedelta(weeks=cohort.weeks - 2 * (3 - number), days=-3)
            starts_at = timezone.make_aware(datetime.datetime.combine(day, session_time))
            ReflectionSession.objects.create(
                cohort=cohort,
                number=number,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=1),
            )
    return cohort


def session_update(*, session: ReflectionSession, **fields) -> ReflectionSession:
    """Move or change a reflection session. A new time or place bumps its calendar SEQUENCE."""
    check_editable(fields, {"starts_at", "ends_at", "location", "online_url"})
    with transaction.atomic():
        reminders.occurrence_change(ReflectionSession, session.pk, fields)
    session.refresh_from_db()
    return session


def session_cancel(*, session: ReflectionSession) -> ReflectionSession:
    """Cancel a reflection session: it stays on record, marked cancelled, and those
    already reminded get a calendar cancellation."""
    stored = reminders.occurrence_cancel(ReflectionSession, session.pk)
    session.is_cancelled, session.sequence = stored.is_cancelled, stored.sequence
    return session


@dataclass(frozen=True)
class Funding:
    """Who funds a place, which part of the rule decided it, and the organisation's
    network-funded places (pks) when it was decided."""

    funder: str
    reason: str
    holders: list[int]


def funding_for(cohort: Cohort, organisation: Organisation) -> Funding:
    """The network funds places for its member organisations only: while it has funded
    places left and the organisation has fewer than its share of them. Otherwise the
    organisation funds the place. The caller holds the cohort's lock."""
    if not organisation.is_member:
        return Funding(Funder.ORGANISATION, FundingReason.NOT_A_MEMBER, [])
    funded = Place.objects.filter(cohort=cohort, status__in=ACTIVE_PLACE, funder=Funder.NETWORK)
    holders = list(funded.filter(organisation=organisation).values_list("pk", flat=True))
    if len(holders) >= cohort.funded_per_organisation:
        return Funding(Funder.ORGANISATION, FundingReason.SHARE_TAKEN, holders)
    if funded.count() >= cohort.network_funded_places:
        return Funding(Funder.ORGANISATION, FundingReason.BUDGET_SPENT, holders)
    return Funding(Funder.NETWORK, FundingReason.NETWORK_SHARE, holders)


def _lock(cohort: Cohort) -> Cohort:
    # Places are counted then written: one change to a cohort's places at a time.
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


def _offer_free_places(cohort: Cohort) -> list[Place]:
    """Offer the cohort's free places to the waiting list, first come first served, each
    funded by the rules as they stand. The caller holds the cohort's lock."""
    free = cohort.capacity - Place.objects.filter(cohort=cohort, status__in=ACTIVE_PLACE).count()
    if free <= 0:
        return []
    offered = list(
        Place.objects.filter(cohort=cohort, status=PlaceStatus.WAITING)
        .select_related("organisation", "member__user")
        .order_by("created_at", "pk")[:free]
    )
    for place in offered:
        funding = funding_for(cohort, place.organisation)
        place.status = PlaceStatus.NOMINATED
        place.funder, place.funding_reason = funding.funder, funding.reason
        place.funding_holders = funding.holders
        place.active_since = timezone.now()
        place.save(
            update_fields=[
                "status",
                "funder",
                "funding_reason",
                "funding_holders",
                "active_since",
                "changed_at",
            ]
        )
        emails.post_place_offer(place)
        _invite_to_sessions(place)
    return offered


def place_nominate(*, cohort: Cohort, member: Membership) -> Place:
    """Nominate a member: a place with its funder (and the reflection sessions' invitations)
    while places remain, else the waiting list. Anyone already waiting is offered a free
    place before a new nominee."""
    if not member.is_member:
        raise NotAllowed(_("Only members of the network can take a place."))
    with transaction.atomic():
        cohort = _lock(cohort)
        # Places can be free while people wait, when a coordinator raises the capacity.
        _offer_free_places(cohort)
        active = Place.objects.filter(cohort=cohort, status__in=ACTIVE_PLACE).count()
        if active < cohort.capacity:
            status, funding = PlaceStatus.NOMINATED, funding_for(cohort, member.organisation)
        else:
            status, funding = PlaceStatus.WAITING, Funding("", "", [])
        try:
            with transaction.atomic():
                place = Place.objects.create(
                    cohort=cohort,
                    member=member,
                    organisation=member.organisation,
                    status=status,
                    funder=funding.funder,
                    funding_reason=funding.reason,
                    funding_holders=funding.holders,
                    active_since=timezone.now() if status != PlaceStatus.WAITING else None,
                )
        except IntegrityError as error:
            raise NotAllowed(
                _("%(name)s already has a place or is on the waiting list.") % {"name": member}
            ) from error
        if status != PlaceStatus.WAITING:
            _invite_to_sessions(place)
        return place


def place_confirm(*, place: Place) -> Place:
    with transaction.atomic():
        _lock(place.cohort)
        if not audit.audited_update(
            Place.objects.filter(pk=place.pk, status=PlaceStatus.NOMINATED).select_related(
                "member", "cohort"
            ),
            status=PlaceStatus.CONFIRMED,
        ):
            raise NotAllowed(_("Only a nominated place can be confirmed."))
    place.refresh_from_db()
    return place


def place_complete(*, place: Place) -> Place:
    if not audit.audited_update(
        Place.objects.filter(pk=place.pk, status=PlaceStatus.CONFIRMED).select_related(
            "member", "cohort"
        ),
        status=PlaceStatus.COMPLETED,
    ):
        raise NotAllowed(_("Only a confirmed place can be completed."))
    place.refresh_from_db()
    return place


def place_withdraw(*, place: Place) -> Place | None:
    """Withdraw a place. If that frees one of the cohort's places, the first on the waiting
    list is offered it, funded by the rules as they stand. Returns the place offered."""
    with transaction.atomic():
        cohort = _lock(place.cohort)
        place.refresh_from_db()
        if not place.withdrawable:
            raise NotAllowed(_("This place cannot be withdrawn now."))
        if place.status != PlaceStatus.WAITING:
            _uninvite_from_sessions(place)
        place.status, place.funder = PlaceStatus.WITHDRAWN, ""
        place.funding_reason, place.funding_holders = "", []
        place.save(
            update_fields=["status", "funder", "funding_reason", "funding_holders", "changed_at"]
        )
        offered = _offer_free_places(cohort)
    return offered[0] if offered else None


def session_reply(*, session: ReflectionSession, place: Place, answer: str) -> None:
    """Someone with a place answers a reflection session's invitation (yes, no or maybe),
    until it ends; the coordinators see it beside the attendance."""
    if session.is_cancelled or session.ends_at <= timezone.now():
        raise NotAllowed(_("This session is not taking replies."))
    SessionAttendance.objects.update_or_create(
        session=session, place=place, defaults={"reply": answer}
    )


def attendance_record(*, session: ReflectionSession, attended_place_ids: set[int]) -> None:
    """Record who came to a reflection session, from the cohort's current places (2 queries,
    however many places)."""
    place_ids = session.cohort.places.filter(status__in=ACTIVE_PLACE).values_list("pk", flat=True)
    SessionAttendance.objects.bulk_create(
        [
            SessionAttendance(session=session, place_id=pk, attended=pk in attended_place_ids)
            for pk in place_ids
        ],
        update_conflicts=True,
        unique_fields=["session", "place"],
        update_fields=["attended"],
    )
