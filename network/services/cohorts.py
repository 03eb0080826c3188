"""Course cohorts, their reflection sessions, and places with their funding.

The funding rule (``funding_for``) lives here and nowhere else: each member organisation
has its share of the network's funded places until the cohort's release day; on that day
the network-funded places not taken go to organisations' further nominees in a stated
order (``funded_places_release``); a place the network does not fund is given only with
its organisation's recorded commitment to pay (``Nomination``).
"""

import datetime
import logging
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
    Nomination,
    NominationStatus,
    Organisation,
    Place,
    PlaceStatus,
    ReflectionSession,
    SessionAttendance,
)
from .errors import NotAllowed

logger = logging.getLogger(__name__)


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


# Unless coordinators choose another day, a cohort's unused network-funded places are
# released four weeks before it starts: time for organisations' further nominees to plan.
RELEASE_WEEKS_BEFORE = 4


def cohort_create(
    *,
    starts_on: datetime.date,
    session_time=datetime.time(12, 30),
    release_on: datetime.date | None = None,
    **fields,
) -> Cohort:
    """Set up a cohort and its three fortnightly reflection sessions within its weeks: the
    last at the end of the final week (the Friday, for a Monday start), the others two and
    four weeks before it (online, an hour, editable afterwards)."""
    release_on = release_on or starts_on - datetime.timedelta(weeks=RELEASE_WEEKS_BEFORE)
    cohort = Cohort(starts_on=starts_on, release_on=release_on, **fields)
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


def session_notes_save(
    *, session: ReflectionSession, agenda: str, shared_notes: str, coordinator_notes: str
) -> ReflectionSession:
    """Save a reflection session's agenda and notes: the agenda and shared notes for
    those on the course (My network), the coordinators' notes for coordinators only. No
    calendar change: the time and place stay as they were."""
    session.agenda, session.shared_notes = agenda.strip(), shared_notes.strip()
    session.coordinator_notes = coordinator_notes.strip()
    session.full_clean()
    session.save(update_fields=["agenda", "shared_notes", "coordinator_notes"])
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
    """The network funds places for its member organisations only, while it has funded
    places left: each organisation's share of them (``funded_per_organisation``), and once
    the cohort's places have been released (``funded_places_release``), any left over.
    Otherwise the organisation funds the place. The caller holds the cohort's lock."""
    if not organisation.is_member:
        return Funding(Funder.ORGANISATION, FundingReason.NOT_A_MEMBER, [])
    funded = Place.objects.filter(cohort=cohort, status__in=ACTIVE_PLACE, funder=Funder.NETWORK)
    holders = list(funded.filter(organisation=organisation).values_list("pk", flat=True))
    left = funded.count() < cohort.network_funded_places
    if len(holders) >= cohort.funded_per_organisation:
        if left and cohort.released_at is not None:
            return Funding(Funder.NETWORK, FundingReason.RELEASED, holders)
        return Funding(Funder.ORGANISATION, FundingReason.SHARE_TAKEN, holders)
    if not left:
        return Funding(Funder.ORGANISATION, FundingReason.BUDGET_SPENT, holders)
    return Funding(Funder.NETWORK, FundingReason.NETWORK_SHARE, holders)


def unpaid(nomination: Nomination | None, funding: Funding) -> bool:
    """Whether nobody would pay for the place: the network does not fund it, and its
    organisation has not recorded that it will (nor could it, for a place given before
    nominations went through organisations)."""
    return funding.funder == Funder.ORGANISATION and not (
        nomination is not None and nomination.funds_if_needed
    )


def unfunded_reason(cohort: Cohort, nomination: Nomination, funding: Funding) -> str:
    """Why ``unpaid`` holds for a nomination, in words."""
    names = {
        "name": nomination.member,
        "org": nomination.organisation,
        "day": f"{cohort.release_on:%-d %B %Y}",
    }
    if funding.reason == FundingReason.SHARE_TAKEN:
        return (
            _(
                "%(org)s's network-funded places on this cohort are taken, and %(org)s has not "
                "recorded that it will pay for %(name)s's place. Its lead can record that; or "
                "%(name)s waits for the places not taken by %(day)s, which are then released to "
                "further nominees."
            )
            % names
        )
    return (
        _(
            "The network cannot fund %(name)s's place, and %(org)s has not recorded that it "
            "will pay for it. Its lead can record that."
        )
        % names
    )


def _lock(cohort: Cohort) -> Cohort:
    # Places are counted then written: one change to a cohort's places at a time.
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


