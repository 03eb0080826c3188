"""The one outbox: every email is recorded once, goes once, survives a dead worker, and is
in the staff log for those who look after it."""

import datetime
import logging

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from employers import services as employer_services
from milestones import services as meeting_services
from notifications import outbox
from notifications.models import Message
from tests.conftest import send_everything_again
from tests.employers.factories import EmployerFactory, SurveyFactory
from tests.milestones.factories import AdvisoryMeetingFactory, AdvisoryMemberFactory
from tests.network.factories import member

pytestmark = pytest.mark.django_db


def invite(email="hr@example.org"):
    return employer_services.invitation_create(
        survey=SurveyFactory(), employer=EmployerFactory(), email=email, invited_by=None
    )


def later(**delta):
    return time_machine.travel(timezone.now() + datetime.timedelta(**delta))


def test_a_message_posted_twice_is_recorded_and_sent_once(mailoutbox):
    invitation = invite()
    key = f"employers.invitation:{invitation.pk}:{invitation.token_hash}"
    again = outbox.post(
        "employers.invitation",
        key=key,
        to=invitation.email,
        params={"invitation_id": invitation.pk, "token_hash": invitation.token_hash},
    )
    assert again is None
    assert Message.objects.filter(key=key).count() == 1
    send_everything_again()
    send_everything_again()
    assert [m.to for m in mailoutbox] == [["hr@example.org"]]


def test_an_unknown_topic_is_refused_when_posted():
    with pytest.raises(LookupError, match="No outbox topic"):
        outbox.post("nobody.knows", key="x", to="a@example.org")
    assert not Message.objects.exists()


def test_every_copy_of_a_message_carries_the_same_message_id(mailoutbox, settings):
    invitation = invite()
    message = Message.objects.get()
    send_everything_again()
    header = mailoutbox[0].extra_headers["Message-ID"]
    assert header == message.message_id
    assert header.endswith(f"@{settings.CALENDAR_UID_DOMAIN}>")
    # A re-sent invitation is a new link, so a new message with an id of its own.
    employer_services.invitation_resend(invitation=invitation)
    send_everything_again()
    assert len({m.extra_headers["Message-ID"] for m in mailoutbox}) == 2


def test_a_worker_killed_mid_send_has_its_message_sent_again_later(mailoutbox):
    """Claimed, and the worker died before marking it: the claim is taken over once it is
    older than the claim timeout, and the email goes, under the same Message-ID."""
    invite()
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(status="sending", claimed_at=timezone.now())

    assert outbox.dispatch(enqueue=outbox.deliver).queued == 0  # may still be sending
    with later(minutes=11):
        assert outbox.dispatch(enqueue=outbox.deliver).sent == 1
        assert outbox.dispatch(enqueue=outbox.deliver).queued == 0
    assert len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["Message-ID"] == message.message_id
    assert Message.objects.get().status == "sent"


class WorkerKilled(BaseException):
    """What a worker's process being killed looks like to the code it was running."""


def test_each_message_is_marked_sent_as_it_goes_so_a_worker_killed_next_resends_none(
    mailoutbox, monkeypatch
):
    """Killed while sending the second of two: the first is already marked sent, so taking
    over the claims later sends only the second."""
    invite("first@example.org")
    invite("second@example.org")
    send = outbox.EmailMultiAlternatives.send

    def killed_on_the_second(email, *args, **kwargs):
        if email.to == ["second@example.org"]:
            raise WorkerKilled
        return send(email, *args, **kwargs)

    monkeypatch.setattr(outbox.EmailMultiAlternatives, "send", killed_on_the_second)
    with pytest.raises(WorkerKilled):
        outbox.deliver(list(Message.objects.order_by("pk").values_list("pk", flat=True)))
    assert dict(Message.objects.values_list("recipient", "status")) == {
        "first@example.org": "sent",
        "second@example.org": "sending",
    }
    monkeypatch.setattr(outbox.EmailMultiAlternatives, "send", send)
    with later(minutes=11):
        assert outbox.dispatch(enqueue=outbox.deliver).sent == 1
    assert [m.to for m in mailoutbox] == [["first@example.org"], ["second@example.org"]]


def test_marking_messages_sent_does_not_wait_for_the_disk_on_postgresql():
    """Each mark commits on its own with synchronous_commit off (most of a send's cost was
    that commit waiting for the disk), and the connection is left as it was found."""
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    invite("first@example.org")
    invite("second@example.org")
    with CaptureQueriesContext(connection) as queries:
        send_everything_again()
    statements = [q["sql"] for q in queries.captured_queries]
    off, back = (
        statements.index("SET synchronous_commit TO OFF"),
        statements.index("RESET synchronous_commit"),
    )
    marks = [i for i, sql in enumerate(statements) if "UPDATE" in sql and "'sent'" in sql]
    assert len(marks) == 2
    assert all(off < mark < back for mark in marks)
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def test_a_fault_in_a_builder_is_logged_and_tried_again(monkeypatch, mailoutbox, caplog):
    invite()
    topic = outbox.topics()["employers.invitation"]

    def broken(message, prepared):
        raise ValueError("template missing")

    monkeypatch.setattr(topic, "build", broken)
    with caplog.at_level(logging.ERROR):
        assert send_everything_again() == {"pending": 1}
    message = Message.objects.get()
    assert (message.attempts, message.note) == (1, "Could not be written: template missing")
    assert "Could not write email" in caplog.text
    monkeypatch.undo()
    with later(minutes=3):
        assert outbox.dispatch(enqueue=outbox.deliver).sent == 1
    assert len(mailoutbox) == 1


