"""Reminders with real parts: PostgreSQL under two concurrent dispatches, a real SMTP
server on loopback, and a real Celery worker against Redis."""

import contextlib
import datetime
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from email import message_from_bytes
from pathlib import Path

import icalendar
import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core import mail
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone
from kombu import pools as kombu_pools

from notifications import outbox, reminders
from notifications.models import Message
from tests.milestones.factories import AdvisoryMeetingFactory, AdvisoryMemberFactory

ROOT = Path(__file__).resolve().parents[2]


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_port():
    return free_port()


def start_smtp(port) -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, inbox


def meeting_with(n):
    """A meeting six days away, whose n members were invited ten days ago (and sent their
    invitations then): the 7-day reminder is due now."""
    start = (timezone.now() + datetime.timedelta(days=6)).replace(microsecond=0)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=10)):
        meeting = AdvisoryMeetingFactory(
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            members=[
                AdvisoryMemberFactory(email=f"adviser{i}-{uuid.uuid4().hex[:6]}@example.org")
                for i in range(n)
            ],
        )
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            outbox.dispatch(enqueue=outbox.deliver)
    mail.outbox.clear()
    return meeting


def calendars(message):
    return [
        icalendar.Calendar.from_ical(part.get_payload(decode=True))
        for part in message.walk()
        if part.get_content_type() == "text/calendar"
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_dispatches_at_once_send_each_reminder_once():
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI runs this on PostgreSQL")
        pytest.skip("Concurrent dispatch is checked on PostgreSQL (set DATABASE_URL)")
    meeting_with(40)
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            outbox.dispatch(enqueue=outbox.deliver)
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(mail.outbox) == 40
    assert len({m.to[0] for m in mail.outbox}) == 40
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_smtp_down_for_the_first_attempt_still_delivers_exactly_once(settings, smtp_port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", smtp_port, 3
    meeting_with(1)

    report = outbox.dispatch(enqueue=outbox.deliver)  # nothing listens yet
    assert report.sent == 0
    assert Message.objects.get(topic=reminders.REMINDER).attempts == 1

    controller, inbox = start_smtp(smtp_port)
    try:
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
            outbox.dispatch(enqueue=outbox.deliver)
            outbox.dispatch(enqueue=outbox.deliver)
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    (calendar,) = calendars(inbox.messages[0])
    assert str(calendar["METHOD"]) == "REQUEST"


@pytest.mark.django_db
def test_a_mail_server_that_never_answers_delays_but_does_not_double(settings, smtp_port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", smtp_port, None
    settings.EMAIL_TIMEOUT = 1
    meeting_with(2)

    # Listens, so connecting succeeds, and never says a word.
    with socket.create_server(("127.0.0.1", smtp_port)):
        started = time.monotonic()
        first = outbox.dispatch(enqueue=outbox.deliver)
        second = outbox.dispatch(enqueue=outbox.deliver)
        assert time.monotonic() - started < 15
    assert first.sent == second.sent == 0
    assert set(
        Message.objects.filter(topic=reminders.REMINDER).values_list("status", "attempts")
    ) == {("pending", 1)}

    controller, inbox = start_smtp(smtp_port)
    try:
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
            outbox.dispatch(enqueue=outbox.deliver)
            outbox.dispatch(enqueue=outbox.deliver)
    finally:
        controller.stop()
    assert len(inbox.messages) == 2


@pytest.mark.django_db
def test_a_batch_stops_sending_before_its_claims_could_go_to_another_worker(settings, smtp_port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", smtp_port, None
    settings.EMAIL_TIMEOUT = 1.5
    settings.EMAIL_CLAIM_TIMEOUT_SECONDS = 2
    meeting_with(4)
    reminders.scan()
    pks = list(Message.objects.filter(topic=reminders.REMINDER).values_list("pk", flat=True))

    with socket.create_server(("127.0.0.1", smtp_port)):
        outcomes = outbox.deliver(pks)
    # A try waits 1.5 seconds; after half the claim timeout nothing new is started, and the
    # rows not tried are handed straight back, not left claimed.
    assert outcomes == {"pending": 1}
    reminded = Message.objects.filter(topic=reminders.REMINDER)
    assert sorted(reminded.values_list("status", "attempts", "claim")) == [
        ("pending", 0, ""),
        ("pending", 0, ""),
        ("pending", 0, ""),
        ("pending", 1, ""),
    ]


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{user}{password}@{host}/{settings['NAME']}"


@contextlib.contextmanager
def real_worker(redis_url):
    """A Celery worker in its own process against Redis, and this process publishing to it
    (not running tasks eagerly) until the block ends; yields a function returning what the
    worker printed."""
    from dit_portal.celery import app

    queue = f"test-reminders-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_URL": f"smtp://{settings.EMAIL_HOST}:{settings.EMAIL_PORT}",
        "DJANGO_SETTINGS_MODULE": "dit_portal.settings",
        "DJANGO_ENV": "test",
        # As in production, where a broker runs: updates wait for a burst of edits to end.
        "EMAIL_CHANGE_DELAY_SECONDS": str(settings.EMAIL_CHANGE_DELAY_SECONDS),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dit_portal",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    output = []
    try:
        app.conf.update(broker_url=redis_url, task_always_eager=False, task_default_queue=queue)
        yield lambda: "".join(output)
    finally:
        app.conf.update(saved)
        # Forget the pools opened for the test's broker, so the next publish (eager or
        # not) opens new ones for the restored settings instead of a closed one.
        app.pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        kombu_pools.reset()
        worker.terminate()
        output.append(worker.communicate(timeout=30)[0].decode(errors="replace"))


def wait_for(inbox, n, timeout=60):
    """Until ``inbox`` holds ``n`` emails carrying a calendar (members' decisions go too)."""
    deadline = time.monotonic() + timeout
    while len(with_calendars(inbox)) < n and time.monotonic() < deadline:
        time.sleep(0.2)


def with_calendars(inbox):
    return [m for m in inbox.messages if calendars(m)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_through_a_real_smtp_server(redis_url, smtp_port, settings):
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port
    controller, inbox = start_smtp(smtp_port)
    meeting = meeting_with(3)
    try:
        with real_worker(redis_url) as output:
            report = outbox.dispatch(enqueue=outbox.hand_over)
            assert report.queued == 3
            wait_for(inbox, 3)
            outbox.dispatch(enqueue=outbox.hand_over)  # a second scan: nothing new
            time.sleep(2)
    finally:
        controller.stop()

    assert len(inbox.messages) == 3, output()
    (calendar,) = calendars(inbox.messages[0])
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]).startswith(str(meeting.uid))
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def on_the_wire(message) -> tuple[str, str, str, str, int]:
    """(to, METHOD, the UID's occurrence part, DTSTART, SEQUENCE) of an email as received."""
    (calendar,) = calendars(message)
    (event,) = calendar.walk("VEVENT")
    return (
        message["To"],
        str(calendar["METHOD"]),
        str(event["UID"]).split("@")[0],
        event.decoded("DTSTART").isoformat(),
        int(event["SEQUENCE"]),
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_invite_move_cancel_reach_everyone_on_the_wire(redis_url, smtp_port, settings):
    """A meeting, a reflection session and an event, each with someone already reminded
    and someone invited too late for a reminder: each is invited, moved and cancelled,
    through a real worker, Redis and an SMTP server; every step reaches both, once, with
    the occurrence's one UID and its SEQUENCE moving on."""
    from milestones import services as meetings
    from network import services as network
    from tests.network.factories import cohort, member

    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port
    # Updates wait for a burst of edits to end (five minutes in production; here two
    # seconds, since the worker keeps real time).
    settings.EMAIL_CHANGE_DELAY_SECONDS = 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    controller, inbox = start_smtp(smtp_port)
    now = timezone.now().replace(microsecond=0)
    start = now + datetime.timedelta(days=6, hours=12)
    reminded = member("Rita Reminded", org="Camden")
    late = member("Lee Late", org="Brent")
    adviser = AdvisoryMemberFactory(email=reminded.user.email)
    with time_machine.travel(now - datetime.timedelta(days=3)):
        meeting = AdvisoryMeetingFactory(
            starts_at=start, ends_at=start + datetime.timedelta(hours=1), members=[adviser]
        )
        course = cohort(starts_on=start.date() - datetime.timedelta(days=39))
        session = course.sessions.get(number=3)
        network.session_update(
            session=session, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
        )
        network.place_nominate(cohort=course, member=reminded)
        event = network.event_save(
            title="Meet-up",
            description="",
            mode="online",
            format="led",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            online_url="https://meet.example.org",
            capacity=5,
        )
        network.event_rsvp(event=event, member=reminded)
    session.refresh_from_db()
    occurrences = {
        str(meeting.uid): meeting.sequence,
        f"session-{session.uid}": session.sequence,
        f"event-{event.uid}": event.sequence,
    }
    try:
        with real_worker(redis_url) as output:
            # Rita was invited three days ago (sent at once, tasks running in this process
            # then); the week's reminders go in the first round.
            outbox.dispatch(enqueue=outbox.hand_over)
            wait_for(inbox, 6)
            assert len(with_calendars(inbox)) == 6, output()
            # Lee joins after the week's reminder went: invited at once, not reminded.
            meetings.meeting_set_invitees(
                meeting=meeting,
                members=[adviser, AdvisoryMemberFactory(email=late.user.email)],
            )
            network.place_nominate(cohort=course, member=late)
            network.event_rsvp(event=event, member=late)
            wait_for(inbox, 6 + 3)
            moved = start + datetime.timedelta(hours=2)
            later = {"starts_at": moved, "ends_at": moved + datetime.timedelta(hours=1)}
            meetings.meeting_update(meeting=meeting, **later)
            network.session_update(session=session, **later)
            network.event_save(event=event, **later)
            time.sleep(2.5)
            outbox.dispatch(enqueue=outbox.hand_over)  # the updates' wait is over
            wait_for(inbox, 9 + 6)
            meetings.meeting_cancel(meeting=meeting)
            network.session_cancel(session=session)
            network.event_cancel(event=event)
            wait_for(inbox, 15 + 6)
            outbox.dispatch(enqueue=outbox.hand_over)  # nothing more
            time.sleep(2)
    finally:
        controller.stop()

    wire = [on_the_wire(m) for m in with_calendars(inbox)]
    assert len(wire) == 21, output()
    rita, lee = reminded.user.email, late.user.email
    for uid, base in occurrences.items():
        for person in (rita, lee):
            mine = [
                (method, at, seq) for to, method, u, at, seq in wire if (to, u) == (person, uid)
            ]
            told = [("REQUEST", start.isoformat(), base)] * (2 if person == rita else 1)
            assert mine == [
                *told,
                ("REQUEST", moved.isoformat(), base + 1),
                ("CANCEL", moved.isoformat(), base + 2),
            ], (uid, person, mine)
    assert set(Message.objects.filter(status="sent").values_list("recipient", flat=True)) == {
        rita,
        lee,
    }
