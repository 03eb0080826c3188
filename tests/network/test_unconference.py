"""An unconference's programme: attendees pitch sessions and vote (a fixed number of votes
each); coordinators build the timetable from the votes (capacity, a pitcher's own sessions
never at once, most voted first), adjust it by hand and publish it, with its calendar."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from network import selectors, services
from network.models import Pitch
from notifications.models import Message
from tests.network.factories import event, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def unconference():
    happening = event(capacity=30)  # an unconference, 10 days ahead, three hours long
    people = [member(f"Attendee {n}") for n in range(6)]
    for person in people:
        services.event_rsvp(event=happening, member=person)
    return happening, people


def slots(happening, n):
    return [
        services.slot_add(
            event=happening,
            starts_at=happening.starts_at + datetime.timedelta(hours=i),
            ends_at=happening.starts_at + datetime.timedelta(hours=i, minutes=50),
        )
        for i in range(n)
    ]


def vote(pitch, voters):
    for person in voters:
        services.pitch_vote(pitch=pitch, member=person)


def test_attendees_pitch_and_vote_within_their_votes(unconference):
    happening, (ada, bea, *_rest) = unconference
    pitches = [
        services.pitch_create(event=happening, member=ada, title=f"Session {n}") for n in range(4)
    ]
    for pitch in pitches[:3]:
        services.pitch_vote(pitch=pitch, member=bea)
    with pytest.raises(services.NotAllowed, match="used your 3 votes"):
        services.pitch_vote(pitch=pitches[3], member=bea)
    services.pitch_unvote(pitch=pitches[0], member=bea)
    with pytest.raises(services.NotAllowed, match="already voted"):
        services.pitch_vote(pitch=pitches[1], member=bea)
    services.pitch_vote(pitch=pitches[3], member=bea)  # a vote taken back is free again
    outsider = member("Not coming")
    with pytest.raises(services.NotAllowed, match="with a place"):
        services.pitch_create(event=happening, member=outsider, title="Mine")


def test_the_timetable_puts_the_most_voted_first_in_rooms_that_fit_and_never_clashes_a_pitcher(
    unconference,
):
    happening, people = unconference
    ada, bea = people[0], people[1]
    big = services.room_add(event=happening, name="Hall", capacity=5)
    small = services.room_add(event=happening, name="Nook", capacity=2)
    first, second = slots(happening, 2)
    popular = services.pitch_create(event=happening, member=ada, title="Popular")
    also_ada = services.pitch_create(event=happening, member=ada, title="Ada again")
    quiet = services.pitch_create(event=happening, member=bea, title="Quiet")
    services.pitch_create(event=happening, member=bea, title="Extra")
    vote(popular, people[:5])
    vote(also_ada, people[:4])
    vote(quiet, people[:1])
    left_out = services.timetable_build(event=happening)
    placed = {p.title: (p.slot, p.room) for p in Pitch.objects.filter(slot__isnull=False)}
    assert placed["Popular"] == (first, big)  # most voted: first choice of slot and room
    assert placed["Ada again"][0] == second  # never at the same time as Ada's other session
    assert placed["Ada again"][1] == big  # four voters: the room that seats them
    assert placed["Quiet"] == (second, small)  # the slot with fewer votes so far, smallest room
    assert placed["Extra"] == (first, small)
    assert left_out == []
    services.timetable_build(event=happening)  # again: the same timetable, nothing doubled
    assert Pitch.objects.filter(slot__isnull=False).count() == 4


def test_coordinators_move_a_session_by_hand_within_the_rules(unconference):
    happening, (ada, bea, *_rest) = unconference
    room = services.room_add(event=happening, name="Hall", capacity=10)
    other_room = services.room_add(event=happening, name="Nook", capacity=10)
    first, second = slots(happening, 2)
    one = services.pitch_create(event=happening, member=ada, title="One")
    two = services.pitch_create(event=happening, member=ada, title="Two")
    three = services.pitch_create(event=happening, member=bea, title="Three")
    services.timetable_move(pitch=one, slot=first, room=room)
    with pytest.raises(services.NotAllowed, match="runs another session then"):
        services.timetable_move(pitch=two, slot=first, room=other_room)
    with pytest.raises(services.NotAllowed, match="Another session is in that room"):
        services.timetable_move(pitch=three, slot=first, room=room)
    services.timetable_move(pitch=three, slot=second, room=room)
    services.timetable_move(pitch=three, slot=None, room=None)
    three.refresh_from_db()
    assert three.slot is None


def test_publishing_tells_attendees_and_gives_every_session_as_a_calendar(
    unconference, client_for, coordinator
):
    happening, people = unconference
    with pytest.raises(services.NotAllowed, match="Build the timetable"):
        services.timetable_publish(event=happening)
    client = client_for(coordinator)
    url = reverse("network:timetable", args=[happening.slug])
    client.post(url, {"form": "room", "room-name": "Hall", "room-capacity": "20"})
    late = happening.ends_at + datetime.timedelta(hours=1)
    refused = client.post(
        url,
        {
            "form": "slot",
            "slot-starts_at": f"{late:%Y-%m-%dT%H:%M}",
            "slot-ends_at": f"{late + datetime.timedelta(hours=1):%Y-%m-%dT%H:%M}",
        },
    )
    assert "within the event" in refused.content.decode()
    slots(happening, 1)
    services.pitch_create(event=happening, member=people[0], title="Data careers")
    client.post(url, {"form": "build"})
    client.post(url, {"form": "publish"})
    assert Message.objects.filter(topic="network.timetable").count() == len(people)
    ics = client_for(people[1].user).get(reverse("network:timetable_ics", args=[happening.slug]))
    assert "SUMMARY:Data careers" in ics.content.decode()
    page = client_for(people[1].user).get(reverse("network:sessions", args=[happening.slug]))
    assert "Data careers" in page.content.decode()
    assert selectors.programme(happening).grid[0][1][0].title == "Data careers"


def test_a_timetable_not_yet_published_has_no_calendar(unconference, client_for):
    happening, people = unconference
    url = reverse("network:timetable_ics", args=[happening.slug])
    assert client_for(people[0].user).get(url).status_code == 404


def test_giving_up_a_place_takes_back_votes_and_pitches_and_publishing_closes_voting(
    unconference,
):
    happening, (ada, bea, cy, *_rest) = unconference
    mine = services.pitch_create(event=happening, member=ada, title="Ada's")
    theirs = services.pitch_create(event=happening, member=cy, title="Cy's")
    services.pitch_vote(pitch=theirs, member=ada)
    services.pitch_vote(pitch=mine, member=bea)
    services.event_cancel_rsvp(event=happening, member=ada)
    assert not Pitch.objects.filter(pk=mine.pk).exists()  # nobody would run it
    assert not theirs.votes.exists()
    services.room_add(event=happening, name="Hall", capacity=10)
    slots(happening, 1)
    services.timetable_build(event=happening)
    services.timetable_publish(event=happening)
    with pytest.raises(services.NotAllowed, match="timetable is published"):
        services.pitch_vote(pitch=theirs, member=bea)


def test_made_up_ids_are_not_found_not_a_server_error(unconference, client_for, coordinator):
    happening, (ada, *_rest) = unconference
    url = reverse("network:sessions", args=[happening.slug])
    for value in ("abc", "9" * 30, ""):
        assert client_for(ada.user).post(url, {"pitch": value}).status_code == 404
    staff = reverse("network:timetable", args=[happening.slug])
    pitch = services.pitch_create(event=happening, member=ada, title="Ada's")
    for cell in ("abc-def", "1-", "-1", "9" * 30 + "-1"):
        answer = client_for(coordinator).post(
            staff, {"form": "move", "pitch": pitch.pk, "cell": cell}
        )
        assert answer.status_code == 404, cell


def test_a_room_named_twice_is_told_beside_its_name(unconference, client_for, coordinator):
    happening, _people = unconference
    url = reverse("network:timetable", args=[happening.slug])
    client = client_for(coordinator)
    client.post(url, {"form": "room", "room-name": "Hall", "room-capacity": "20"})
    again = client.post(url, {"form": "room", "room-name": "Hall", "room-capacity": "20"})
    form = again.context["room_form"]
    assert form.errors["name"] == ["This event already has a room with that name."]


def test_moving_a_session_by_hand_is_in_the_audit_history(unconference, coordinator):
    happening, (ada, *_rest) = unconference
    room = services.room_add(event=happening, name="Hall", capacity=10)
    (first,) = slots(happening, 1)
    pitch = services.pitch_create(event=happening, member=ada, title="One")
    services.timetable_move(pitch=pitch, slot=first, room=room)
    entry = LogEntry.objects.get_for_object(pitch).latest("timestamp")
    assert entry.changes_dict["room"] == ["None", str(room.pk)]
    assert LogEntry.objects.get_for_object(room).exists()
