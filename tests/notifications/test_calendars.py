"""Calendars: a meeting's .ics file, and each person's own calendar address holding every
meeting, reflection session and event they are invited to or have a place at, which they
can make anew (retiring the old address) or stop from their profile."""

import datetime
import logging

import icalendar
import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from milestones import services as meeting_services
from network import services as network_services
from notifications import calendars
from notifications.models import CalendarFeed
from tests.employers.test_survey import portal_log
from tests.milestones.factories import AdvisoryMeetingFactory, AdvisoryMemberFactory
from tests.network.factories import cohort, member
from tests.network.factories import event as make_event

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 2, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def summaries(ics: bytes) -> dict[str, str]:
    """Each event's SUMMARY and STATUS."""
    calendar = icalendar.Calendar.from_ical(ics)
    assert str(calendar["METHOD"]) == "PUBLISH"
    return {str(e["SUMMARY"]): str(e["STATUS"]) for e in calendar.walk("VEVENT")}


def in_days(days, hours=1):
    start = NOW + datetime.timedelta(days=days)
    return {"starts_at": start, "ends_at": start + datetime.timedelta(hours=hours)}


@pytest.fixture
def someone():
    """A network member who is also an adviser: a meeting, a course place, an event."""
    person = member("Ada", org="Camden")
    email = person.user.email
    adviser = AdvisoryMemberFactory(email=email)
    AdvisoryMeetingFactory(title="Advisory meeting", members=[adviser], **in_days(10))
    declined = AdvisoryMeetingFactory(title="Declined meeting", members=[adviser], **in_days(11))
    meeting_services.meeting_rsvp(meeting=declined, member=adviser, rsvp="no")
    AdvisoryMeetingFactory(title="Someone else's meeting", **in_days(12))
    AdvisoryMeetingFactory(title="Long ago", members=[adviser], **in_days(-200))
    course = cohort(starts_on=datetime.date(2027, 3, 1))
    network_services.place_nominate(cohort=course, member=person)
    going = make_event(title="Meet-up", **in_days(20))
    network_services.event_rsvp(event=going, member=person)
    cancelled = make_event(title="Called off", **in_days(21))
    network_services.event_rsvp(event=cancelled, member=person)
    network_services.event_cancel(event=cancelled)
    make_event(title="Not going", **in_days(22))
    return person


def test_the_feed_holds_what_the_person_is_invited_to_and_nothing_else(
    client, someone, django_assert_max_num_queries
):
    address = calendars.feed_renew(user=someone.user)
    with django_assert_max_num_queries(8):
        response = client.get(address)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    assert summaries(response.content) == {
        "Advisory meeting": "CONFIRMED",
        "Reflection session 1: UPFRONT confidence course": "CONFIRMED",
        "Reflection session 2: UPFRONT confidence course": "CONFIRMED",
        "Reflection session 3: UPFRONT confidence course": "CONFIRMED",
        "Meet-up": "CONFIRMED",
        "Called off": "CANCELLED",  # so calendars that had it drop it
    }


def test_a_new_address_retires_the_old_and_stopping_retires_both(client, someone):
    first = calendars.feed_renew(user=someone.user)
    second = calendars.feed_renew(user=someone.user)
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200

    calendars.feed_stop(user=someone.user)
    assert client.get(second).status_code == 404
    assert calendars.address_of(someone.user) is None


def test_an_address_cannot_be_made_up_or_turned_to_another_person(client, someone):
    calendars.feed_renew(user=someone.user)
    other = member("Bea")
    calendars.feed_renew(user=other.user)
    nonce = CalendarFeed.objects.get(user=someone.user).nonce
    forged = signing.dumps([other.user.pk, nonce], key="not-the-key", salt=calendars.SALT)
    for token in (forged, "made-up", signing.dumps([someone.user.pk, nonce], salt="other")):
        assert client.get(reverse("calendar_feed", args=[token])).status_code == 404


def test_a_member_makes_renews_and_stops_their_address_from_their_profile(client_for, someone):
    client = client_for(someone.user)
    profile = reverse("network:profile")
    manage = reverse("calendar_feed_manage")
    assert "Make my calendar address" in client.get(profile).content.decode()

    made = client.post(manage, {"action": "renew", "next": profile}, follow=True)
    address = calendars.address_of(someone.user)
    page = made.content.decode()
    assert made.redirect_chain == [(profile, 302)]
    assert f'value="{address}"' in page
    assert "Make a new address (the old one stops working)" in page

    client.post(manage, {"action": "renew", "next": profile})
    assert calendars.address_of(someone.user) != address

    stopped = client.post(manage, {"action": "stop", "next": "https://evil.example.org/"})
    assert stopped["Location"] == "/"  # only back to the portal's own pages
    assert calendars.address_of(someone.user) is None
    assert client.get(manage).status_code == 405


def test_a_meeting_file_shows_the_online_link_to_invitees_and_staff_only(
    client, client_for, commission_staff
):
    adviser_account = member("Ade").user
    # Added by staff: linked to the account with that verified address.
    adviser = meeting_services.advisory_member_save(name="Ade", email=adviser_account.email)
    meeting = AdvisoryMeetingFactory(
        members=[adviser],
        location="Hackney Town Hall",
        online_url="https://meet.example.org/advisory",
        **in_days(10),
    )
    address = reverse("milestones:meeting_ics", args=[meeting.pk])

    def location(client):
        response = client.get(address)
        assert response["Content-Disposition"] == f'attachment; filename="meeting-{meeting.pk}.ics"'
        (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        assert str(event["UID"]).startswith(str(meeting.uid))
        return str(event["LOCATION"])

    assert location(client) == "Hackney Town Hall"
    invited = "Hackney Town Hall, https://meet.example.org/advisory"
    assert location(client_for(adviser_account)) == invited
    assert location(client_for(commission_staff)) == invited
    assert (
        "Add this meeting to your calendar"
        in client.get(meeting.get_absolute_url()).content.decode()
    )


def test_calendar_addresses_never_reach_the_log(client, someone):
    address = calendars.feed_renew(user=someone.user)
    path = address.removeprefix("http://127.0.0.1:8000")
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    calendars.feed_renew(user=someone.user)  # the old address is now refused, and logged
    with portal_log() as written:
        assert client.get(path).status_code == 404
        logging.getLogger("django.server").info('"GET %s HTTP/1.1" 200 0', path)
    logged = written.getvalue()
    assert token not in logged
    assert '"GET /calendar/<token>.ics HTTP/1.1" 200' in logged


def test_every_link_that_is_its_own_permission_is_redacted_from_the_log():
    secrets_in_paths = [
        "/employers/invitation/SECRET1/",
        "/employers/emails/SECRET2/stop/",
        "/reply/SECRET3/yes/",
        "/calendar/SECRET4.ics",
        "/consultation/contact/SECRET5/unsubscribe/",
        "/network/news/SECRET6/stop/",
    ]
    with portal_log() as written:
        for path in secrets_in_paths:
            logging.getLogger("django.server").info('"GET %s HTTP/1.1" 200 0', path)
    assert "SECRET" not in written.getvalue()
    assert written.getvalue().count("<token>") == len(secrets_in_paths)
