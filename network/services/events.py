"""Network events: saving, RSVPs and the waiting list, cancelling, attendance."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from notifications import reminders

from ..models import (
    Event,
    EventRsvp,
    Membership,
    PitchVote,
    RsvpStatus,
)
from .errors import NotAllowed


def _invite(rsvp: EventRsvp, *, reason: str = "") -> None:
    """Send the calendar invitation of a place at the event (unless the member has left)."""
    if rsvp.member.user is not None:
        stamp = f"rsvp{rsvp.pk}:{rsvp.going_since:%Y%m%dT%H%M%S.%f}"
        reminders.invite(Event, rsvp.event_id, [(rsvp.member.user.email, stamp)], reason=reason)


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
    waiting = event.rsvps.filter(status=RsvpStatus.WAITING).select_related("member__user")
    for rsvp in waiting.order_by("created_at", "pk")[: max(event.capacity - going, 0)]:
        rsvp.status = RsvpStatus.GOING
        rsvp.going_since = timezone.now()
        rsvp.save(update_fields=["status", "going_since", "changed_at"])
        _invite(rsvp, reason="waiting_list")


def event_rsvp(*, event: Event, member: Membership) -> EventRsvp:
    """A member says they will come: a place while any are left (and its invitation),
    else the waiting list."""
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
            created = True
        if created and rsvp.status == RsvpStatus.GOING:
            _invite(rsvp)
    return rsvp


def event_cancel_rsvp(*, event: Event, member: Membership) -> None:
    """A member can no longer come: the event leaves their calendar, the first on the
    waiting list gets the place, and at an unconference their votes and the sessions they
    pitched go (nobody would run them)."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        current = event.rsvps.filter(
            member=member, status__in=[RsvpStatus.GOING, RsvpStatus.WAITING]
        )
        had_place = current.filter(status=RsvpStatus.GOING).exists()
        if current.update(status=RsvpStatus.CANCELLED):
            if had_place and member.user is not None:
                reminders.uninvite(Event, event.pk, [member.user.email])
            PitchVote.objects.filter(pitch__event=event, voter=member).delete()
            event.pitches.filter(pitcher=member).delete()
            _promote_waiting(event)


def event_reply(*, rsvp: EventRsvp, answer: str) -> None:
    """A member with a place answers their invitation: coming or maybe keeps the place
    (and tells the coordinators); no gives it up, as "I can no longer come" does."""
    if rsvp.event.is_cancelled or rsvp.event.ends_at <= timezone.now():
        raise NotAllowed(_("This event is not taking replies."))
    if answer == "no":
        event_cancel_rsvp(event=rsvp.event, member=rsvp.member)
        return
    EventRsvp.objects.filter(pk=rsvp.pk, status=RsvpStatus.GOING).update(reply=answer)


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
