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
changed time or place sends an update to those already emailed, a cancellation a
cancellation, each with an iCalendar attachment carrying the occurrence's stable UID and
its current SEQUENCE; reminders still ahead of the new time follow it.
"""

import datetime
import logging
import smtplib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from common.links import absolute_url

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

    def upcoming(self, *, now, horizon) -> list[Occurrence]:
        """Occurrences starting after ``now`` that start by ``horizon`` or have changed
        (SEQUENCE above 0, however far ahead: their updates are owed now)."""
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
    recipients.

    A reminder row belongs to one version (SEQUENCE) of its occurrence: a moved occurrence
    gets fresh rows for the offsets still ahead of it. Someone told of an earlier version
    gets an update instead of any reminder whose moment had passed when they were last
    told, so a change never brings back a week-before reminder a few days before.
    """
    now = now or timezone.now()
    all_offsets = offsets()
    horizon = now + all_offsets[0]
    rows = []
    for source in sources().values():
        found = source.upcoming(now=now, horizon=horizon)
        if not found:
            continue
        changed = {o.pk: o for o in found if o.sequence > 0}
        told = _told(source.kind, changed)
        rows += _changes(source.kind, changed, told)
        remindable = [o for o in found if not o.cancelled and o.starts_at <= horizon]
        recipients = source.recipients([o.pk for o in remindable]) if remindable else {}
        for occurrence in remindable:
            due = [o for o in all_offsets if occurrence.starts_at - o <= now]
            if not due:
                continue
            latest = due[-1]
            moment = occurrence.starts_at - latest
            for person in recipients.get(occurrence.pk, []):
                email = person.email.lower()
                if person.joined_at > moment:
                    continue
                last = told.get((occurrence.pk, email))
                if last and (last["version"] < occurrence.sequence or last["at"] >= moment):
                    continue
                rows.append(
                    ReminderDelivery(
                        kind=source.kind,
                        occurrence_id=occurrence.pk,
                        recipient=email,
                        purpose=Purpose.REMINDER,
                        offset_minutes=int(latest.total_seconds() // 60),
                        sequence=occurrence.sequence,
                    )
                )
    ReminderDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)


def _told(kind: str, changed: dict[int, Occurrence]) -> dict[tuple[int, str], dict]:
    """For each (occurrence, recipient) already emailed about a changed occurrence: the
    newest version they were sent and when they were last sent anything. Read from the
    delivery table, so an occurrence moved far beyond the reminder window still gets its
    update."""
    if not changed:
        return {}
    rows = (
        ReminderDelivery.objects.filter(kind=kind, occurrence_id__in=changed, status=Status.SENT)
        .values("occurrence_id", "recipient")
        .annotate(version=Max("sent_sequence"), at=Max("sent_at"))
    )
    return {(row["occurrence_id"], row["recipient"]): row for row in rows}


def _changes(kind: str, changed: dict[int, Occurrence], told) -> list[ReminderDelivery]:
    """Updates and cancellations owed to people sent an earlier version."""
    rows = []
    for (pk, recipient), last in told.items():
        occurrence = changed[pk]
        if last["version"] < occurrence.sequence:
            rows.append(
                ReminderDelivery(
                    kind=kind,
                    occurrence_id=pk,
                    recipient=recipient,
                    purpose=Purpose.CANCELLATION if occurrence.cancelled else Purpose.UPDATE,
                    sequence=occurrence.sequence,
                )
            )
    return rows


def due_ids(*, now: datetime.datetime | None = None) -> list[int]:
    """Rows waiting to be sent whose time has come; claims left by a worker that died are
    handed back first (a live one gives its claims up well before: see ``deliver``)."""
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
    # Durable: the scan commits before anything is queued, so a worker never looks for
    # rows that are not there yet, and a caller's transaction rolling back can never leave
    # queued ids pointing at nothing. Called inside someone else's transaction it refuses
    # to run rather than queue before that commit.
    with transaction.atomic(durable=True):
        scan(now=now)
        due = due_ids(now=now)
    report = DispatchReport()
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

    Each occurrence is read again now: a row for something cancelled, already started or
    changed since the row was made is not sent (the scan makes one for the current
    version). Each row is marked sent as soon as its email is accepted, so nothing a
    worker dies after sending is sent again. A fixed number of queries per batch plus one
    per row, and one connection to the mail server.
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
    contents: dict[tuple, tuple[str, str, bytes, str]] = {}
    # Stop starting sends well before the claims could be taken as a dead worker's and
    # handed to another (``due_ids``); the mail server timeout bounds each send.
    deadline = time.monotonic() + settings.REMINDER_CLAIM_TIMEOUT_SECONDS / 2
    tried = set()
    # A mail server that accepts and never answers would otherwise hold the claims forever.
    connection = get_connection(timeout=settings.REMINDER_SMTP_TIMEOUT)
    try:
        for delivery in claimed:
            if time.monotonic() > deadline:
                break
            tried.add(delivery.pk)
            occurrence = occurrences.get((delivery.kind, delivery.occurrence_id))
            status = _deliver_one(delivery, occurrence, attending, connection, contents, now)
            outcomes[status] = outcomes.get(status, 0) + 1
    finally:
        connection.close()
        # Rows never tried (the deadline, or the task's time limit, stopped the batch) go
        # back to the next scan now rather than after the claim timeout. The row being
        # sent when the time limit struck stays claimed: it may have gone.
        untried = [d.pk for d in claimed if d.pk not in tried]
        if untried:
            ReminderDelivery.objects.filter(pk__in=untried, claim=claim).update(
                status=Status.PENDING, claim=""
            )
    return outcomes


