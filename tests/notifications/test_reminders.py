"""Reminders: offsets, late joiners, past occurrences, updates and cancellations, opt-outs,
idempotence, failures, and the iCalendar attachments read back with a real parser."""

import datetime
import re

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from milestones import services as meeting_services
from network import services as network_services
from notifications import outbox, reminders
from notifications.models import Message
from tests.milestones.factories import AdvisoryMeetingFactory, AdvisoryMemberFactory
from tests.network.factories import cohort, member

pytestmark = pytest.mark.django_db

START = datetime.datetime(2027, 3, 15, 14, 0, tzinfo=datetime.UTC)


def at(delta):
    """A moment ``delta`` before START."""
    return time_machine.travel(START - delta, tick=False)


def send_due():
    return outbox.dispatch(enqueue=outbox.deliver)


def reminders_in(sent):
    """The reminders, updates and cancellations among the emails sent: not the invitations
    (and calendar cancellations of someone's own place) that go when people are invited or
    leave, nor members' other emails (their decisions)."""
    return [
        m
        for m in sent
        if m.attachments
        and m.attachments[0][0] == "invite.ics"
        and not m.subject.startswith(("Invitation:", "No longer in your calendar:"))
    ]


def not_invitations():
    """The outbox's rows but the invitations sent when people were invited."""
    return Message.objects.exclude(topic=reminders.INVITATION)


def calendar_of(message):
    (name, content, mimetype) = message.attachments[0]
    assert name == "invite.ics"
    return icalendar.Calendar.from_ical(content), mimetype


def online_event(title="Meet-up"):
    """A one-hour online network event at START, for 10 people."""
    return network_services.event_save(
        title=title,
        description="",
        mode="online",
        format="led",
        starts_at=START,
        ends_at=START + datetime.timedelta(hours=1),
        location="",
        online_url="https://meet.example.org",
        capacity=10,
    )


@pytest.fixture
def meeting():
    """A meeting at START, scheduled a month before with two invitees, whose invitations
    went then (tests of reminders start from an empty outbox)."""
    with time_machine.travel(START - datetime.timedelta(days=30), tick=False):
        scheduled = AdvisoryMeetingFactory(
            starts_at=START,
            ends_at=START + datetime.timedelta(hours=2),
            location="Hackney Town Hall",
            members=[
                AdvisoryMemberFactory(email="ada@example.org"),
                AdvisoryMemberFactory(email="ben@example.org"),
            ],
        )
        assert send_due().sent == 2
    mail.outbox.clear()
    return scheduled


def test_reminders_go_seven_days_and_one_day_before(meeting, mailoutbox):
    with at(datetime.timedelta(days=8)):
        send_due()
    assert mailoutbox == []
    with at(datetime.timedelta(days=7) - datetime.timedelta(minutes=3)):
        report = send_due()
    assert report.sent == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["ada@example.org", "ben@example.org"]
    assert "is in 7 days" in mailoutbox[0].body
    with at(datetime.timedelta(days=3)):
        send_due()
    assert len(mailoutbox) == 2
    with at(datetime.timedelta(hours=23)):
        send_due()
    assert len(mailoutbox) == 4
    assert "is in 23 hours" in mailoutbox[-1].body  # the time left, not the offset


def test_each_reminder_goes_once_whatever_runs_twice(meeting, mailoutbox):
    with at(datetime.timedelta(days=6)):
        send_due()
        send_due()
        # A task run twice finds its rows already claimed and sent: it sends nothing.
        assert outbox.deliver(list(Message.objects.values_list("pk", flat=True))) == {}
    assert len(mailoutbox) == 2


def test_after_an_outage_only_the_latest_reminder_goes(meeting, mailoutbox):
    with at(datetime.timedelta(hours=12)):
        send_due()
    assert len(mailoutbox) == 2
    assert all("is in 12 hours" in m.body for m in mailoutbox)
    assert not Message.objects.filter(params__offset_minutes=7 * 24 * 60).exists()


