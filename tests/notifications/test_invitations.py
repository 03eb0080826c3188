"""Invitations, changes and cancellations: everyone invited or holding a place is told at
once, however far ahead, once each, with an iCalendar REQUEST or CANCEL read back with a
real parser."""

import datetime

import icalendar
import pytest
import time_machine
from django.core import mail

from milestones import services as meeting_services
from network import services as network_services
from notifications import outbox, reminders
from notifications.ical import ANYONE, addressed_to
from notifications.models import Message
from tests.milestones.factories import AdvisoryMeetingFactory, AdvisoryMemberFactory
from tests.network.factories import cohort, member
from tests.notifications.test_reminders import START, at, send_due

pytestmark = pytest.mark.django_db


def event_of(message):
    """(METHOD, the VEVENT) of an email's calendar attachment."""
    (name, content, mimetype) = message.attachments[0]
    assert name == "invite.ics"
    calendar = icalendar.Calendar.from_ical(content)
    assert mimetype.startswith(f"text/calendar; method={calendar['METHOD']}")
    (event,) = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), event


def kinds(sent):
    """What each email is, by its subject: "Invitation", "Changed", "Cancelled"..."""
    return [(m.to[0], m.subject.split(":")[0]) for m in sent]


def meeting_20_days_ahead(*emails):
    with at(datetime.timedelta(days=20)):
        return AdvisoryMeetingFactory(
            starts_at=START,
            ends_at=START + datetime.timedelta(hours=2),
            location="Hackney Town Hall",
            members=[AdvisoryMemberFactory(email=email) for email in emails],
        )


def online_event(capacity=10):
    with at(datetime.timedelta(days=20)):
        return network_services.event_save(
            title="Data careers meet-up",
            description="",
            mode="online",
            format="led",
            starts_at=START,
            ends_at=START + datetime.timedelta(hours=1),
            online_url="https://meet.example.org/wdln",
            capacity=capacity,
        )


def test_a_meeting_scheduled_then_cancelled_far_ahead_tells_its_invitee_both(mailoutbox):
    """The issue's case: 20 days ahead, one invitee, cancelled; it used to send nothing."""
    meeting = meeting_20_days_ahead("ada@example.org")
    with at(datetime.timedelta(days=20)):
        send_due()
        meeting_services.meeting_cancel(meeting=meeting)
        send_due()
        send_due()

    assert kinds(mailoutbox) == [
        ("ada@example.org", "Invitation"),
        ("ada@example.org", "Cancelled"),
    ]
    (method, invited), (cancel, cancelled) = (event_of(m) for m in mailoutbox)
    assert (method, int(invited["SEQUENCE"])) == ("REQUEST", 0)
    assert (cancel, int(cancelled["SEQUENCE"]), str(cancelled["STATUS"])) == (
        "CANCEL",
        1,
        "CANCELLED",
    )
    assert str(invited["UID"]) == str(cancelled["UID"])
    assert str(invited["UID"]).startswith(str(meeting.uid))


def test_the_invitation_names_the_organiser_and_the_attendee_and_has_an_html_part(mailoutbox):
    meeting_20_days_ahead("Ada@Example.org")
    with at(datetime.timedelta(days=20)):
        send_due()

    (invitation,) = mailoutbox
    _method, event = event_of(invitation)
    assert str(event["ATTENDEE"]) == "mailto:ada@example.org"
    assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
    assert str(event["ORGANIZER"]) == "mailto:noreply@localhost"
    assert event.decoded("DTSTART") == START
    assert str(event["LOCATION"]) == "Hackney Town Hall"
    assert "You are invited to “Advisory Group Meeting”." in invitation.body
    (html, mimetype) = invitation.alternatives[0]
    assert mimetype == "text/html"
    assert "You are invited to “Advisory Group Meeting”." in html
    assert 'name="viewport"' in html
    assert invitation.reply_to == ["diversityintech@example.org"]
    # Sent with the version it carried, which later updates count from.
    assert Message.objects.get(topic=reminders.INVITATION).sequence == 0


def test_a_move_far_ahead_reaches_everyone_invited_then_not_only_those_reminded(mailoutbox):
    meeting = meeting_20_days_ahead("ada@example.org", "ben@example.org")
    with at(datetime.timedelta(days=20)):
        send_due()
    ben = meeting.attendance.get(member__email="ben@example.org").member
    with at(datetime.timedelta(days=15)):
        meeting_services.meeting_rsvp(meeting=meeting, member=ben, rsvp="no")
        meeting_services.meeting_update(
            meeting=meeting,
            starts_at=START + datetime.timedelta(days=2),
            ends_at=START + datetime.timedelta(days=2, hours=2),
        )
        send_due()
        send_due()

    # Ben said no, and still hears of the new time: it may suit him.
    assert sorted(kinds(mailoutbox[2:])) == [
        ("ada@example.org", "Changed"),
        ("ben@example.org", "Changed"),
    ]
    method, event = event_of(mailoutbox[2])
    assert (method, int(event["SEQUENCE"])) == ("REQUEST", 1)
    assert event.decoded("DTSTART") == START + datetime.timedelta(days=2)