def _deliver_one(delivery, occurrence, attending, connection, contents, now) -> str:
    """Send one claimed row and mark it, or settle why not. Returns its status."""
    pk = delivery.pk
    if occurrence is None or occurrence.starts_at <= now:
        return _finish(pk, Status.SKIPPED, note=_("It has started, or no longer exists."))
    if delivery.purpose != Purpose.CANCELLATION and occurrence.cancelled:
        return _finish(pk, Status.SKIPPED, note=_("Cancelled before this was sent."))
    if delivery.sequence != occurrence.sequence:
        return _finish(
            pk, Status.SKIPPED, note=_("Changed before this was sent; the new version goes.")
        )
    if delivery.purpose == Purpose.REMINDER and (
        (delivery.kind, occurrence.pk, delivery.recipient) not in attending
    ):
        return _finish(pk, Status.SKIPPED, note=_("No longer attending."))
    # Everyone emailed about the same version in one batch gets the same words and
    # calendar: build them once.
    key = (delivery.kind, occurrence.pk, delivery.purpose, occurrence.sequence)
    if key not in contents:
        contents[key] = _content(delivery, occurrence, now)
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
    return _finish(
        pk, Status.SENT, sent_at=timezone.now(), sent_sequence=occurrence.sequence, note=""
    )


def _finish(pk: int, status: str, **fields) -> str:
    ReminderDelivery.objects.filter(pk=pk).update(status=status, claim="", **fields)
    return status


def calendar_for(occurrence: Occurrence, *, method: str = "REQUEST") -> bytes:
    """The occurrence as iCalendar: REQUEST or CANCEL in email, PUBLISH for a file to
    download. The same UID and SEQUENCE either way, so calendars keep one entry."""
    cancel = method == "CANCEL" or occurrence.cancelled
    calendar = new_calendar(name=occurrence.title, method=method)
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
            url=absolute_url(occurrence.path),
        )
    )
    return calendar.to_ical()


def _content(delivery, occurrence: Occurrence, now) -> tuple[str, str, bytes, str]:
    """Subject, body, calendar and calendar method of a delivery's email. The time left
    is counted from now, not from the offset: a late or moved reminder tells the truth."""
    cancel = delivery.purpose == Purpose.CANCELLATION
    hours = max(1, round((occurrence.starts_at - now).total_seconds() / 3600))
    context = {
        "delivery": delivery,
        "occurrence": occurrence,
        "url": absolute_url(occurrence.path),
        "days": (hours + 12) // 24 if hours >= 24 else 0,
        "hours": hours,
    }
    return (
        render_to_string("notifications/email/reminder_subject.txt", context).strip(),
        render_to_string("notifications/email/reminder.txt", context),
        calendar_for(occurrence, method="CANCEL" if cancel else "REQUEST"),
        "CANCEL" if cancel else "REQUEST",
    )


def _message(recipient, subject, body, calendar, method, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject, body=body, to=[recipient], connection=connection
    )
    message.attach("invite.ics", calendar, f"text/calendar; method={method}; charset=utf-8")
    return message


# What makes an occurrence a different calendar entry: a change to any of these moves its
# SEQUENCE on, and sends those already reminded an update.
SCHEDULE_FIELDS = ("starts_at", "ends_at", "location", "online_url")


def occurrence_change(model, pk: int, fields: dict):
    """Change an occurrence (an advisory meeting, a reflection session, an event) on its
    stored row, locked. A new time or place moves its SEQUENCE on, counted from the locked
    row, so two changes at once give two numbers; and the changes are written onto that
    row, so a copy read before another change (a cancellation) cannot undo it. Call it
    inside a transaction; returns the row as saved."""
    stored = model.objects.select_for_update().get(pk=pk)
    if any(getattr(stored, k) != v for k, v in fields.items() if k in SCHEDULE_FIELDS):
        stored.sequence += 1
    for name, value in fields.items():
        setattr(stored, name, value)
    stored.full_clean()
    stored.save()
    return stored


def occurrence_cancel(model, pk: int):
    """Cancel an occurrence, once however often asked: it stays on record, marked
    cancelled, with its SEQUENCE moved on, so those reminded get a calendar cancellation.
    Returns the row as saved."""
    with transaction.atomic():
        stored = model.objects.select_for_update().get(pk=pk)
        if not stored.is_cancelled:
            stored.is_cancelled = True
            stored.sequence += 1
            stored.save(update_fields=["is_cancelled", "sequence"])
    return stored