def test_someone_invited_late_gets_the_next_reminder_only(meeting, mailoutbox):
    with at(datetime.timedelta(days=7, minutes=-5)):
        send_due()
    with at(datetime.timedelta(days=5)):
        cy = AdvisoryMemberFactory(email="cy@example.org")
        meeting_services.meeting_set_invitees(
            meeting=meeting, members=[*meeting.attendees.all(), cy]
        )
        send_due()
    # Cy is invited at once, and not reminded of what she has just been told.
    assert [(m.to[0], m.subject.split(":")[0]) for m in mailoutbox[2:]] == [
        ("cy@example.org", "Invitation")
    ]
    with at(datetime.timedelta(hours=20)):
        send_due()
    assert [m.to[0] for m in reminders_in(mailoutbox)].count("cy@example.org") == 1


def test_nothing_is_sent_for_the_past(meeting, mailoutbox):
    with time_machine.travel(START + datetime.timedelta(hours=1), tick=False):
        send_due()
    assert mailoutbox == []


def test_declining_a_meeting_stops_its_reminders(meeting, mailoutbox):
    ada = meeting.attendance.get(member__email="ada@example.org").member
    with at(datetime.timedelta(days=10)):
        meeting_services.meeting_rsvp(meeting=meeting, member=ada, rsvp="no")
    with at(datetime.timedelta(days=6)):
        send_due()
    assert [m.to[0] for m in mailoutbox] == ["ben@example.org"]


def test_the_attachment_is_a_calendar_request_with_a_stable_uid(meeting, mailoutbox):
    with at(datetime.timedelta(days=6)):
        send_due()
    calendar, mimetype = calendar_of(mailoutbox[0])
    assert mimetype.startswith("text/calendar; method=REQUEST")
    assert str(calendar["METHOD"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]).startswith(str(meeting.uid))
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == START
    assert str(event["LOCATION"]) == "Hackney Town Hall"
    assert meeting.get_absolute_url() in mailoutbox[0].body


def test_a_moved_meeting_sends_an_update_to_those_reminded(meeting, mailoutbox):
    with at(datetime.timedelta(days=6)):
        send_due()
        meeting_services.meeting_update(
            meeting=meeting,
            starts_at=START + datetime.timedelta(hours=1),
            ends_at=START + datetime.timedelta(hours=3),
            location="Online",
        )
        send_due()
        send_due()
    updates = mailoutbox[2:]
    assert len(updates) == 2
    assert updates[0].subject.startswith("[DiT Portal] Changed:") or updates[0].subject.startswith(
        "Changed:"
    )
    calendar, _ = calendar_of(updates[0])
    (event,) = calendar.walk("VEVENT")
    assert int(event["SEQUENCE"]) == 1
    assert str(event["UID"]).startswith(str(meeting.uid))
    assert event.decoded("DTSTART") == START + datetime.timedelta(hours=1)
    assert str(event["LOCATION"]) == "Online"


def test_a_cancellation_is_announced_as_a_calendar_cancel(meeting, mailoutbox):
    with at(datetime.timedelta(days=6)):
        send_due()
        meeting_services.meeting_cancel(meeting=meeting)
        send_due()
    cancellations = mailoutbox[2:]
    assert len(cancellations) == 2
    calendar, mimetype = calendar_of(cancellations[0])
    assert str(calendar["METHOD"]) == "CANCEL"
    assert mimetype.startswith("text/calendar; method=CANCEL")
    (event,) = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert "has been cancelled" in cancellations[0].body


def test_a_reminder_queued_before_a_change_is_not_sent_in_its_old_form(meeting, mailoutbox):
    with at(datetime.timedelta(days=6)):
        reminders.scan()
        queued = list(Message.objects.values_list("pk", flat=True))
        meeting_services.meeting_update(
            meeting=meeting,
            starts_at=START + datetime.timedelta(days=10),
            ends_at=START + datetime.timedelta(days=10, hours=2),
        )
        outcomes = outbox.deliver(queued)
    # Rows for the old time are settled; the scan makes rows for the new one when due.
    assert outcomes == {"skipped": 2}
    assert mailoutbox == []

    with at(datetime.timedelta(days=5)):
        meeting_services.meeting_cancel(meeting=meeting)
        outbox.deliver(queued)
    assert mailoutbox == []


def test_a_cancelled_rsvp_gets_no_reminder_but_optional_email_choices_do_not_stop_it(mailoutbox):
    with time_machine.travel(START - datetime.timedelta(days=30), tick=False):
        event = online_event()
        keen = member("Keen", receives_optional_email=False)
        gone = member("Gone")
        network_services.event_rsvp(event=event, member=keen)
        network_services.event_rsvp(event=event, member=gone)
        network_services.event_cancel_rsvp(event=event, member=gone)
    with at(datetime.timedelta(days=6)):
        send_due()
    assert [m.to[0] for m in reminders_in(mailoutbox)] == [keen.user.email]


