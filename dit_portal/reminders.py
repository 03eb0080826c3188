"""The reminders engine: emails before advisory meetings, reflection sessions and network
events, each sent at most once, none lost.

The database is the schedule. A scan (``dispatch``, run by Celery beat every few minutes,
or by ``manage.py send_reminders`` from cron) works out what is due from the occurrences as
they are now, records one ``ReminderDelivery`` row per (recipient, occurrence, offset) —
the unique constraint makes a second scan, a second beat or a second worker harmless —
and queues one send per row. A send claims its row before sending and marks it after; if
the mail server fails it backs off and tries again on a later scan, a few times, then the
row is marked failed for staff to see. If the broker is down, nothing is queued and the
next scan queues it. Nothing is ever scheduled as a delayed Celery task.

Reminders go at ``REMINDER_OFFSETS`` before the start (7 days and 1 day by default). Only
the latest offset already due is sent: after an outage nobody gets a week-before reminder
the day before. People who joined after an offset's moment get the next one only. A
changed time or place sends an update to those already reminded, a cancellation a
cancellation, each with an iCalendar attachment carrying the occurrence's stable UID and
its current SEQUENCE.
"""

import datetime
import logging
import smtplib
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from .ical import new_calendar, timed_event
from .models import ReminderDelivery

logger = logging.getLogger(__name__)

Status, Purpose = ReminderDelivery.Status, ReminderDelivery.Purpose


@dataclass
class Occurrence:
    """What a reminder says about the thing it reminds of, read fresh at send time."""

    kind: str
    pk: int
    uid: str
    sequence: int
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    location: str
    description: str
    path: str
    cancelled: bool


@dataclass
class Recipient:
    email: str
    name: str
    joined_at: datetime.datetime


class Source:
    """Where occurrences of one kind come from. Apps subclass it (see REMINDER_SOURCES)."""

    kind: str

    def occurrences(self, *, starting_after, starting_before) -> list[Occurrence]:
        raise NotImplementedError

    def recipients(self, occurrence_ids, emails=None) -> dict[int, list[Recipient]]:
        """Who is due at each occurrence; only those with one of ``emails``, if given."""
        raise NotImplementedError

    def get(self, pk: int) -> Occurrence | None:
        found = self.occurrences_by_pk([pk])
        return found.get(pk)

    def occurrences_by_pk(self, pks) -> dict[int, Occurrence]:
        raise NotImplementedError


def sources() -> dict[str, Source]:
    return {s.kind: s for s in (import_string(path)() for path in settings.REMINDER_SOURCES)}


def offsets() -> list[datetime.timedelta]:
    return sorted(settings.REMINDER_OFFSETS, reverse=True)


@dataclass
class DispatchReport:
    queued: int = 0
    sent: int = 0
    failed: int = 0
    queue_errors: int = 0


def scan(*, now: datetime.datetime | None = None) -> None:
    """Record every delivery now due that is not recorded yet (rows already there are
    left alone). A fixed number of queries per source, however many occurrences and
    recipients."""
    now = now or timezone.now()
    all_offsets = offsets()
    rows = []
    for source in sources().values():
        upcoming = source.occurrences(starting_after=now, starting_before=now + all_offsets[0])
        if not upcoming:
            continue
        recipients = source.recipients([o.pk for o in upcoming if not o.cancelled])
        for occurrence in upcoming:
            if occurrence.cancelled:
                continue
            due = [o for o in all_offsets if occurrence.starts_at - o <= now]
            if not due:
                continue
            latest = due[-1]
            for person in recipients.get(occurrence.pk, []):
                if person.joined_at <= occurrence.starts_at - latest:
                    rows.append(
                        ReminderDelivery(
                            kind=source.kind,
                            occurrence_id=occurrence.pk,
                            recipient=person.email.lower(),
                            purpose=Purpose.REMINDER,
                            offset_minutes=int(latest.total_seconds() // 60),
                        )
                    )
        rows += _changes(source, [o for o in upcoming if o.sequence > 0])
    ReminderDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)