def _offer_free_places(cohort: Cohort) -> list[Place]:
    """Offer the cohort's free places to the waiting list, first come first served, each
    funded by the rules as they stand (passing over anyone whose place nobody would pay
    for now). The caller holds the cohort's lock."""
    free = cohort.capacity - Place.objects.filter(cohort=cohort, status__in=ACTIVE_PLACE).count()
    if free <= 0:
        return []
    waiting = (
        Place.objects.filter(cohort=cohort, status=PlaceStatus.WAITING)
        .select_related("organisation", "member__user", "nomination")
        .order_by("created_at", "pk")
    )
    offered = []
    for place in waiting:
        if len(offered) == free:
            break
        funding = funding_for(cohort, place.organisation)
        if unpaid(place.nomination, funding):
            continue  # waits on: nobody would pay for the place now
        offered.append(place)
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


@dataclass(frozen=True)
class Commitment:
    """An organisation's agreement to pay for a place the network does not fund."""

    agreed_by: str  # name and job title
    reference: str  # budget code or purchase order
    agreed_on: datetime.date


def place_nominate(
    *, cohort: Cohort, member: Membership, commitment: Commitment | None = None, by=None
) -> Place:
    """Coordinators nominate a member directly (recording their organisation's
    commitment, if it has given one): a nomination approved at once, then a place as
    ``place_give`` gives it."""
    if not member.is_member:
        raise NotAllowed(_("Only members of the network can take a place."))
    with transaction.atomic():
        nomination = new_nomination(
            cohort=cohort, member=member, by=by, approved=True, commitment=commitment
        )
        return place_give(nomination=nomination, by=by)


def new_nomination(
    *, cohort, member, by, approved: bool, commitment: Commitment | None, note=""
) -> Nomination:
    now = timezone.now()
    nomination = Nomination(
        cohort=cohort,
        member=member,
        organisation=member.organisation,
        status=NominationStatus.APPROVED if approved else NominationStatus.REQUESTED,
        note=note,
        asked_by=by,
        approved_by=by if approved else None,
        approved_at=now if approved else None,
        **commitment_fields(commitment),
    )
    nomination.full_clean(exclude=["member"])  # a second one is told as below, once
    if (
        Place.objects.filter(cohort=cohort, member=member)
        .exclude(status=PlaceStatus.WITHDRAWN)
        .exists()
    ):
        raise NotAllowed(
            _("%(name)s already has a place or is on the waiting list.") % {"name": member}
        )
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError as error:
        raise NotAllowed(
            _("%(name)s has already been put forward for this cohort.") % {"name": member}
        ) from error
    return nomination


def commitment_fields(commitment: Commitment | None) -> dict:
    if commitment is None:
        return {"funds_if_needed": False}
    return {
        "funds_if_needed": True,
        "commitment_agreed_by": commitment.agreed_by,
        "commitment_reference": commitment.reference,
        "commitment_on": commitment.agreed_on,
    }