def test_reflection_sessions_remind_people_with_places(mailoutbox):
    with time_machine.travel(datetime.datetime(2027, 2, 1, tzinfo=datetime.UTC), tick=False):
        course = cohort(starts_on=datetime.date(2027, 3, 1), capacity=1, network_funded_places=1)
        place = network_services.place_nominate(cohort=course, member=member("Placed", org="Brent"))
        network_services.place_nominate(cohort=course, member=member("Waiting", org="Camden"))
    first = course.sessions.get(number=1)
    with time_machine.travel(first.starts_at - datetime.timedelta(hours=20), tick=False):
        send_due()
    assert [m.to[0] for m in reminders_in(mailoutbox)] == [place.member.user.email]
    assert "Reflection session 1" in reminders_in(mailoutbox)[0].subject


def test_a_mail_server_outage_delays_but_does_not_lose_or_double(meeting, mailoutbox, settings):
    settings.EMAIL_BACKEND = "tests.consultation.test_services.FailingBackend"
    with at(datetime.timedelta(days=6, hours=1)):
        report = send_due()
    assert report.sent == 0
    assert set(not_invitations().values_list("status", "attempts")) == {("pending", 1)}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with at(datetime.timedelta(days=6, minutes=59)):
        send_due()  # backing off: not yet
    assert mailoutbox == []
    with at(datetime.timedelta(days=6)):
        send_due()
        send_due()
    assert sorted(m.to[0] for m in mailoutbox) == ["ada@example.org", "ben@example.org"]


def test_after_the_last_attempt_a_failure_is_shown_to_staff(
    meeting, settings, client_for, commission_staff
):
    settings.EMAIL_BACKEND = "tests.consultation.test_services.FailingBackend"
    settings.EMAIL_MAX_ATTEMPTS = 2
    with at(datetime.timedelta(days=6, hours=5)):
        send_due()
    with at(datetime.timedelta(days=6)):
        send_due()
        send_due()
    assert set(not_invitations().values_list("status", flat=True)) == {"failed"}
    page = client_for(commission_staff).get(reverse("email_log")).content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Failed</strong>' in page
    assert "mail server down" in page
    assert "ada@example.org" in page


def test_a_broker_outage_loses_nothing(meeting, mailoutbox):
    def broker_down(pks):
        raise ConnectionRefusedError("broker down")

    with at(datetime.timedelta(days=6)):
        report = outbox.dispatch(enqueue=broker_down)
        assert report.queue_errors == 2
        send_due()
    assert len(mailoutbox) == 2


def test_the_email_log_is_for_staff_roles_only(client_for):
    from tests.conftest import make_user

    someone = make_user("someone@example.org")
    assert client_for(someone).get(reverse("email_log")).status_code == 403
    assert client_for(None).get(reverse("email_log")).status_code == 302


def test_a_dispatch_over_a_thousand_due_reminders_makes_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    from milestones.models import AdvisoryMember, MeetingAttendance

    with time_machine.travel(START - datetime.timedelta(days=30), tick=False):
        meeting = AdvisoryMeetingFactory(
            starts_at=START, ends_at=START + datetime.timedelta(hours=2)
        )
        advisers = AdvisoryMember.objects.bulk_create(
            AdvisoryMember(name=f"Adviser {i}", email=f"adviser{i}@example.org")
            for i in range(1000)
        )
        MeetingAttendance.objects.bulk_create(
            MeetingAttendance(meeting=meeting, member=a) for a in advisers
        )
    queued = []
    # Batched: SQLite inserts in batches of its variable limit, PostgreSQL in one statement.
    with at(datetime.timedelta(days=6)), django_assert_max_num_queries(30):
        report = outbox.dispatch(enqueue=queued.extend)
    assert report.queued == len(queued) == 1000
    assert Message.objects.count() == 1000


def test_send_reminders_command_reports_what_it_sent(meeting):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with at(datetime.timedelta(days=6)):
        call_command("send_due_email", stdout=out)
        call_command("send_due_email", stdout=out)
    assert "Emails: 2 sent" in out.getvalue()
    assert "Emails: 0 sent" in out.getvalue()
    assert len(mail.outbox) == 2


