"""Every write to the network goes through here."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dit_portal import audit

from . import tasks
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
    Place,
    PlaceStatus,
    ReflectionSession,
    RsvpStatus,
    SessionAttendance,
)

PROFILE_FIELDS = (
    "name", "role", "seniority", "discipline", "organisation", "bio", "listed", "show_email",
    "show_role", "show_organisation", "show_seniority", "show_bio", "offers_mentoring",
    "seeks_mentoring", "mentee_capacity", "prefers_other_organisation",
    "receives_optional_email",
)  # fmt: skip


class NotAllowed(Exception):
    """The action does not fit the current state (shown to the person as the message)."""


# Membership


def membership_apply(
    *, user, organisation, name, role, seniority, discipline, statement
) -> Membership:
    """Apply to join. The statement is self-declared: nothing more is asked."""
    if not statement:
        raise ValidationError(
            {
                "statement": _(
                    "The network is for women, non-binary and gender-nonconforming people."
                )
            }
        )
    existing = Membership.objects.filter(user=user).first()
    if existing and existing.status in (MembershipStatus.APPLIED, MembershipStatus.APPROVED):
        raise NotAllowed(_("You have already applied."))
    membership = existing or Membership(user=user)
    membership.organisation = organisation
    membership.name = name
    membership.role = role
    membership.seniority = seniority
    membership.discipline = discipline
    membership.statement = True
    membership.status = MembershipStatus.APPLIED
    membership.decided_at = membership.decided_by = None
    membership.decision_message = ""
    membership.full_clean()
    membership.save()
    return membership


def membership_decide(
    *, membership: Membership, approve: bool, message: str, decided_by
) -> Membership:
    """A coordinator approves or declines an application; the applicant is emailed either way."""
    with transaction.atomic():
        updated = Membership.objects.filter(
            pk=membership.pk, status=MembershipStatus.APPLIED
        ).update(
            status=MembershipStatus.APPROVED if approve else MembershipStatus.DECLINED,
            decision_message=message.strip(),
            decided_at=timezone.now(),
            decided_by=decided_by,
        )
        if not updated:
            raise NotAllowed(_("This application has already been decided."))
        transaction.on_commit(lambda: tasks.send_decision.delay(membership.pk))
    membership.refresh_from_db()
    return membership


def profile_update(*, membership: Membership, topics=None, **fields) -> Membership:
    """A member changes their profile, what the directory shows, and their mentoring offer."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(membership, name, value)
    membership.full_clean()
    with transaction.atomic():
        membership.save()
        if topics is not None:
            membership.topics.set(topics)
    return membership


def membership_leave(*, membership: Membership) -> Membership:
    """Leave the network: personal data is erased and the account unlinked. The anonymous
    row stays so that places and attendance still count; current mentoring ends and
    future event places are given up (the waiting list moves up)."""
    with transaction.atomic():
        for rsvp in membership.rsvps.filter(
            status__in=[RsvpStatus.GOING, RsvpStatus.WAITING], event__starts_at__gt=timezone.now()
        ):
            event_cancel_rsvp(event=rsvp.event, member=membership)
        MentoringMatch.objects.filter(
            Q(mentor=membership) | Q(mentee=membership),
            status__in=[MatchStatus.PROPOSED, MatchStatus.CONFIRMED],
        ).update(status=MatchStatus.ENDED)
        membership.topics.clear()
        for name in ("name", "role", "bio", "decision_message"):
            setattr(membership, name, "")
        for name in (
            "listed",
            "show_email",
            "show_role",
            "show_organisation",
            "show_seniority",
            "show_bio",
            "offers_mentoring",
            "seeks_mentoring",
            "receives_optional_email",
        ):
            setattr(membership, name, False)
        membership.user = None
        membership.status = MembershipStatus.LEFT
        membership.left_at = timezone.now()
        membership.save()
        # The audit log names them in its entries about their application, places and
        # pairings: that history leaves with them.
        audit.forget(Membership, [membership.pk])
        audit.forget(Place, membership.places.values_list("pk", flat=True))
        audit.forget(
            MentoringMatch,
            MentoringMatch.objects.filter(Q(mentor=membership) | Q(mentee=membership)).values_list(
                "pk", flat=True
            ),
        )
    return membership


# Cohorts and places


def cohort_create(
    *, starts_on: datetime.date, session_time=datetime.time(12, 30), **fields
) -> Cohort:
    """Set up a cohort and its three fortnightly reflection sessions within its six weeks
    (at the end of weeks 2, 4 and 6; online, an hour, editable afterwards)."""
    cohort = Cohort(starts_on=starts_on, **fields)
    cohort.full_clean()
    with transaction.atomic():
        cohort.save()
        for number in (1, 2, 3):
            day = starts_on + datetime.timedelta(days=14 * number - 3)
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
    editable = {"starts_at", "ends_at", "location", "online_url"}
    unknown = set(fields) - editable
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    if any(getattr(session, k) != v for k, v in fields.items()):
        session.sequence += 1
    for name, value in fields.items():
        setattr(session, name, value)
    session.full_clean()
    session.save()
    return session