def place_give(*, nomination: Nomination, by=None) -> Place:
    """Coordinators give an approved nomination a place: a place with its funder (and the
    reflection sessions' invitations) while places remain, else the waiting list. A place
    the network does not fund needs the organisation's commitment (``NotAllowed`` says why
    it cannot be given, and nothing changes). Anyone already waiting is offered a free
    place before a new nominee."""
    member = nomination.member
    if not member.is_member:
        raise NotAllowed(_("Only members of the network can take a place."))
    with transaction.atomic():
        cohort = _lock(nomination.cohort)
        # Locked: a decline, or the member leaving, waits for this, and this for them.
        if (
            not Nomination.objects.select_for_update()
            .filter(pk=nomination.pk, status=NominationStatus.APPROVED)
            .exists()
        ):
            raise NotAllowed(_("Only a nomination its organisation has approved can be placed."))
        # Places can be free while people wait, when a coordinator raises the capacity.
        _offer_free_places(cohort)
        active = Place.objects.filter(cohort=cohort, status__in=ACTIVE_PLACE).count()
        if active < cohort.capacity:
            status, funding = PlaceStatus.NOMINATED, funding_for(cohort, nomination.organisation)
            if unpaid(nomination, funding):
                raise NotAllowed(unfunded_reason(cohort, nomination, funding))
        else:
            status, funding = PlaceStatus.WAITING, Funding("", "", [])
        try:
            with transaction.atomic():
                place = Place.objects.create(
                    cohort=cohort,
                    member=member,
                    organisation=nomination.organisation,
                    status=status,
                    funder=funding.funder,
                    funding_reason=funding.reason,
                    funding_holders=funding.holders,
                    active_since=timezone.now() if status != PlaceStatus.WAITING else None,
                    nomination=nomination,
                )
        except IntegrityError as error:
            raise NotAllowed(
                _("%(name)s already has a place or is on the waiting list.") % {"name": member}
            ) from error
        audit.audited_update(
            Nomination.objects.filter(pk=nomination.pk),
            status=NominationStatus.PLACED,
            decided_by=by,
            decided_at=timezone.now(),
        )
        emails.post_nomination_outcome(nomination)
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
        if place.nomination_id:  # they may be put forward again
            audit.audited_update(
                Nomination.objects.filter(pk=place.nomination_id),
                status=NominationStatus.WITHDRAWN,
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


@dataclass
class _Further:
    """A further nominee the release may fund: one with a place their organisation pays
    for, or one approved only if the network pays, waiting for a place."""

    organisation_id: int
    approved_at: datetime.datetime
    pk: int
    place: Place | None
    nomination: Nomination | None


def funded_places_release(*, cohort: Cohort) -> list[Place]:
    """Release the network-funded places no organisation took within its share, once, on
    the cohort's release day. They go to organisations' further nominees one at a time:
    first to one whose organisation has the fewest network-funded places on the cohort,
    then to the one their organisation approved first. A further nominee whose place their
    organisation pays for has it funded by the network instead; one approved only if the
    network pays is given a place, while places remain. Afterwards, places still left go
    to further nominees as they are given places (``funding_for``). Returns the places
    the release funded."""
    with transaction.atomic():
        cohort = _lock(cohort)
        if cohort.released_at is not None:
            return []
        cohort.released_at = timezone.now()
        cohort.save(update_fields=["released_at"])
        current = Place.objects.filter(cohort=cohort, status__in=ACTIVE_PLACE)
        holders: dict[int, list[int]] = {}
        for pk, organisation_id in current.filter(funder=Funder.NETWORK).values_list(
            "pk", "organisation_id"
        ):
            holders.setdefault(organisation_id, []).append(pk)
        left = cohort.network_funded_places - sum(map(len, holders.values()))
        free = cohort.capacity - current.count()
        further = _further_nominees(cohort, current)
        released = []
        while left > 0 and further:
            further.sort(
                key=lambda f: (len(holders.get(f.organisation_id, [])), f.approved_at, f.pk)
            )
            chosen = further.pop(0)
            if chosen.place is None and free == 0:
                continue
            funding = Funding(
                Funder.NETWORK, FundingReason.RELEASED, holders.get(chosen.organisation_id, [])
            )
            if chosen.place is not None:
                place = chosen.place
                place.funder, place.funding_reason = funding.funder, funding.reason
                place.funding_holders = funding.holders
                place.save(update_fields=["funder", "funding_reason", "funding_holders"])
                emails.post_place_released(place)
            else:
                place = _place_released_nominee(cohort, chosen.nomination, funding)
                free -= 1
            holders.setdefault(chosen.organisation_id, []).append(place.pk)
            released.append(place)
            left -= 1
        # Anyone waiting for a free place whom nobody would fund before may be funded now.
        _offer_free_places(cohort)
    return released


def _further_nominees(cohort: Cohort, current) -> list[_Further]:
    paid = current.filter(funder=Funder.ORGANISATION, organisation__is_member=True).select_related(
        "nomination", "member__user", "cohort"
    )
    found = [
        _Further(
            p.organisation_id,
            p.nomination.approved_at if p.nomination else p.created_at,
            p.pk,
            p,
            None,
        )
        for p in paid
        if p.status != PlaceStatus.COMPLETED
    ]
    waiting = (
        Nomination.objects.filter(
            cohort=cohort,
            status=NominationStatus.APPROVED,
            funds_if_needed=False,
            organisation__is_member=True,
        )
        .select_related("member__user", "organisation", "cohort")
        .select_for_update(of=("self",))  # a decline waits for the release, and it for one
    )
    found += [_Further(n.organisation_id, n.approved_at, n.pk, None, n) for n in waiting]
    return found


def _place_released_nominee(cohort: Cohort, nomination: Nomination, funding: Funding) -> Place:
    place = Place.objects.create(
        cohort=cohort,
        member=nomination.member,
        organisation=nomination.organisation,
        status=PlaceStatus.NOMINATED,
        funder=funding.funder,
        funding_reason=funding.reason,
        funding_holders=funding.holders,
        active_since=timezone.now(),
        nomination=nomination,
    )
    audit.audited_update(
        Nomination.objects.filter(pk=nomination.pk).select_related("member", "cohort"),
        status=NominationStatus.PLACED,
        decided_at=timezone.now(),
    )
    emails.post_nomination_outcome(nomination)
    _invite_to_sessions(place)
    return place


def release_due(*, now: datetime.datetime | None = None) -> None:
    """The outbox's scan (``EMAIL_SCANS``): release each cohort whose release day has come."""
    today = timezone.localdate(now or timezone.now())
    # A cohort under way or over is never released: its funding was settled as it ran.
    due = Cohort.objects.filter(
        release_on__lte=today, starts_on__gt=today, released_at__isnull=True
    )
    for cohort in due:
        try:
            with transaction.atomic():
                funded_places_release(cohort=cohort)
        except (IntegrityError, NotAllowed):
            # One cohort's trouble must not hold up every email behind this scan.
            logger.exception("Could not release cohort %s's funded places; will retry", cohort.pk)