def test_each_role_sees_the_reminders_of_its_own_programme(
    meeting, client_for, coordinator, commission_staff
):
    with at(datetime.timedelta(days=6)):
        send_due()
    assert (
        "ada@example.org" in client_for(commission_staff).get(reverse("email_log")).content.decode()
    )
    assert (
        "ada@example.org" not in client_for(coordinator).get(reverse("email_log")).content.decode()
    )


def test_a_meeting_moved_far_beyond_the_reminder_window_sends_its_update_at_once(
    meeting, mailoutbox
):
    with at(datetime.timedelta(days=6)):
        send_due()
        meeting_services.meeting_update(
            meeting=meeting,
            starts_at=START + datetime.timedelta(days=14),
            ends_at=START + datetime.timedelta(days=14, hours=2),
        )
        send_due()
    updates = mailoutbox[2:]
    assert sorted(m.to[0] for m in updates) == ["ada@example.org", "ben@example.org"]
    (event,) = calendar_of(updates[0])[0].walk("VEVENT")
    assert event.decoded("DTSTART") == START + datetime.timedelta(days=14)


def test_a_meeting_moved_later_gets_the_reminders_still_ahead_telling_the_real_time(
    meeting, mailoutbox
):
    moved_to = START + datetime.timedelta(days=3)
    with at(datetime.timedelta(hours=20)):
        send_due()  # the 1-day reminders
        meeting_services.meeting_update(
            meeting=meeting, starts_at=moved_to, ends_at=moved_to + datetime.timedelta(hours=2)
        )
        send_due()
        send_due()
    # An update, and no week-before reminder whose moment passed before the move.
    assert [m.subject.split(":")[0] for m in mailoutbox[2:]] == ["Changed", "Changed"]
    with time_machine.travel(moved_to - datetime.timedelta(days=2), tick=False):
        send_due()
    assert len(mailoutbox) == 4
    with time_machine.travel(moved_to - datetime.timedelta(hours=20), tick=False):
        send_due()
        send_due()
    again = mailoutbox[4:]
    assert sorted(m.to[0] for m in again) == ["ada@example.org", "ben@example.org"]
    assert all("is in 20 hours" in m.body for m in again)
    (event,) = calendar_of(again[0])[0].walk("VEVENT")
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == moved_to


def test_a_changed_place_before_the_week_reminder_went_sends_the_week_reminder_once(
    meeting, mailoutbox
):
    with at(datetime.timedelta(days=6)):
        reminders.scan()
        meeting_services.meeting_update(meeting=meeting, location="Online")
        send_due()
        send_due()
    # The reminder of the old place is not sent: one email each, the change, which tells
    # them all a reminder would.
    assert sorted(m.to[0] for m in mailoutbox) == ["ada@example.org", "ben@example.org"]
    assert all(m.subject.startswith("Changed:") for m in mailoutbox)
    (event,) = calendar_of(mailoutbox[0])[0].walk("VEVENT")
    assert str(event["LOCATION"]) == "Online"


def test_an_update_queued_before_a_cancellation_is_not_sent(meeting, mailoutbox):
    with at(datetime.timedelta(days=6)):
        send_due()
        meeting_services.meeting_update(meeting=meeting, location="Elsewhere")
        reminders.scan()  # the update rows, not yet sent
        meeting_services.meeting_cancel(meeting=meeting)
        send_due()
        send_due()
    after = mailoutbox[2:]
    assert len(after) == 2
    assert all(calendar_of(m)[1].startswith("text/calendar; method=CANCEL") for m in after)
    assert set(
        Message.objects.filter(topic="reminders.update").values_list("status", flat=True)
    ) == {"skipped"}


def test_addresses_in_mixed_case_are_reminded(mailoutbox):
    with time_machine.travel(START - datetime.timedelta(days=30), tick=False):
        AdvisoryMeetingFactory(
            starts_at=START,
            ends_at=START + datetime.timedelta(hours=2),
            members=[AdvisoryMemberFactory(email="Ada.Lovelace@Example.org")],
        )
        event = online_event()
        keen = member("Keen")
        keen.user.email = "Keen.Member@Example.org"
        keen.user.save(update_fields=["email"])
        network_services.event_rsvp(event=event, member=keen)
    with at(datetime.timedelta(days=6)):
        send_due()
    assert sorted(m.to[0] for m in reminders_in(mailoutbox)) == [
        "ada.lovelace@example.org",
        "keen.member@example.org",
    ]