def test_a_burst_of_edits_sends_one_update_with_the_final_details(mailoutbox, settings):
    settings.EMAIL_CHANGE_DELAY_SECONDS = 300
    meeting = meeting_20_days_ahead("ada@example.org")
    with at(datetime.timedelta(days=20)):
        send_due()
    for minutes, place in ((0, "Room 1"), (1, "Room 2"), (3, "Room 3")):
        with at(datetime.timedelta(days=10) - datetime.timedelta(minutes=minutes)):
            meeting_services.meeting_update(meeting=meeting, location=place)
            send_due()
    assert len(mailoutbox) == 1  # nothing yet: the last edit waits its five minutes
    with at(datetime.timedelta(days=10) - datetime.timedelta(minutes=9)):
        send_due()
        send_due()

    (update,) = mailoutbox[1:]
    _method, event = event_of(update)
    assert (str(event["LOCATION"]), int(event["SEQUENCE"])) == ("Room 3", 3)
    skipped = Message.objects.filter(topic=reminders.UPDATE, status="skipped")
    assert skipped.count() == 2
    assert set(skipped.values_list("note", flat=True)) == {
        "Changed before this was sent; the new version goes."
    }


def test_someone_invited_after_a_change_gets_the_latest_version_and_no_update(mailoutbox):
    meeting = meeting_20_days_ahead("ada@example.org")
    with at(datetime.timedelta(days=18)):
        meeting_services.meeting_update(meeting=meeting, location="Online")
        cy = AdvisoryMemberFactory(email="cy@example.org")
        meeting_services.meeting_set_invitees(
            meeting=meeting, members=[*meeting.attendees.all(), cy]
        )
        send_due()
        send_due()

    # Ada's invitation went out after the change too: she is sent the new place once.
    assert sorted(kinds(mailoutbox)) == [
        ("ada@example.org", "Invitation"),
        ("cy@example.org", "Invitation"),
    ]
    assert {int(event_of(m)[1]["SEQUENCE"]) for m in mailoutbox} == {1}
    assert Message.objects.get(topic=reminders.UPDATE).note == "Already sent this version."


def test_an_invitee_taken_off_gets_a_cancel_and_one_put_back_an_invitation(mailoutbox):
    meeting = meeting_20_days_ahead("ada@example.org", "ben@example.org")
    with at(datetime.timedelta(days=20)):
        send_due()
    ada = meeting.attendance.get(member__email="ada@example.org").member
    with at(datetime.timedelta(days=19)):
        meeting_services.meeting_set_invitees(meeting=meeting, members=[ada])
        send_due()
    (removal,) = mailoutbox[2:]
    assert kinds([removal]) == [("ben@example.org", "No longer in your calendar")]
    method, event = event_of(removal)
    assert (method, str(event["ATTENDEE"])) == ("CANCEL", "mailto:ben@example.org")

    ben = AdvisoryMemberFactory._meta.model.objects.get(email="ben@example.org")
    with at(datetime.timedelta(days=18)):
        meeting_services.meeting_set_invitees(meeting=meeting, members=[ada, ben])
        send_due()
    assert kinds(mailoutbox[3:]) == [("ben@example.org", "Invitation")]


def test_an_invitation_cancelled_before_it_went_sends_nothing(mailoutbox):
    meeting = meeting_20_days_ahead("ada@example.org")
    with at(datetime.timedelta(days=20)):
        meeting_services.meeting_cancel(meeting=meeting)
        send_due()
    assert mailoutbox == []
    assert dict(Message.objects.values_list("topic", "note")) == {
        reminders.INVITATION: "Cancelled before this was sent.",
        reminders.CANCELLATION: "Never sent it: there is nothing to take off a calendar.",
    }


