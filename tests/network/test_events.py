import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from network import services
from network.models import Event, RsvpStatus
from tests.network.factories import event as make_event
from tests.network.factories import member

pytestmark = pytest.mark.django_db


def test_places_then_a_waiting_list_that_moves_up_on_cancellation(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=2)
    a, b, c, d = (member(name) for name in ("Ada", "Bea", "Cy", "Di"))
    statuses = [services.event_rsvp(event=event, member=m).status for m in (a, b, c, d)]
    assert statuses == ["going", "going", "waiting", "waiting"]

    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel_rsvp(event=event, member=a)

    assert dict(event.rsvps.values_list("member__name", "status")) == {
        "Ada": "cancelled",
        "Bea": "going",
        "Cy": "going",
        "Di": "waiting",
    }
    assert len(mailoutbox) == 1
    assert "A place came free" in mailoutbox[0].body


def test_rsvp_through_the_page(client_for):
    event = make_event(capacity=1)
    first, second = member("Eve"), member("Flo")
    client_for(first.user).post(event.get_absolute_url(), {"action": "rsvp"})
    page = client_for(second.user).post(event.get_absolute_url(), {"action": "rsvp"}, follow=True)
    assert "You are number 1 on the waiting list." in page.content.decode()
    client_for(first.user).post(event.get_absolute_url(), {"action": "cancel", "confirmed": "yes"})
    assert event.rsvps.get(member=second).status == RsvpStatus.GOING


@pytest.mark.parametrize(
    ("full", "question", "button"),
    [
        (False, "Give up your place at Tech Week showcase?", "Give up my place"),
        (True, "Leave the waiting list for Tech Week showcase?", "Leave the waiting list"),
    ],
)
def test_giving_up_a_place_or_waiting_spot_asks_first(client_for, full, question, button):
    event = make_event(capacity=1, title="Tech Week showcase")
    if full:
        services.event_rsvp(event=event, member=member("Ada"))
    eve = member("Eve")
    services.event_rsvp(event=event, member=eve)
    status = event.rsvps.get(member=eve).status
    client = client_for(eve.user)

    asked = client.post(event.get_absolute_url(), {"action": "cancel"})

    page = asked.content.decode()
    assert asked.status_code == 200
    assert f'<h1 class="govuk-heading-l">{question}</h1>' in page
    assert button in page
    assert '<input type="hidden" name="confirmed" value="yes">' in page
    assert event.rsvps.get(member=eve).status == status  # nothing done yet

    client.post(event.get_absolute_url(), {"action": "cancel", "confirmed": "yes"})
    assert event.rsvps.get(member=eve).status == RsvpStatus.CANCELLED


def test_more_places_promote_the_waiting_list():
    event = make_event(capacity=1)
    services.event_rsvp(event=event, member=member())
    waiting = services.event_rsvp(event=event, member=member())
    services.event_save(event=event, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == RsvpStatus.GOING


def test_a_cancelled_or_past_event_takes_no_replies():
    event = make_event()
    services.event_cancel(event=event)
    with pytest.raises(services.NotAllowed):
        services.event_rsvp(event=event, member=member())


def test_hybrid_events_need_both_place_and_link(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("network:event_create"),
        {
            "title": "x",
            "mode": "hybrid",
            "format": "led",
            "starts_at": "2027-05-01T18:00",
            "ends_at": "2027-05-01T20:00",
            "capacity": 10,
        },
    )
    errors = response.context["form"].errors
    assert errors["location"] == ["Give the place for an in-person or hybrid event"]
    assert errors["online_url"] == ["Give the link for an online or hybrid event"]


def test_each_event_has_an_ics(client_for):
    event = make_event()
    response = client_for(member().user).get(reverse("network:event_ics", args=[event.slug]))
    calendar = icalendar.Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert str(vevent["UID"]).startswith(f"event-{event.uid}@")
    assert "City Hall" in str(vevent["LOCATION"])


def test_attendance_is_recorded(client_for, coordinator):
    event = make_event(capacity=3)
    a, b = member(), member()
    services.event_rsvp(event=event, member=a)
    services.event_rsvp(event=event, member=b)
    client_for(coordinator).post(
        reverse("network:event_attendance", args=[event.slug]), {"attended": [str(a.pk)]}
    )
    assert dict(event.rsvps.values_list("member_id", "attended")) == {a.pk: True, b.pk: False}


def test_leaving_gives_up_future_event_places():
    event = make_event(capacity=1)
    leaver, waiting = member(), member()
    services.event_rsvp(event=event, member=leaver)
    services.event_rsvp(event=event, member=waiting)
    services.membership_leave(membership=leaver)
    assert event.rsvps.get(member=waiting).status == RsvpStatus.GOING


def event_form(**changes):
    data = {
        "title": "Data leaders' evening",
        "description": "Talks and time to talk.",
        "mode": "hybrid",
        "format": "led",
        "starts_at": "2027-05-01T18:00",
        "ends_at": "2027-05-01T20:00",
        "location": "City Hall",
        "online_url": "https://meet.example.org/evening",
        "capacity": 30,
    }
    data.update(changes)
    return data


def ics_sequence(client, event) -> int:
    calendar = icalendar.Calendar.from_ical(
        client.get(reverse("network:event_ics", args=[event.slug])).content
    )
    (vevent,) = calendar.walk("VEVENT")
    return int(vevent["SEQUENCE"])


def test_rescheduling_on_the_coordinators_page_updates_calendars(client_for, coordinator):
    client = client_for(coordinator)
    client.post(reverse("network:event_create"), event_form())
    event = Event.objects.get()
    edit = reverse("network:event_edit", args=[event.slug])

    client.post(edit, event_form(description="Talks, and time to talk."))
    assert ics_sequence(client, event) == 0  # same time and place: calendars keep it as is

    client.post(edit, event_form(starts_at="2027-05-08T18:00", ends_at="2027-05-08T20:00"))
    event.refresh_from_db()
    assert timezone.localtime(event.starts_at).day == 8
    assert event.sequence == 1
    assert ics_sequence(client, event) == 1

    client.post(
        edit,
        event_form(starts_at="2027-05-08T18:00", ends_at="2027-05-08T20:00", location="Guildhall"),
    )
    event.refresh_from_db()
    assert (event.location, event.sequence) == ("Guildhall", 2)