def test_each_row_is_marked_sent_as_it_goes_so_a_worker_dying_mid_batch_sends_none_twice(
    meeting, mailoutbox, monkeypatch
):
    real, calls = EmailMultiAlternatives.send, []

    def dies_on_the_second(email, *args):
        calls.append(email.to[0])
        if len(calls) == 2:
            raise SystemExit("worker killed")
        return real(email, *args)

    with at(datetime.timedelta(days=6)):
        reminders.scan()
        monkeypatch.setattr(EmailMultiAlternatives, "send", dies_on_the_second)
        with pytest.raises(SystemExit):
            outbox.deliver(list(not_invitations().values_list("pk", flat=True)))
        monkeypatch.setattr(EmailMultiAlternatives, "send", real)
    assert not_invitations().get(recipient=calls[0]).status == "sent"
    # Past the claim timeout the dead worker's claim is handed back: only its unsent row.
    with at(datetime.timedelta(days=6) - datetime.timedelta(minutes=11)):
        send_due()
        send_due()
    assert sorted(m.to[0] for m in mailoutbox) == ["ada@example.org", "ben@example.org"]


def test_the_celery_tasks_run_twice_send_each_reminder_once(meeting, mailoutbox):
    from notifications import tasks

    with at(datetime.timedelta(days=6)):
        tasks.dispatch_email.apply().get()
        tasks.dispatch_email.apply().get()
        pks = list(Message.objects.values_list("pk", flat=True))
        tasks.send_email.apply(args=[pks]).get()
        tasks.send_email.apply(args=[pks]).get()
    assert sorted(m.to[0] for m in mailoutbox) == ["ada@example.org", "ben@example.org"]


def test_other_offsets_are_followed(meeting, mailoutbox, settings):
    settings.REMINDER_OFFSETS = [datetime.timedelta(hours=2), datetime.timedelta(days=2)]
    with at(datetime.timedelta(days=3)):
        send_due()
    assert mailoutbox == []
    with at(datetime.timedelta(hours=47)):
        send_due()
    assert len(mailoutbox) == 2
    assert "is in 2 days" in mailoutbox[0].body
    with at(datetime.timedelta(hours=3)):
        send_due()
    assert len(mailoutbox) == 2
    with at(datetime.timedelta(minutes=100)):
        send_due()
        send_due()
    assert len(mailoutbox) == 4
    assert "is in 2 hours" in mailoutbox[-1].body
    assert set(not_invitations().values_list("params__offset_minutes", flat=True)) == {120, 2880}


def test_a_dispatch_refuses_to_queue_inside_a_transaction_that_has_not_committed(meeting):
    from django.db import transaction

    queued = []
    with at(datetime.timedelta(days=6)), pytest.raises(RuntimeError), transaction.atomic():
        outbox.dispatch(enqueue=queued.extend)
    assert queued == []


def test_a_reflection_session_can_be_cancelled_and_those_reminded_are_told(mailoutbox):
    with time_machine.travel(datetime.datetime(2027, 2, 1, tzinfo=datetime.UTC), tick=False):
        course = cohort(starts_on=datetime.date(2027, 3, 1), capacity=1, network_funded_places=1)
        place = network_services.place_nominate(cohort=course, member=member("Placed", org="Brent"))
    session = course.sessions.get(number=1)
    with time_machine.travel(session.starts_at - datetime.timedelta(hours=20), tick=False):
        send_due()
        network_services.session_cancel(session=session)
        network_services.session_cancel(session=session)
        send_due()
    session.refresh_from_db()
    assert session.is_cancelled
    assert session.sequence == 1
    assert [m.to[0] for m in reminders_in(mailoutbox)] == [place.member.user.email] * 2
    assert str(calendar_of(reminders_in(mailoutbox)[1])[0]["METHOD"]) == "CANCEL"