def _funder_for(cohort: Cohort, organisation_id: int) -> str:
    """The network funds a place while it has funded places left and the organisation has
    fewer than its share of them; otherwise the organisation funds it."""
    funded = Place.objects.filter(cohort=cohort, status__in=ACTIVE_PLACE, funder=Funder.NETWORK)
    counts = funded.aggregate(
        total=Count("id"), here=Count("id", filter=Q(organisation_id=organisation_id))
    )
    if (
        counts["total"] < cohort.network_funded_places
        and counts["here"] < cohort.funded_per_organisation
    ):
        return Funder.NETWORK
    return Funder.ORGANISATION


def _lock(cohort: Cohort) -> Cohort:
    # Places are counted then written: one change to a cohort's places at a time.
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


def place_nominate(*, cohort: Cohort, member: Membership) -> Place:
    """Nominate a member: a place with its funder while places remain, else the waiting list."""
    if not member.is_member:
        raise NotAllowed(_("Only members of the network can take a place."))
    with transaction.atomic():
        cohort = _lock(cohort)
        active = Place.objects.filter(cohort=cohort, status__in=ACTIVE_PLACE).count()
        if active < cohort.capacity:
            status, funder = PlaceStatus.NOMINATED, _funder_for(cohort, member.organisation_id)
        else:
            status, funder = PlaceStatus.WAITING, ""
        try:
            with transaction.atomic():
                return Place.objects.create(
                    cohort=cohort,
                    member=member,
                    organisation=member.organisation,
                    status=status,
                    funder=funder,
                    active_since=timezone.now() if status != PlaceStatus.WAITING else None,
                )
        except IntegrityError as error:
            raise NotAllowed(
                _("%(name)s already has a place or is on the waiting list.") % {"name": member}
            ) from error


def place_confirm(*, place: Place) -> Place:
    with transaction.atomic():
        _lock(place.cohort)
        if (
            Place.objects.filter(pk=place.pk, status=PlaceStatus.NOMINATED).update(
                status=PlaceStatus.CONFIRMED
            )
            == 0
        ):
            raise NotAllowed(_("Only a nominated place can be confirmed."))
    place.refresh_from_db()
    return place


def place_complete(*, place: Place) -> Place:
    if (
        Place.objects.filter(pk=place.pk, status=PlaceStatus.CONFIRMED).update(
            status=PlaceStatus.COMPLETED
        )
        == 0
    ):
        raise NotAllowed(_("Only a confirmed place can be completed."))
    place.refresh_from_db()
    return place


def place_withdraw(*, place: Place) -> Place | None:
    """Withdraw a place. If it held one of the cohort's places, the first on the waiting
    list is offered it, funded by the rules as they stand. Returns the place offered."""
    with transaction.atomic():
        cohort = _lock(place.cohort)
        place.refresh_from_db()
        if place.status in (PlaceStatus.WITHDRAWN, PlaceStatus.COMPLETED):
            raise NotAllowed(_("This place cannot be withdrawn now."))
        freed = place.status in ACTIVE_PLACE
        place.status, place.funder = PlaceStatus.WITHDRAWN, ""
        place.save(update_fields=["status", "funder", "changed_at"])
        if not freed:
            return None
        waiting = (
            Place.objects.filter(cohort=cohort, status=PlaceStatus.WAITING)
            .order_by("created_at", "pk")
            .first()
        )
        if waiting is None:
            return None
        waiting.status = PlaceStatus.NOMINATED
        waiting.funder = _funder_for(cohort, waiting.organisation_id)
        waiting.active_since = timezone.now()
        waiting.save(update_fields=["status", "funder", "active_since", "changed_at"])
        transaction.on_commit(lambda: tasks.send_place_offer.delay(waiting.pk))
        return waiting


def attendance_record(*, session: ReflectionSession, attended_place_ids: set[int]) -> None:
    """Record who came to a reflection session, from the cohort's current places."""
    places = session.cohort.places.filter(status__in=ACTIVE_PLACE)
    with transaction.atomic():
        for place in places:
            SessionAttendance.objects.update_or_create(
                session=session, place=place, defaults={"attended": place.pk in attended_place_ids}
            )


# Events


def event_save(*, event: Event | None = None, **fields) -> Event:
    """Create or change an event. A new time or place bumps its calendar SEQUENCE; more
    places promote people from the waiting list."""
    schedule = ("starts_at", "ends_at", "location", "online_url")
    creating = event is None
    event = event or Event(slug=_unique_event_slug(fields["title"], fields["starts_at"]))
    if not creating and any(getattr(event, k) != fields[k] for k in schedule if k in fields):
        event.sequence += 1
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    with transaction.atomic():
        event.save()
        if not creating:
            _promote_waiting(Event.objects.select_for_update().get(pk=event.pk))
    return event


