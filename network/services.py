"""Every write to the network goes through here."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common import audit
from common.services import check_editable, model_update
from notifications import reminders
from notifications.queueing import enqueue_on_commit

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
    Organisation,
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
        updated = audit.audited_update(
            Membership.objects.filter(pk=membership.pk, status=MembershipStatus.APPLIED),
            status=MembershipStatus.APPROVED if approve else MembershipStatus.DECLINED,
            decision_message=message.strip(),
            decided_at=timezone.now(),
            decided_by=decided_by,
        )
        if not updated:
            raise NotAllowed(_("This application has already been decided."))
        enqueue_on_commit(tasks.send_decision, membership.pk)
    membership.refresh_from_db()
    return membership


def profile_update(*, membership: Membership, topics=None, **fields) -> Membership:
    """A member changes their profile, what the directory shows, and their mentoring offer."""
    model_update(membership, fields, editable=PROFILE_FIELDS, save=False)
    with transaction.atomic():
        membership.save()
        if topics is not None:
            membership.topics.set(topics)
    return membership


def membership_leave(*, membership: Membership) -> Membership:
    """Leave the network: personal data is erased and the account unlinked. The anonymous
    row stays so that places and attendance still count; current mentoring ends, and
    future event places, course places in cohorts not yet started and every place on a
    course waiting list are given up (the waiting lists move up). Completed places and
    places in cohorts under way stay, anonymous, for the numbers."""
    with transaction.atomic():
        for rsvp in membership.rsvps.filter(
            status__in=[RsvpStatus.GOING, RsvpStatus.WAITING], event__starts_at__gt=timezone.now()
        ):
            event_cancel_rsvp(event=rsvp.event, member=membership)
        # A waiting place is given up even in a cohort under way: left there, it would later
        # be offered to "Former member".
        for place in membership.places.filter(
            Q(status=PlaceStatus.WAITING)
            | Q(
                status__in=[PlaceStatus.NOMINATED, PlaceStatus.CONFIRMED],
                cohort__starts_on__gt=timezone.localdate(),
            )
        ).select_related("cohort"):
            place_withdraw(place=place)
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


def _funder_for(cohort: Cohort, organisation: Organisation) -> str:
    """The network funds places for its member organisations only: while it has funded
    places left and the organisation has fewer than its share of them. Otherwise the
    organisation funds the place."""
    if not organisation.is_member:
        return Funder.ORGANISATION
    funded = Place.objects.filter(cohort=cohort, status__in=ACTIVE_PLACE, funder=Funder.NETWORK)
    counts = funded.aggregate(
        total=Count("id"), here=Count("id", filter=Q(organisation=organisation))
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


def _offer_free_places(cohort: Cohort) -> list[Place]:
    """Offer the cohort's free places to the waiting list, first come first served, each
    funded by the rules as they stand. The caller holds the cohort's lock."""
    free = cohort.capacity - Place.objects.filter(cohort=cohort, status__in=ACTIVE_PLACE).count()
    if free <= 0:
        return []
    offered = list(
        Place.objects.filter(cohort=cohort, status=PlaceStatus.WAITING)
        .select_related("organisation")
        .order_by("created_at", "pk")[:free]
    )
    for place in offered:
        place.status = PlaceStatus.NOMINATED
        place.funder = _funder_for(cohort, place.organisation)
        place.active_since = timezone.now()
        place.save(update_fields=["status", "funder", "active_since", "changed_at"])
        enqueue_on_commit(tasks.send_place_offer, place.pk)
    return offered


