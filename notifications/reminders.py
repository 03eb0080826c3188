"""Reminders: emails before advisory meetings, reflection sessions and network events, each
sent at most once, none lost; and the updates and cancellations that follow a change.

The database is the schedule. The outbox's dispatch (run by Celery beat every few minutes,
or by ``manage.py send_due_email`` from cron) first runs ``scan``, which works out what is
due from the occurrences as they are now and posts one message per (recipient,
occurrence, offset, version) to the outbox; the message's unique key makes a second scan,
a second beat or a second worker harmless. The outbox then sends them as it sends every
email (``notifications.outbox``). Nothing is ever scheduled as a delayed Celery task.

Reminders go at ``REMINDER_OFFSETS`` before the start (7 days and 1 day by default). Only
the latest offset already due is sent: after an outage nobody gets a week-before reminder
the day before. People who joined after an offset's moment get the next one only. A
changed time or place sends an update to those already emailed, a cancellation a
cancellation, each with an iCalendar attachment carrying the occurrence's stable UID and
its current SEQUENCE; reminders still ahead of the new time follow it.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common.links import absolute_url

from . import outbox
from .ical import new_calendar, timed_event
from .models import Message

Status = Message.Status

REMINDER, UPDATE, CANCELLATION = "reminders.reminder", "reminders.update", "reminders.cancel"
TOPICS = (REMINDER, UPDATE, CANCELLATION)


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
    # Which staff see its emails in the log: "commission" (commission staff) or "network"
    # (network coordinators); admins see all.
    audience: str

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


def offset_label(minutes: int) -> str:
    hours = minutes // 60
    if hours and hours % 24 == 0:
        days = hours // 24
        return ngettext("%(n)s day before", "%(n)s days before", days) % {"n": days}
    return ngettext("%(n)s hour before", "%(n)s hours before", hours) % {"n": hours}


def _message(topic: str, kind: str, pk: int, recipient: str, sequence: int, offset=0):
    return Message(
        key=f"{topic}:{kind}:{pk}:{sequence}:{offset}:{recipient}",
        topic=topic,
        recipient=recipient,
        params={"offset_minutes": offset} if topic == REMINDER else {},
        about_kind=kind,
        about_id=pk,
        sequence=sequence,
    )


def scan(*, now: datetime.datetime | None = None) -> None:
    """Post every reminder, update and cancellation now due that is not posted yet
    (messages already there are left alone). A fixed number of queries per source,
    however many occurrences and recipients.

    A reminder belongs to one version (SEQUENCE) of its occurrence: a moved occurrence
    gets fresh reminders for the offsets still ahead of it. Someone told of an earlier
    version gets an update instead of any reminder whose moment had passed when they were
    last told, so a change never brings back a week-before reminder a few days before.
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
                    _message(
                        REMINDER,
                        source.kind,
                        occurrence.pk,
                        email,
                        occurrence.sequence,
                        int(latest.total_seconds() // 60),
                    )
                )
    outbox.post_many(rows)


def _told(kind: str, changed: dict[int, Occurrence]) -> dict[tuple[int, str], dict]:
    """For each (occurrence, recipient) already emailed about a changed occurrence: the
    newest version they were sent and when they were last sent anything. Read from the
    outbox, so an occurrence moved far beyond the reminder window still gets its update."""
    if not changed:
        return {}
    rows = (
        Message.objects.filter(
            topic__in=TOPICS, about_kind=kind, about_id__in=changed, status=Status.SENT
        )
        .values("about_id", "recipient")
        .annotate(version=Max("sequence"), at=Max("sent_at"))
    )
    return {(row["about_id"], row["recipient"]): row for row in rows}


def _changes(kind: str, changed: dict[int, Occurrence], told) -> list[Message]:
    """Updates and cancellations owed to people sent an earlier version."""
    rows = []
    for (pk, recipient), last in told.items():
        occurrence = changed[pk]
        if last["version"] < occurrence.sequence:
            topic = CANCELLATION if occurrence.cancelled else UPDATE
            rows.append(_message(topic, kind, pk, recipient, occurrence.sequence))
    return rows


@dataclass
class Prepared:
    """What a batch of reminder messages needs, read once for the batch."""

    occurrences: dict[tuple[str, int], Occurrence]
    attending: set[tuple[str, int, str]]
    # Everyone emailed about the same version gets the same words and calendar.
    contents: dict[tuple, outbox.Email]


def _prepare(messages: list[Message]) -> Prepared:
    registry = sources()
    prepared = Prepared(occurrences={}, attending=set(), contents={})
    for kind in {m.about_kind for m in messages}:
        ids = {m.about_id for m in messages if m.about_kind == kind}
        for pk, occurrence in registry[kind].occurrences_by_pk(ids).items():
            prepared.occurrences[(kind, pk)] = occurrence
        emails = {m.recipient for m in messages if m.about_kind == kind}
        for pk, people in registry[kind].recipients(list(ids), emails=emails).items():
            prepared.attending |= {(kind, pk, person.email.lower()) for person in people}
    return prepared


def _build(message: Message, prepared: Prepared):
    """The email for one reminder, update or cancellation, or why it is no longer due."""
    now = timezone.now()
    occurrence = prepared.occurrences.get((message.about_kind, message.about_id))
    if occurrence is None or occurrence.starts_at <= now:
        return outbox.Skip(_("It has started, or no longer exists."))
    if message.topic != CANCELLATION and occurrence.cancelled:
        return outbox.Skip(_("Cancelled before this was sent."))
    if message.sequence != occurrence.sequence:
        return outbox.Skip(_("Changed before this was sent; the new version goes."))
    if message.topic == REMINDER and (
        (message.about_kind, occurrence.pk, message.recipient) not in prepared.attending
    ):
        return outbox.Skip(_("No longer attending."))
    key = (message.about_kind, occurrence.pk, message.topic, occurrence.sequence)
    if key not in prepared.contents:
        prepared.contents[key] = _content(message.topic, occurrence, now)
    return prepared.contents[key]


for _topic, _label in (
    (REMINDER, gettext_lazy("Reminder")),
    (UPDATE, gettext_lazy("Update")),
    (CANCELLATION, gettext_lazy("Cancellation")),
):
    outbox.topic(_topic, label=_label, prepare=_prepare)(_build)


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


def _content(topic: str, occurrence: Occurrence, now) -> outbox.Email:
    """The email about one version of an occurrence, with its calendar. The time left is
    counted from now, not from the offset: a late or moved reminder tells the truth."""
    cancel = topic == CANCELLATION
    hours = max(1, round((occurrence.starts_at - now).total_seconds() / 3600))
    method = "CANCEL" if cancel else "REQUEST"
    context = {
        "purpose": topic.removeprefix("reminders."),
        "occurrence": occurrence,
        "url": absolute_url(occurrence.path),
        "days": (hours + 12) // 24 if hours >= 24 else 0,
        "hours": hours,
    }
    calendar = calendar_for(occurrence, method=method)
    return outbox.render(
        "notifications/email/reminder",
        context,
        attachments=[("invite.ics", calendar, f"text/calendar; method={method}; charset=utf-8")],
    )


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