def test_an_event_place_is_an_invitation_and_giving_it_up_takes_it_off_the_calendar(
    mailoutbox,
):
    event = online_event(capacity=1)
    first, second = member("Eve"), member("Flo")
    with at(datetime.timedelta(days=19)):
        network_services.event_rsvp(event=event, member=first)
        network_services.event_rsvp(event=event, member=second)  # the waiting list
        send_due()
        network_services.event_cancel_rsvp(event=event, member=first)
        send_due()

    assert kinds(reminders_of(mailoutbox)) == [
        (first.user.email, "Invitation"),
        (first.user.email, "No longer in your calendar"),
        (second.user.email, "Invitation"),
    ]
    promoted = reminders_of(mailoutbox)[2]
    assert "A place came free at “Data careers meet-up”, and it is yours." in promoted.body
    assert event_of(reminders_of(mailoutbox)[1])[0] == "CANCEL"


def test_a_course_place_invites_to_each_session_and_a_withdrawal_cancels_them(mailoutbox):
    with time_machine.travel(datetime.datetime(2027, 2, 1, tzinfo=datetime.UTC), tick=False):
        course = cohort(starts_on=datetime.date(2027, 3, 1), capacity=1, network_funded_places=1)
        place = network_services.place_nominate(cohort=course, member=member("Placed", org="Brent"))
        send_due()
        uids = sorted(str(event_of(m)[1]["UID"]) for m in reminders_of(mailoutbox))
        assert uids == sorted(
            f"session-{s.uid}@dit-portal.hackney.gov.uk" for s in course.sessions.all()
        )
        assert all("You have a place on the course." in m.body for m in reminders_of(mailoutbox))
        mail.outbox.clear()

        network_services.place_withdraw(place=place)
        send_due()
    assert (
        sorted(kinds(mailoutbox)) == [(place.member.user.email, "No longer in your calendar")] * 3
    )


def test_sessions_and_events_tell_their_people_of_a_move_and_a_cancellation(mailoutbox):
    with time_machine.travel(datetime.datetime(2027, 2, 1, tzinfo=datetime.UTC), tick=False):
        course = cohort(starts_on=datetime.date(2027, 3, 1))
        place = network_services.place_nominate(cohort=course, member=member("Placed", org="Brent"))
        event = network_services.event_save(
            title="Meet-up",
            description="",
            mode="online",
            format="led",
            starts_at=START,
            ends_at=START + datetime.timedelta(hours=1),
            online_url="https://meet.example.org",
            capacity=5,
        )
        network_services.event_rsvp(event=event, member=place.member)
        send_due()
        mail.outbox.clear()

        session = course.sessions.get(number=2)
        network_services.session_update(session=session, location="Room 4")
        network_services.event_save(event=event, online_url="https://meet.example.org/new")
        network_services.event_cancel(event=event)
        send_due()

    sent = {m.subject: event_of(m) for m in mailoutbox}
    assert sorted(sent) == [
        "Cancelled: Meet-up",
        "Changed: Reflection session 2: UPFRONT confidence course",
    ]
    method, moved = sent["Changed: Reflection session 2: UPFRONT confidence course"]
    assert (method, int(moved["SEQUENCE"]), str(moved["LOCATION"])) == ("REQUEST", 1, "Room 4")
    method, cancelled = sent["Cancelled: Meet-up"]
    assert (method, int(cancelled["SEQUENCE"])) == ("CANCEL", 2)


def test_each_invitation_goes_once_whatever_runs_twice(mailoutbox):
    meeting = meeting_20_days_ahead("ada@example.org")
    with at(datetime.timedelta(days=20)):
        send_due()
        send_due()
        meeting_services.meeting_set_invitees(meeting=meeting, members=meeting.attendees.all())
        send_due()
        assert outbox.deliver(list(Message.objects.values_list("pk", flat=True))) == {}
    assert len(mailoutbox) == 1


def reminders_of(sent):
    """The emails about occurrences (members' own decisions go too)."""
    return [m for m in sent if m.attachments]


def test_a_calendar_written_once_reads_as_if_written_for_each_recipient():
    meeting = meeting_20_days_ahead("ada@example.org")
    occurrence = reminders.sources()["meeting"].get(meeting.pk)
    addresses = [
        "a.long.address.that.folds.the.attendee.line.twice.over@example.org",
        # Folded between characters, never inside one.
        "zoë.ångström.öğretmen.ümmühan.çağlayan.şükrü.ışık.ğğğğğğğğğğ@example.org",
        "ada@example.org",
    ]

    for address in addresses:
        with at(datetime.timedelta(days=20)):
            once = addressed_to(reminders.calendar_for(occurrence, attendee=ANYONE), address)
            direct = reminders.calendar_for(occurrence, attendee=address)

        assert once == direct
        (event,) = icalendar.Calendar.from_ical(once).walk("VEVENT")
        assert str(event["ATTENDEE"]) == f"mailto:{address}"