def place_nominate(*, cohort: Cohort, member: Membership) -> Place:
    """Nominate a member: a place with its funder while places remain, else the waiting list.
    Anyone already waiting is offered a free place before a new nominee."""
    if not member.is_member:
        raise NotAllowed(_("Only members of the network can take a place."))
    with transaction.atomic():
        cohort = _lock(cohort)
        # Places can be free while people wait, when a coordinator raises the capacity.
        _offer_free_places(cohort)
        active = Place.objects.filter(cohort=cohort, status__in=ACTIVE_PLACE).count()
        if active < cohort.capacity:
            status, funder = PlaceStatus.NOMINATED, _funder_for(cohort, member.organisation)
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
        if place.status in (PlaceStatus.WITHDRAWN, PlaceStatus.COMPLETED):
            raise NotAllowed(_("This place cannot be withdrawn now."))
        place.status, place.funder = PlaceStatus.WITHDRAWN, ""
        place.save(update_fields=["status", "funder", "changed_at"])
        offered = _offer_free_places(cohort)
    return offered[0] if offered else None


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


# Events


def event_save(*, event: Event | None = None, **fields) -> Event:
    """Create or change an event. A new time or place bumps its calendar SEQUENCE; more
    places promote people from the waiting list."""
    with transaction.atomic():
        if event is None:
            event = Event(slug=_unique_event_slug(fields["title"], fields["starts_at"]), **fields)
            event.full_clean()
            event.save()
        else:
            # The instance passed in may carry the new values already (an EventForm writes
            # them onto it when it validates): compared with the row as stored instead.
            event = reminders.occurrence_change(Event, event.pk, fields)
            _promote_waiting(event)
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
        enqueue_on_commit(tasks.send_event_place, rsvp.pk)


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
    stored = reminders.occurrence_cancel(Event, event.pk)
    event.is_cancelled, event.sequence = stored.is_cancelled, stored.sequence
    return event


def event_record_attendance(*, event: Event, attended_member_ids: set[int]) -> None:
    going = event.rsvps.filter(status=RsvpStatus.GOING)
    with transaction.atomic():
        going.filter(member_id__in=attended_member_ids).update(attended=True)
        going.exclude(member_id__in=attended_member_ids).update(attended=False)


# Mentoring


def _lock_mentors(mentor_ids) -> dict[int, Membership]:
    # A mentor's pairs are counted against their capacity and then written, so the mentor's
    # row is locked first. Rows are always locked mentors first, in order of pk, and pairs
    # after them, so that matching, confirming, changing and swapping queue behind one
    # another and never wait on each other in a circle. NO KEY UPDATE still lets new pairs
    # refer to the row.
    return {
        m.pk: m
        for m in Membership.objects.select_for_update(no_key=True)
        .filter(pk__in=mentor_ids)
        .order_by("pk")
    }


def _lock_proposed(*pks: int, refusal: str, more_mentors=()):
    """Lock proposed pairs and their mentors (and ``more_mentors``). Returns the pairs, in
    the order asked, and the locked mentors by pk."""
    mentor_ids = MentoringMatch.objects.filter(pk__in=pks).values_list("mentor_id", flat=True)
    mentors = _lock_mentors({*mentor_ids, *more_mentors})
    found = (
        MentoringMatch.objects.select_for_update()
        .filter(pk__in=pks, status=MatchStatus.PROPOSED)
        .in_bulk()
    )
    if len(found) != len(set(pks)):
        raise NotAllowed(refusal)
    if any(match.mentor_id not in mentors for match in found.values()):
        raise NotAllowed(_("Someone else changed this pair a moment ago. Look at it again."))
    return [found[pk] for pk in pks], mentors


def matching_run(*, run_by) -> list[MentoringMatch]:
    """Propose 1-2-1 pairs for the whole network at once (see ``network.matching``).
    Earlier proposals not yet decided are replaced; confirmed pairs stay."""
    from . import matching  # it loads SciPy, which only a matching run needs

    try:
        with transaction.atomic():
            # Two runs at once would each propose a mentor for the same mentees: the second
            # waits here for the first, then replaces its proposals.
            _lock_mentors(
                Membership.objects.filter(
                    status=MembershipStatus.APPROVED, offers_mentoring=True
                ).values_list("pk", flat=True)
            )
            MentoringMatch.objects.filter(status=MatchStatus.PROPOSED).delete()
            proposals = matching.propose()
            return MentoringMatch.objects.bulk_create(
                MentoringMatch(
                    mentor_id=p.mentor_id, mentee_id=p.mentee_id, score=p.score, reasons=p.reasons
                )
                for p in proposals
            )
    except IntegrityError as error:
        # Only if someone became a mentor in the middle of a run: nothing was saved.
        raise NotAllowed(_("Matching was run twice at the same moment. Run it again.")) from error