def test_changes_made_from_stale_copies_each_get_a_new_sequence(meeting):
    from milestones.models import AdvisoryMeeting
    from network.models import Event, ReflectionSession

    first, second = (AdvisoryMeeting.objects.get(pk=meeting.pk) for _ in range(2))
    meeting_services.meeting_update(meeting=first, location="Online")
    meeting_services.meeting_update(meeting=second, location="Somewhere else")
    stale = AdvisoryMeeting.objects.get(pk=meeting.pk)
    meeting_services.meeting_update(meeting=first, location="Back home")
    meeting_services.meeting_cancel(meeting=stale)
    assert AdvisoryMeeting.objects.get(pk=meeting.pk).sequence == 4

    with time_machine.travel(datetime.datetime(2027, 2, 1, tzinfo=datetime.UTC), tick=False):
        course = cohort(starts_on=datetime.date(2027, 3, 1))
    first, second = (ReflectionSession.objects.get(cohort=course, number=1) for _ in range(2))
    network_services.session_update(session=first, location="Room 1")
    network_services.session_update(session=second, location="Room 2")
    network_services.session_cancel(session=first)
    assert ReflectionSession.objects.get(pk=first.pk).sequence == 3

    event = online_event()
    stale = Event.objects.get(pk=event.pk)
    network_services.event_save(event=event, online_url="https://meet.example.org/new")
    network_services.event_cancel(event=stale)
    assert Event.objects.get(pk=event.pk).sequence == 2


def test_staff_see_the_reminders_of_one_occurrence(
    meeting, client_for, commission_staff, coordinator, django_assert_max_num_queries
):
    with time_machine.travel(START - datetime.timedelta(days=30), tick=False):
        others = [
            AdvisoryMeetingFactory(
                title=f"Other meeting {i}",
                starts_at=START,
                ends_at=START + datetime.timedelta(hours=2),
                members=[AdvisoryMemberFactory(email=f"other{i}@example.org")],
            )
            for i in range(5)
        ]
    with at(datetime.timedelta(days=6)):
        send_due()
    staff = client_for(commission_staff)
    listing = staff.get(reverse("email_log")).content.decode()
    link = f"{reverse('email_log')}?kind=meeting&amp;id={meeting.pk}"
    assert link in listing
    assert all(f"?kind=meeting&amp;id={other.pk}" in listing for other in others)

    url = f"{reverse('email_log')}?kind=meeting&id={meeting.pk}"
    with django_assert_max_num_queries(12):
        page = staff.get(url).content.decode()
    assert f'<h1 class="govuk-heading-l">Emails: {meeting.title}, 15 Mar 2027 14:00</h1>' in page
    assert "ada@example.org" in page
    assert "ben@example.org" in page
    assert "other0@example.org" not in page

    # The listing's queries do not grow with the occurrences it lists.
    with django_assert_max_num_queries(12):
        staff.get(reverse("email_log"))

    assert client_for(coordinator).get(url).status_code == 404
    assert staff.get(f"{reverse('email_log')}?kind=meeting&id=nope").status_code == 404
    assert staff.get(f"{reverse('email_log')}?kind=meeting&id=99999").status_code == 404
    assert client_for(None).get(url).status_code == 302


def _follow_reminder_link(client, page_url, label):
    html = client.get(page_url).content.decode()
    link = re.search(rf'<a (?:[^>]* )?href="([^"]+)"[^>]*>{label}</a>', html)
    assert link is not None, f"no link '{label}' on {page_url}"
    response = client.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    return response.content.decode()


def test_each_occurrence_s_staff_page_links_to_its_own_reminders(
    meeting, client_for, commission_staff, coordinator
):
    with time_machine.travel(START - datetime.timedelta(days=30), tick=False):
        event = online_event("Spring meet-up")
        network_services.event_rsvp(event=event, member=member("Keen"))
        course = cohort(starts_on=datetime.date(2027, 3, 1), capacity=1, network_funded_places=1)
        network_services.place_nominate(cohort=course, member=member("Placed", org="Brent"))
    with at(datetime.timedelta(days=6)):
        send_due()

    page = _follow_reminder_link(
        client_for(commission_staff), meeting.get_absolute_url(), "Emails sent for this meeting"
    )
    assert "ada@example.org" in page
    assert "Spring meet-up" not in page

    coordinating = client_for(coordinator)
    page = _follow_reminder_link(
        coordinating,
        reverse("network:event_attendance", args=[event.slug]),
        "Emails sent for this event",
    )
    assert "Spring meet-up" in page
    assert "ada@example.org" not in page
    session = course.sessions.get(number=1)
    page = _follow_reminder_link(
        coordinating,
        reverse("network:session", args=[session.pk]),
        "Emails sent for this session",
    )
    assert str(session) in page