def _unique_event_slug(title, starts_at) -> str:
    base = f"{slugify(title)[:150]}-{starts_at:%Y-%m-%d}"
    slug, n = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _promote_waiting(event: Event) -> None:
    going = event.rsvps.filter(status=RsvpStatus.GOING).count()
    for rsvp in event.rsvps.filter(status=RsvpStatus.WAITING).order_by("created_at", "pk")[
        : max(event.capacity - going, 0)
    ]:
        rsvp.status = RsvpStatus.GOING
        rsvp.going_since = timezone.now()
        rsvp.save(update_fields=["status", "going_since", "changed_at"])
        transaction.on_commit(lambda pk=rsvp.pk: tasks.send_event_place.delay(pk))


def event_rsvp(*, event: Event, member: Membership) -> EventRsvp:
    """A member says they will come: a place while any are left, else the waiting list."""
    if event.is_cancelled or event.starts_at <= timezone.now():
        raise NotAllowed(_("This event is not taking replies."))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        going = event.rsvps.filter(status=RsvpStatus.GOING).count()
        status = RsvpStatus.GOING if going < event.capacity else RsvpStatus.WAITING
        since = timezone.now() if status == RsvpStatus.GOING else None
        rsvp, created = EventRsvp.objects.get_or_create(
            event=event, member=member, defaults={"status": status, "going_since": since}
        )
        if not created and rsvp.status == RsvpStatus.CANCELLED:
            rsvp.delete()  # back of the queue, as a new reply
            rsvp = EventRsvp.objects.create(
                event=event, member=member, status=status, going_since=since
            )
    return rsvp


def event_cancel_rsvp(*, event: Event, member: Membership) -> None:
    """A member can no longer come; the first on the waiting list gets the place."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        updated = event.rsvps.filter(
            member=member, status__in=[RsvpStatus.GOING, RsvpStatus.WAITING]
        ).update(status=RsvpStatus.CANCELLED)
        if updated:
            _promote_waiting(event)


def event_cancel(*, event: Event) -> Event:
    """Cancel an event: it stays listed, marked cancelled."""
    if not event.is_cancelled:
        event.is_cancelled = True
        event.sequence += 1
        event.save(update_fields=["is_cancelled", "sequence"])
    return event


def event_record_attendance(*, event: Event, attended_member_ids: set[int]) -> None:
    going = event.rsvps.filter(status=RsvpStatus.GOING)
    with transaction.atomic():
        going.filter(member_id__in=attended_member_ids).update(attended=True)
        going.exclude(member_id__in=attended_member_ids).update(attended=False)


# Mentoring


def matching_run(*, run_by) -> list[MentoringMatch]:
    """Propose 1-2-1 pairs for the whole network at once (see ``network.matching``).
    Earlier proposals not yet decided are replaced; confirmed pairs stay."""
    from . import matching

    with transaction.atomic():
        MentoringMatch.objects.filter(status=MatchStatus.PROPOSED).delete()
        proposals = matching.propose()
        return MentoringMatch.objects.bulk_create(
            MentoringMatch(
                mentor_id=p.mentor_id, mentee_id=p.mentee_id, score=p.score, reasons=p.reasons
            )
            for p in proposals
        )


def match_confirm(*, match: MentoringMatch, decided_by) -> MentoringMatch:
    """Confirm a proposed pair; both are emailed."""
    with transaction.atomic():
        if (
            MentoringMatch.objects.filter(pk=match.pk, status=MatchStatus.PROPOSED).update(
                status=MatchStatus.CONFIRMED, decided_at=timezone.now(), decided_by=decided_by
            )
            == 0
        ):
            raise NotAllowed(_("Only a proposed pair can be confirmed."))
        transaction.on_commit(lambda: tasks.send_match.delay(match.pk))
    match.refresh_from_db()
    return match


def match_reject(*, match: MentoringMatch, decided_by) -> MentoringMatch:
    if (
        MentoringMatch.objects.filter(pk=match.pk, status=MatchStatus.PROPOSED).update(
            status=MatchStatus.REJECTED, decided_at=timezone.now(), decided_by=decided_by
        )
        == 0
    ):
        raise NotAllowed(_("Only a proposed pair can be rejected."))
    match.refresh_from_db()
    return match


def match_change_mentor(*, match: MentoringMatch, mentor: Membership, decided_by) -> MentoringMatch:
    """Give a proposed pair's mentee a different mentor, who must be able to mentor them."""
    from . import matching

    problem = matching.why_not(mentor=mentor, mentee=match.mentee)
    if problem:
        raise NotAllowed(problem)
    with transaction.atomic():
        match = MentoringMatch.objects.select_for_update().get(pk=match.pk)
        if match.status != MatchStatus.PROPOSED:
            raise NotAllowed(_("Only a proposed pair can be changed."))
        match.mentor = mentor
        match.reasons = [*matching.reasons_for(mentor, match.mentee), _("Chosen by a coordinator")]
        match.save(update_fields=["mentor", "reasons"])
    return match