def match_confirm(*, match: MentoringMatch, decided_by) -> MentoringMatch:
    """Confirm a proposed pair, if the mentor still has room among their confirmed pairs and
    can still mentor the mentee; both are emailed."""
    from . import matching  # it loads SciPy, which only a matching run needs

    with transaction.atomic():
        (match,), mentors = _lock_proposed(
            match.pk, refusal=_("Only a proposed pair can be confirmed.")
        )
        problem = matching.why_not(
            mentor=mentors[match.mentor_id],
            mentee=match.mentee,
            excluding=[match.pk],
            counting=[MatchStatus.CONFIRMED],
        )
        if problem:
            raise NotAllowed(problem)
        match.status = MatchStatus.CONFIRMED
        match.decided_at, match.decided_by = timezone.now(), decided_by
        match.save(update_fields=["status", "decided_at", "decided_by"])
        enqueue_on_commit(tasks.send_match, match.pk)
    return match


def match_reject(*, match: MentoringMatch, decided_by) -> MentoringMatch:
    """Reject a proposed pair: matching will not propose it again."""
    with transaction.atomic():
        (match,), _mentors = _lock_proposed(
            match.pk, refusal=_("Only a proposed pair can be rejected.")
        )
        match.status = MatchStatus.REJECTED
        match.decided_at, match.decided_by = timezone.now(), decided_by
        match.save(update_fields=["status", "decided_at", "decided_by"])
    return match


def match_change_mentor(*, match: MentoringMatch, mentor: Membership, decided_by) -> MentoringMatch:
    """Give a proposed pair's mentee a different mentor, who must be able to mentor them."""
    from . import matching  # it loads SciPy, which only a matching run needs

    with transaction.atomic():
        (match,), mentors = _lock_proposed(
            match.pk, refusal=_("Only a proposed pair can be changed."), more_mentors=[mentor.pk]
        )
        mentor = mentors[mentor.pk]
        problem = matching.why_not(mentor=mentor, mentee=match.mentee, excluding=[match.pk])
        if problem:
            raise NotAllowed(problem)
        _set_mentor(match, mentor, _("Chosen by a coordinator"))
    return match


def match_swap(
    *, match: MentoringMatch, other: MentoringMatch, decided_by
) -> tuple[MentoringMatch, MentoringMatch]:
    """Swap the mentors of two proposed pairs. Each mentor must be able to mentor their new
    mentee; the two pairs being swapped do not count against either mentor's capacity,
    since each mentor gives up one mentee for another."""
    from . import matching  # it loads SciPy, which only a matching run needs

    if match.pk == other.pk:
        raise NotAllowed(_("Choose two different pairs."))
    with transaction.atomic():
        (first, second), mentors = _lock_proposed(
            match.pk, other.pk, refusal=_("Only proposed pairs can be swapped.")
        )
        if first.mentor_id == second.mentor_id:
            raise NotAllowed(_("These pairs have the same mentor."))
        swapped = ((first, mentors[second.mentor_id]), (second, mentors[first.mentor_id]))
        for pair, mentor in swapped:
            problem = matching.why_not(
                mentor=mentor, mentee=pair.mentee, excluding=[first.pk, second.pk]
            )
            if problem:
                raise NotAllowed(problem)
        for pair, mentor in swapped:
            _set_mentor(pair, mentor, _("Swapped by a coordinator"))
    return first, second


def _set_mentor(match: MentoringMatch, mentor: Membership, why: str) -> None:
    from . import matching  # it loads SciPy, which only a matching run needs

    match.mentor = mentor
    match.score = matching.fit(mentor, match.mentee)
    match.reasons = [*matching.reasons_for(mentor, match.mentee), why]
    match.save(update_fields=["mentor", "score", "reasons"])
