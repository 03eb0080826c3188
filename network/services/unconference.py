"""An unconference's own programme: attendees pitch sessions and vote for those they would
come to (each a fixed number of votes); coordinators set out rooms and slots, build the
timetable from the votes, adjust it by hand and publish it to attendees, with its calendar.

The timetable is built most-voted first (earlier pitches first on a tie). Each session goes
to the slot with the fewest votes already placed in it among those where its pitcher runs
nothing else, so that popular sessions do not clash; there, to the smallest free room that
seats everyone who voted for it (or the largest free room if none does). A session that
finds no free room in any slot its pitcher can make is left out, and listed as such.
"""

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import emails
from ..models import (
    Event,
    EventRsvp,
    Membership,
    Pitch,
    PitchVote,
    RsvpStatus,
    UnconferenceRoom,
    UnconferenceSlot,
)
from .errors import NotAllowed


def _check_attendee(event: Event, member: Membership) -> None:
    if event.format != Event.Format.UNCONFERENCE:
        raise NotAllowed(_("Only an unconference takes pitches."))
    if event.is_cancelled or event.starts_at <= timezone.now():
        raise NotAllowed(_("Pitching and voting have closed for this event."))
    if event.timetable_published_at is not None:
        raise NotAllowed(_("The timetable is published: pitching and voting have closed."))
    if not EventRsvp.objects.filter(event=event, member=member, status=RsvpStatus.GOING).exists():
        raise NotAllowed(_("Pitching and voting are for those with a place at the event."))


def pitch_create(*, event: Event, member: Membership, title: str, description: str = "") -> Pitch:
    """An attendee pitches a session."""
    _check_attendee(event, member)
    pitch = Pitch(event=event, pitcher=member, title=title.strip(), description=description.strip())
    pitch.full_clean()
    pitch.save()
    return pitch


def pitch_vote(*, pitch: Pitch, member: Membership) -> PitchVote:
    """An attendee votes for a session, within their votes for the event."""
    event = pitch.event
    _check_attendee(event, member)
    with transaction.atomic():
        # One member's votes are counted then written: their RSVP row is the lock, and
        # under it they must still have their place (giving it up takes the votes away).
        if (
            not EventRsvp.objects.select_for_update()
            .filter(event=event, member=member, status=RsvpStatus.GOING)
            .exists()
        ):
            raise NotAllowed(_("Pitching and voting are for those with a place at the event."))
        used = PitchVote.objects.filter(pitch__event=event, voter=member).count()
        if used >= event.votes_per_attendee:
            raise NotAllowed(
                _("You have used your %(n)s votes: take one back to vote for this.")
                % {"n": event.votes_per_attendee}
            )
        try:
            with transaction.atomic():
                return PitchVote.objects.create(pitch=pitch, voter=member)
        except IntegrityError as error:
            raise NotAllowed(_("You have already voted for this session.")) from error


def pitch_unvote(*, pitch: Pitch, member: Membership) -> None:
    """An attendee takes a vote back."""
    _check_attendee(pitch.event, member)
    PitchVote.objects.filter(pitch=pitch, voter=member).delete()


def room_add(*, event: Event, name: str, capacity: int) -> UnconferenceRoom:
    room = UnconferenceRoom(event=event, name=name.strip(), capacity=capacity)
    room.full_clean()
    room.save()
    return room


def slot_add(*, event: Event, starts_at, ends_at) -> UnconferenceSlot:
    """A slot within the event's own time."""
    if starts_at < event.starts_at or ends_at > event.ends_at:
        raise NotAllowed(_("A slot falls within the event's own start and end."))
    slot = UnconferenceSlot(event=event, starts_at=starts_at, ends_at=ends_at)
    slot.full_clean()
    slot.save()
    return slot


def timetable_build(*, event: Event) -> list[Pitch]:
    """Build the timetable from the votes (the rule is in this module's docstring),
    replacing any placed before. Returns the sessions left out."""
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        slots = list(event.slots.all())
        rooms = sorted(event.rooms.all(), key=lambda r: (r.capacity, r.name))
        pitches = list(
            event.pitches.annotate(n_votes=Count("votes")).order_by("-n_votes", "created_at", "pk")
        )
        event.pitches.update(slot=None, room=None)
        taken: set[tuple[int, int]] = set()
        pitcher_in: set[tuple[int, int]] = set()  # (pitcher, slot)
        votes_in = {slot.pk: 0 for slot in slots}
        left_out = []
        for pitch in pitches:
            placed = _place(pitch, slots, rooms, taken, pitcher_in, votes_in)
            if placed is None:
                left_out.append(pitch)
                continue
            slot, room = placed
            pitch.slot, pitch.room = slot, room
            pitch.save(update_fields=["slot", "room"])
            taken.add((slot.pk, room.pk))
            pitcher_in.add((pitch.pitcher_id, slot.pk))
            votes_in[slot.pk] += pitch.n_votes
    return left_out


def _place(pitch, slots, rooms, taken, pitcher_in, votes_in):
    for slot in sorted(slots, key=lambda s: (votes_in[s.pk], s.starts_at)):
        if (pitch.pitcher_id, slot.pk) in pitcher_in:
            continue
        free = [room for room in rooms if (slot.pk, room.pk) not in taken]
        if not free:
            continue
        seats = [room for room in free if room.capacity >= pitch.n_votes]
        return slot, (seats[0] if seats else free[-1])
    return None


def timetable_move(
    *, pitch: Pitch, slot: UnconferenceSlot | None, room: UnconferenceRoom | None
) -> Pitch:
    """Coordinators move a session by hand (or take it off the timetable, with neither):
    the room must be free then, and its pitcher not running another session then."""
    if (slot is None) != (room is None):
        raise NotAllowed(_("Choose both a time and a room, or neither."))
    if slot is not None and (slot.event_id != pitch.event_id or room.event_id != pitch.event_id):
        raise NotAllowed(_("Choose a time and a room of this event."))
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=pitch.event_id)
        if slot is not None:
            clash = Pitch.objects.filter(slot=slot, pitcher=pitch.pitcher).exclude(pk=pitch.pk)
            if clash.exists():
                raise NotAllowed(_("%(name)s runs another session then.") % {"name": pitch.pitcher})
            if Pitch.objects.filter(slot=slot, room=room).exclude(pk=pitch.pk).exists():
                raise NotAllowed(_("Another session is in that room then."))
        pitch.slot, pitch.room = slot, room
        pitch.save(update_fields=["slot", "room"])
    return pitch


def timetable_publish(*, event: Event) -> Event:
    """Publish the timetable to the event's attendees: it shows on the event's page with
    its calendar file, and each attendee is emailed (again after each change published)."""
    if not event.pitches.filter(slot__isnull=False).exists():
        raise NotAllowed(_("Build the timetable before publishing it."))
    with transaction.atomic():
        event.timetable_published_at = timezone.now()
        event.save(update_fields=["timetable_published_at"])
        for rsvp in event.rsvps.filter(status=RsvpStatus.GOING).select_related("member__user"):
            emails.post_timetable(rsvp, published_at=event.timetable_published_at)
    return event