def test_a_message_refused_every_time_ends_failed_for_staff_to_see(settings, client_for, admin):
    settings.EMAIL_BACKEND = "tests.consultation.test_services.FailingBackend"
    settings.EMAIL_MAX_ATTEMPTS = 3
    invite()
    for minutes in (0, 3, 10):
        with later(minutes=minutes):
            outbox.dispatch(enqueue=outbox.deliver)
    message = Message.objects.get()
    assert (message.status, message.attempts) == ("failed", 3)
    page = client_for(admin).get(reverse("email_log") + "?status=failed").content.decode()
    assert "hr@example.org" in page
    assert "Employer survey invitation" in page
    assert "mail server down" in page


def test_the_email_log_shows_each_role_only_its_own_emails(
    client_for, commission_staff, coordinator
):
    invite(email="hr@example.org")
    member("Dee", approve=True)  # the decision email is the network's
    send_everything_again()

    staff_page = client_for(commission_staff).get(reverse("email_log")).content.decode()
    network_page = client_for(coordinator).get(reverse("email_log")).content.decode()
    assert "hr@example.org" in staff_page
    assert "Employer survey invitation" in staff_page
    assert "Membership decision" not in staff_page
    assert "Membership decision" in network_page
    assert "hr@example.org" not in network_page
    assert "Sent (1)" in staff_page
    assert "Sent (1)" in network_page


def test_the_email_log_refuses_a_status_it_does_not_know(client_for, commission_staff):
    client = client_for(commission_staff)
    assert client.get(reverse("email_log") + "?status=sent").status_code == 200
    assert client.get(reverse("email_log") + "?status=drop").status_code == 404


def test_the_email_log_makes_the_same_queries_however_many_emails(
    client_for, admin, django_assert_max_num_queries
):
    for n in range(30):
        invite(email=f"hr{n}@example.org")
    send_everything_again()
    client = client_for(admin)
    client.get(reverse("email_log"))  # signed in, session saved
    with django_assert_max_num_queries(8):
        page = client.get(reverse("email_log")).content.decode()
    assert page.count("Employer survey invitation") == 30


def test_the_email_log_pages_through_every_email_with_failures_first(client_for, admin):
    for n in range(55):
        with later(minutes=n):
            invite(email=f"hr{n:02d}@example.org")
    send_everything_again()
    Message.objects.filter(recipient="hr03@example.org").update(status=Message.Status.FAILED)
    client = client_for(admin)

    def recipients(response):
        return [row.message.recipient for row in response.context["rows"]]

    first = client.get(reverse("email_log"))
    assert recipients(first)[:2] == ["hr03@example.org", "hr54@example.org"]
    assert len(recipients(first)) == 50
    assert "Showing 1 to 50 of 55" in first.content.decode()
    rest = recipients(client.get(reverse("email_log"), {"page": 2}))
    assert rest == [f"hr{n:02d}@example.org" for n in (5, 4, 2, 1, 0)]  # none lost at 300
    by_recipient = recipients(client.get(reverse("email_log"), {"sort": "to"}))
    assert by_recipient[:3] == ["hr00@example.org", "hr01@example.org", "hr02@example.org"]
    failed = client.get(reverse("email_log"), {"status": "failed", "sort": "-to"})
    assert recipients(failed) == ["hr03@example.org"]


def test_subjects_read_as_written_on_one_line_and_a_bad_header_fails_once(mailoutbox, monkeypatch):
    meeting = AdvisoryMeetingFactory(
        title="R&D: women's\nnetwork", members=[AdvisoryMemberFactory(email="ada@example.org")]
    )
    outbox.dispatch(enqueue=outbox.deliver)
    (invitation,) = mailoutbox
    assert invitation.subject.startswith("Invitation: R&D: women's network, ")
    title = invitation.alternatives[0][0].split("<title>")[1].split("</title>")[0]
    assert title.startswith("Invitation: R&amp;D: women&#x27;s network")  # escaped once

    # A header Django refuses (as a subject written elsewhere could be) fails for good,
    # shown to staff, rather than stopping every batch it is in.
    meeting_services.meeting_update(meeting=meeting, location="Online")
    real = outbox.render

    def with_a_broken_header(*args, **kwargs):
        email = real(*args, **kwargs)
        email.subject = "Broken\nheader"
        return email

    monkeypatch.setattr(outbox, "render", with_a_broken_header)
    outbox.dispatch(enqueue=outbox.deliver)
    update = Message.objects.get(topic="reminders.update")
    assert (update.status, update.attempts) == ("failed", 1)
    assert "Header values can't contain newlines" in update.note