def _changes(source: Source, changed: list[Occurrence]) -> list[ReminderDelivery]:
    """Updates and cancellations owed to people reminded of an earlier version."""
    if not changed:
        return []
    by_pk = {o.pk: o for o in changed}
    reminded = (
        ReminderDelivery.objects.filter(
            kind=source.kind, occurrence_id__in=by_pk, status=Status.SENT
        )
        .values("occurrence_id", "recipient")
        .annotate(latest=Max("sent_sequence"))
    )
    rows = []
    for row in reminded:
        occurrence = by_pk[row["occurrence_id"]]
        if row["latest"] is not None and row["latest"] < occurrence.sequence:
            rows.append(
                ReminderDelivery(
                    kind=source.kind,
                    occurrence_id=occurrence.pk,
                    recipient=row["recipient"],
                    purpose=Purpose.CANCELLATION if occurrence.cancelled else Purpose.UPDATE,
                    sequence=occurrence.sequence,
                )
            )
    return rows


def due_ids(*, now: datetime.datetime | None = None) -> list[int]:
    """Rows waiting to be sent whose time has come; claims left by a worker that died are
    handed back first."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT_SECONDS)
    ReminderDelivery.objects.filter(status=Status.SENDING, claimed_at__lt=stale).update(
        status=Status.PENDING, claim=""
    )
    return list(
        ReminderDelivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


BATCH = 100


def dispatch(*, enqueue: Callable[[list[int]], object], now=None) -> DispatchReport:
    """Scan, then hand the due rows to ``enqueue`` in batches of up to 100 (queue a task
    per batch, or send in-process). Each row is still claimed and sent on its own.

    ``enqueue`` failing (the broker is down) loses nothing: the rows stay pending and the
    next scan offers them again.
    """
    scan(now=now)
    report = DispatchReport()
    due = due_ids(now=now)
    for start in range(0, len(due), BATCH):
        batch = due[start : start + BATCH]
        try:
            outcome = enqueue(batch)
        except Exception:
            logger.exception("Could not queue %s reminders; the next scan will", len(batch))
            report.queue_errors += len(batch)
            continue
        report.queued += len(batch)
        if isinstance(outcome, dict):
            report.sent += outcome.get(Status.SENT, 0)
            report.failed += outcome.get(Status.FAILED, 0)
    return report


def deliver(pks: list[int]) -> dict[str, int]:
    """Send the given rows that are still pending and still right; returns how many ended
    in each status. Rows another worker claimed are left alone.

    Each occurrence is read again now: a reminder for something cancelled or already
    started is not sent; one for something moved later waits until it is due again; the
    email always carries the occurrence's current time and place. A fixed number of
    queries per batch, and one connection to the mail server.
    """
    claim, now = uuid.uuid4().hex, timezone.now()
    ReminderDelivery.objects.filter(pk__in=pks, status=Status.PENDING).update(
        status=Status.SENDING, claimed_at=now, claim=claim
    )
    claimed = list(ReminderDelivery.objects.filter(claim=claim, status=Status.SENDING))
    registry = sources()
    occurrences, attending = {}, set()
    for kind in {d.kind for d in claimed}:
        ids = {d.occurrence_id for d in claimed if d.kind == kind}
        for pk, occurrence in registry[kind].occurrences_by_pk(ids).items():
            occurrences[(kind, pk)] = occurrence
        emails = {d.recipient for d in claimed if d.kind == kind}
        for pk, people in registry[kind].recipients(list(ids), emails=emails).items():
            attending |= {(kind, pk, person.email.lower()) for person in people}
    outcomes: dict[str, int] = {}
    sent: dict[int, list[int]] = {}  # sequence sent -> rows, marked together at the end
    contents: dict[tuple, tuple[str, str, bytes, str]] = {}
    connection = get_connection()
    try:
        for delivery in claimed:
            occurrence = occurrences.get((delivery.kind, delivery.occurrence_id))
            status = _deliver_one(delivery, occurrence, attending, connection, contents, now)
            if status == Status.SENT:
                sent.setdefault(occurrence.sequence, []).append(delivery.pk)
            outcomes[status] = outcomes.get(status, 0) + 1
    finally:
        connection.close()
        for sequence, pks in sent.items():
            ReminderDelivery.objects.filter(pk__in=pks).update(
                status=Status.SENT,
                claim="",
                sent_at=timezone.now(),
                sent_sequence=sequence,
                note="",
            )
    return outcomes


def _deliver_one(delivery, occurrence, attending, connection, contents, now) -> str:
    """Send one claimed row, or settle why not. Returns its status; a sent row is marked
    by the caller, with the rest of the batch."""
    pk = delivery.pk
    if occurrence is None or occurrence.starts_at <= now:
        return _finish(pk, Status.SKIPPED, note="It has started, or no longer exists.")
    if delivery.purpose == Purpose.REMINDER:
        if occurrence.cancelled:
            return _finish(pk, Status.SKIPPED, note="Cancelled before the reminder was sent.")
        due_at = occurrence.starts_at - datetime.timedelta(minutes=delivery.offset_minutes)
        if now < due_at:
            return _finish(pk, Status.PENDING, next_attempt_at=due_at)
        if (delivery.kind, occurrence.pk, delivery.recipient) not in attending:
            return _finish(pk, Status.SKIPPED, note="No longer attending.")
    # Everyone reminded of the same thing at the same moment gets the same words and
    # calendar: build them once per batch.
    key = (
        delivery.kind,
        occurrence.pk,
        delivery.purpose,
        delivery.offset_minutes,
        occurrence.sequence,
    )
    if key not in contents:
        contents[key] = _content(delivery, occurrence)
    try:
        _message(delivery.recipient, *contents[key], connection).send()
    except (smtplib.SMTPException, OSError) as error:
        attempts = delivery.attempts + 1
        if attempts >= settings.REMINDER_MAX_ATTEMPTS:
            return _finish(pk, Status.FAILED, attempts=attempts, note=str(error)[:300])
        return _finish(
            pk,
            Status.PENDING,
            attempts=attempts,
            next_attempt_at=now + datetime.timedelta(minutes=2**attempts),
            note=str(error)[:300],
        )
    return Status.SENT


def _finish(pk: int, status: str, **fields) -> str:
    ReminderDelivery.objects.filter(pk=pk).update(status=status, claim="", **fields)
    return status


def calendar_for(occurrence: Occurrence, *, cancel: bool = False) -> bytes:
    calendar = new_calendar(name=occurrence.title, method="CANCEL" if cancel else "REQUEST")
    calendar.add_component(
        timed_event(
            uid=occurrence.uid,
            sequence=occurrence.sequence,
            summary=occurrence.title,
            starts_at=occurrence.starts_at,
            ends_at=occurrence.ends_at,
            location=occurrence.location,
            description=occurrence.description,
            cancelled=cancel,
            url=settings.SITE_URL.rstrip("/") + occurrence.path,
        )
    )
    return calendar.to_ical()


def _content(delivery, occurrence: Occurrence) -> tuple[str, str, bytes, str]:
    """Subject, body, calendar and calendar method of a delivery's email."""
    cancel = delivery.purpose == Purpose.CANCELLATION
    context = {
        "delivery": delivery,
        "occurrence": occurrence,
        "url": settings.SITE_URL.rstrip("/") + occurrence.path,
        "days": delivery.offset_minutes // (60 * 24),
        "hours": delivery.offset_minutes // 60,
    }
    return (
        render_to_string("dit_portal/email/reminder_subject.txt", context).strip(),
        render_to_string("dit_portal/email/reminder.txt", context),
        calendar_for(occurrence, cancel=cancel),
        "CANCEL" if cancel else "REQUEST",
    )


def _message(recipient, subject, body, calendar, method, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject, body=body, to=[recipient], connection=connection
    )
    message.attach("invite.ics", calendar, f"text/calendar; method={method}; charset=utf-8")
    return message


def enqueue_task(pks: list[int]):
    """Queue one send task for a batch of rows, without hanging on a broker that is down
    (the publish retry is bounded in settings)."""
    from .tasks import send_reminders

    send_reminders.apply_async(
        (pks,), retry=True, retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY
    )
