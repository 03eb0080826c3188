"""Everything the portal tells people about the things they are asked to attend (advisory
meetings, reflection sessions, network events): the invitation, every change and
cancellation, a CANCEL to someone no longer expected, and reminders before the start. Each
is an outbox message (``notifications.outbox``): sent at most once, none lost.

- **Invitations** go as soon as someone is invited or given a place (``invite``), with an
  iCalendar REQUEST carrying the occurrence's stable UID and its current SEQUENCE.
- **Changes** of time or place move the SEQUENCE on and post an update to everyone invited
  at that moment, however far ahead (``announce``); a cancellation posts a CANCEL. Updates
  wait ``EMAIL_CHANGE_DELAY_SECONDS`` (5 minutes with a broker), so a burst of edits sends
  one update with the final details: each older version's update is skipped at send time.
- **Someone removed** (a place withdrawn or given up, an invitee taken off) gets a CANCEL
  of their own (``uninvite``).
- **Reminders** go at ``REMINDER_OFFSETS`` before the start (7 days and 1 day by default).
  The database is the schedule: the outbox's dispatch (Celery beat every few minutes, or
  ``manage.py send_due_email`` from cron) first runs ``scan``, which posts one message per
  (recipient, occurrence, offset, version); the unique key makes a second scan, beat or
  worker harmless. Only the latest offset already due is sent (after an outage nobody gets
  a week-before reminder the day before); people who joined after an offset's moment get
  the next one only; someone sent a change after an offset's moment is not reminded at it.

Every message is written at send time from the occurrence as it is then: one about a
version since replaced, someone no longer invited, or a start already passed is skipped,
with the reason shown to staff.
"""

import datetime
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common.links import absolute_url

from . import outbox, replies
from .ical import ANYONE, addressed_to, new_calendar, timed_event
from .models import Message

Status = Message.Status

REMINDER, UPDATE, CANCELLATION = "reminders.reminder", "reminders.update", "reminders.cancel"
INVITATION, REMOVAL = "reminders.invitation", "reminders.removal"
TOPICS = (INVITATION, REMINDER, UPDATE, CANCELLATION, REMOVAL)
# What tells someone of a version of an occurrence (a cancellation or removal takes it away).
TELLING = (INVITATION, REMINDER, UPDATE)


@dataclass
class Occurrence:
    """What an email says about the thing it is about, read fresh at send time."""

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
    # The model whose rows are the occurrences (``occurrence_change`` finds the source by it).
    model: type
    # Which staff see its emails in the log: "commission" (commission staff) or "network"
    # (network coordinators); admins see all.
    audience: str

    def upcoming(self, *, now, horizon) -> list[Occurrence]:
        """Occurrences starting after ``now`` and by ``horizon``."""
        raise NotImplementedError

    def recipients(self, occurrence_ids, emails=None) -> dict[int, list[Recipient]]:
        """Who is due reminders at each occurrence; only those with one of ``emails``, if
        given."""
        raise NotImplementedError

    def invitees(self, occurrence_ids, emails=None) -> dict[int, list[Recipient]]:
        """Who is told of changes to each occurrence: everyone invited or holding a place.
        The same as ``recipients`` unless a kind says otherwise."""
        return self.recipients(occurrence_ids, emails)

    def reply(self, pk: int, email: str, answer: str) -> None:
        """Record ``email``'s answer (``replies.Answer``) to occurrence ``pk``; raises
        ``ReplyRefused`` with the reason when it cannot be taken."""
        raise NotImplementedError

    def reply_of(self, pk: int, email: str) -> str:
        """``email``'s answer to occurrence ``pk`` so far, or "" if none."""
        raise NotImplementedError

    def occurrences_for(self, email: str, *, since) -> list[Occurrence]:
        """Occurrences ending after ``since`` that ``email`` is invited to or holds a place
        at (for their calendar feed)."""
        raise NotImplementedError

    def get(self, pk: int) -> Occurrence | None:
        found = self.occurrences_by_pk([pk])
        return found.get(pk)

    def occurrences_by_pk(self, pks) -> dict[int, Occurrence]:
        raise NotImplementedError


class ReplyRefused(Exception):
    """A reply that cannot be taken, and why, in words for the person replying."""


def sources() -> dict[str, Source]:
    return {s.kind: s for s in (import_string(path)() for path in settings.REMINDER_SOURCES)}


def _source_of(model) -> Source:
    return next(s for s in sources().values() if s.model is model)


def offsets() -> list[datetime.timedelta]:
    return sorted(settings.REMINDER_OFFSETS, reverse=True)


def offset_label(minutes: int) -> str:
    hours = minutes // 60
    if hours and hours % 24 == 0:
        days = hours // 24
        return ngettext("%(n)s day before", "%(n)s days before", days) % {"n": days}
    return ngettext("%(n)s hour before", "%(n)s hours before", hours) % {"n": hours}


def person_key(email: str) -> str:
    """Who a message is for, in its key: a keyed hash of the address, so that the key (kept
    for ever, and searchable in the admin) never holds the address itself, which is erased
    from the message when its owner goes."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"person:{email.lower()}".encode(), hashlib.sha256
    ).hexdigest()[:32]


def _message(topic, kind, pk, recipient, sequence, offset=0, *, params=None, at=None):
    return Message(
        key=f"{topic}:{kind}:{pk}:{sequence}:{offset}:{person_key(recipient)}",
        topic=topic,
        recipient=recipient,
        params=params if params is not None else {},
        about_kind=kind,
        about_id=pk,
        sequence=sequence,
        next_attempt_at=at or timezone.now(),
    )


def invite(model, pk: int, people: Iterable[tuple[str, str]], *, reason: str = "") -> None:
    """Send an invitation to each of ``people``, (email, stamp) pairs, to occurrence ``pk``
    (a row of ``model``): at once, once the caller's transaction commits. ``stamp`` tells
    this invitation apart from an earlier one of the same person (invited, removed, invited
    again); ``reason`` says why, for the words ("waiting_list": a place came free)."""
    kind = _source_of(model).kind
    rows = [
        _message(INVITATION, kind, pk, email.lower(), 0, stamp, params={"reason": reason})
        for email, stamp in people
    ]
    outbox.post_all(rows)


def uninvite(model, pk: int, emails: Iterable[str]) -> None:
    """Send a calendar CANCEL to each of ``emails``, no longer expected at occurrence
    ``pk`` (a row of ``model``: removed, or a place given up), once the caller's
    transaction commits."""
    kind = _source_of(model).kind
    stamp = f"{timezone.now():%Y%m%dT%H%M%S.%f}"
    outbox.post_all([_message(REMOVAL, kind, pk, email.lower(), 0, stamp) for email in emails])


def announce(model, pk: int) -> None:
    """Tell everyone invited to occurrence ``pk`` (a row of ``model``) now of its latest
    version: a cancellation at once, an update after ``EMAIL_CHANGE_DELAY_SECONDS`` (a
    later change in the meantime replaces it). Call it in the transaction that changed the
    occurrence."""
    source = _source_of(model)
    kind = source.kind
    occurrence = source.get(pk)
    if occurrence is None or occurrence.starts_at <= timezone.now():
        return
    if occurrence.cancelled:
        topic, at = CANCELLATION, timezone.now()
    else:
        delay = datetime.timedelta(seconds=settings.EMAIL_CHANGE_DELAY_SECONDS)
        topic, at = UPDATE, timezone.now() + delay
    people = source.invitees([pk]).get(pk, [])
    outbox.post_all(
        [_message(topic, kind, pk, p.email.lower(), occurrence.sequence, at=at) for p in people]
    )


def scan(*, now: datetime.datetime | None = None) -> None:
    """Post every reminder now due that is not posted yet (messages already there are left
    alone). A fixed number of queries per source, however many occurrences and recipients.

    A reminder belongs to one version (SEQUENCE) of its occurrence: a moved occurrence
    gets fresh reminders for the offsets still ahead of it. Someone not yet sent the latest
    version (its update is on its way) gets no reminder now, nor does someone sent it after
    a reminder's moment, so a change never brings back a week-before reminder a few days
    before.
    """
    now = now or timezone.now()
    all_offsets = offsets()
    horizon = now + all_offsets[0]
    rows = []
    for source in sources().values():
        found = [o for o in source.upcoming(now=now, horizon=horizon) if not o.cancelled]
        if not found:
            continue
        told = _told(source.kind, {o.pk: o for o in found if o.sequence > 0})
        recipients = source.recipients([o.pk for o in found])
        for occurrence in found:
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
                        params={"offset_minutes": int(latest.total_seconds() // 60)},
                    )
                )
    outbox.post_many(rows)


def _told(kind: str, changed: dict[int, Occurrence]) -> dict[tuple[int, str], dict]:
    """For each (occurrence, recipient) sent anything about a changed occurrence: the
    newest version they were sent and when they were last sent it."""
    if not changed:
        return {}
    rows = (
        Message.objects.filter(
            topic__in=TELLING, about_kind=kind, about_id__in=changed, status=Status.SENT
        )
        .values("about_id", "recipient")
        .annotate(version=Max("sequence"), at=Max("sent_at"))
    )
    return {(row["about_id"], row["recipient"]): row for row in rows}


@dataclass
class Prepared:
    """What a batch of these messages needs, read once for the batch."""

    occurrences: dict[tuple[str, int], Occurrence] = field(default_factory=dict)
    # (kind, occurrence, email) of those due reminders, and of those invited.
    attending: set[tuple[str, int, str]] = field(default_factory=set)
    invited: set[tuple[str, int, str]] = field(default_factory=set)
    # The newest version each (kind, occurrence, email) has been sent.
    told: dict[tuple[str, int, str], int] = field(default_factory=dict)
    # Everyone reminded of the same version gets the same words and the same calendar
    # (but for its ATTENDEE).
    contents: dict[tuple, tuple[str, str, str]] = field(default_factory=dict)
    calendars: dict[tuple, bytes] = field(default_factory=dict)


def _prepare(messages: list[Message]) -> Prepared:
    registry = sources()
    prepared = Prepared()
    for kind in {m.about_kind for m in messages}:
        mine = [m for m in messages if m.about_kind == kind]
        ids = {m.about_id for m in mine}
        emails = {m.recipient for m in mine}
        source = registry[kind]
        for pk, occurrence in source.occurrences_by_pk(ids).items():
            prepared.occurrences[(kind, pk)] = occurrence
        if any(m.topic == REMINDER for m in mine):
            for pk, people in source.recipients(list(ids), emails=emails).items():
                prepared.attending |= {(kind, pk, p.email.lower()) for p in people}
        for pk, people in source.invitees(list(ids), emails=emails).items():
            prepared.invited |= {(kind, pk, p.email.lower()) for p in people}
        sent = (
            Message.objects.filter(
                topic__in=TELLING,
                about_kind=kind,
                about_id__in=ids,
                recipient__in=emails,
                status=Status.SENT,
            )
            .values_list("about_id", "recipient")
            .annotate(version=Max("sequence"))
        )
        for pk, email, version in sent:
            prepared.told[(kind, pk, email)] = version
    return prepared


def _build(message: Message, prepared: Prepared):
    """The email for one invitation, reminder, update, cancellation or removal, or why it
    is no longer due."""
    now = timezone.now()
    kind, pk, email = message.about_kind, message.about_id, message.recipient
    occurrence = prepared.occurrences.get((kind, pk))
    if occurrence is None or occurrence.starts_at <= now:
        return outbox.Skip(_("It has started, or no longer exists."))
    person = (kind, pk, email)
    told = prepared.told.get(person)
    if message.topic in (CANCELLATION, REMOVAL):
        if told is None:
            return outbox.Skip(_("Never sent it: there is nothing to take off a calendar."))
        if message.topic == REMOVAL and person in prepared.invited:
            return outbox.Skip(_("Invited again before this was sent."))
        return _written(message, occurrence, prepared, now)
    if occurrence.cancelled:
        return outbox.Skip(_("Cancelled before this was sent."))
    if message.topic == INVITATION:
        if person not in prepared.invited:
            return outbox.Skip(_("No longer invited."))
        return _written(message, occurrence, prepared, now)
    if message.sequence != occurrence.sequence:
        return outbox.Skip(_("Changed before this was sent; the new version goes."))
    if message.topic == UPDATE:
        if person not in prepared.invited:
            return outbox.Skip(_("No longer invited."))
        if told is not None and told >= occurrence.sequence:
            return outbox.Skip(_("Already sent this version."))
    elif person not in prepared.attending:
        return outbox.Skip(_("No longer attending."))
    return _written(message, occurrence, prepared, now)


for _topic, _label in (
    (INVITATION, gettext_lazy("Invitation")),
    (REMINDER, gettext_lazy("Reminder")),
    (UPDATE, gettext_lazy("Update")),
    (CANCELLATION, gettext_lazy("Cancellation")),
    (REMOVAL, gettext_lazy("No longer attending")),
):
    outbox.topic(_topic, label=_label, prepare=_prepare)(_build)


def calendar_event(occurrence: Occurrence, *, cancel: bool = False, attendee: str = ""):
    """The occurrence as a VEVENT, with its stable UID and current SEQUENCE."""
    return timed_event(
        uid=occurrence.uid,
        sequence=occurrence.sequence,
        summary=occurrence.title,
        starts_at=occurrence.starts_at,
        ends_at=occurrence.ends_at,
        location=occurrence.location,
        description=occurrence.description,
        cancelled=cancel or occurrence.cancelled,
        url=absolute_url(occurrence.path),
        attendee=attendee,
    )


def calendar_for(occurrence: Occurrence, *, method: str = "REQUEST", attendee: str = "") -> bytes:
    """The occurrence as iCalendar: REQUEST or CANCEL in email (to ``attendee``), PUBLISH
    for a file to download. The same UID and SEQUENCE either way, so calendars keep one
    entry."""
    calendar = new_calendar(name=occurrence.title, method=method)
    calendar.add_component(calendar_event(occurrence, cancel=method == "CANCEL", attendee=attendee))
    return calendar.to_ical()


PURPOSES = {
    INVITATION: "invitation",
    REMINDER: "reminder",
    UPDATE: "update",
    CANCELLATION: "cancel",
    REMOVAL: "removal",
}


def _written(message: Message, occurrence: Occurrence, prepared: Prepared, now) -> outbox.Email:
    """The email about the occurrence as it is now, with its calendar for this recipient.
    The time left is counted from now, not from the offset: a late or moved reminder tells
    the truth. Everyone sent the same kind of message about the same version gets the same
    words, written once."""
    purpose = PURPOSES[message.topic]
    reason = message.params.get("reason", "")
    # An invitation, and each change, carries the recipient's own reply links: written
    # for each. Everything else is the same for everyone.
    reply_links = replies.links(message) if message.topic in (INVITATION, UPDATE) else []
    key = (message.about_kind, occurrence.pk, purpose, reason, occurrence.sequence)
    if reply_links:
        key = (*key, message.recipient)
    if key not in prepared.contents:
        hours = max(1, round((occurrence.starts_at - now).total_seconds() / 3600))
        context = {
            "purpose": purpose,
            "reason": reason,
            "occurrence": occurrence,
            "url": absolute_url(occurrence.path),
            "days": (hours + 12) // 24 if hours >= 24 else 0,
            "hours": hours,
            "replies": reply_links,
        }
        email = outbox.render("notifications/email/reminder", context)
        prepared.contents[key] = (email.subject, email.body, email.html)
    subject, body, html = prepared.contents[key]
    if message.topic in TELLING:
        # Later messages of the batch count it as sent: an update behind an invitation that
        # already carries its version is not needed. Should the send fail, the invitation
        # goes again later, written as the occurrence is then, so nothing is missed.
        person = (message.about_kind, occurrence.pk, message.recipient)
        prepared.told[person] = max(prepared.told.get(person, -1), occurrence.sequence)
    method = "CANCEL" if purpose in ("cancel", "removal") else "REQUEST"
    written = (message.about_kind, occurrence.pk, method, occurrence.sequence)
    if written not in prepared.calendars:
        prepared.calendars[written] = calendar_for(occurrence, method=method, attendee=ANYONE)
    calendar = addressed_to(prepared.calendars[written], message.recipient)
    return outbox.Email(
        subject=subject,
        body=body,
        html=html,
        attachments=[("invite.ics", calendar, f"text/calendar; method={method}; charset=utf-8")],
        sequence=occurrence.sequence,
    )


# What makes an occurrence a different calendar entry: a change to any of these moves its
# SEQUENCE on, and sends everyone invited an update.
SCHEDULE_FIELDS = ("starts_at", "ends_at", "location", "online_url")


def occurrence_change(model, pk: int, fields: dict):
    """Change an occurrence (an advisory meeting, a reflection session, an event) on its
    stored row, locked. A new time or place moves its SEQUENCE on, counted from the locked
    row, so two changes at once give two numbers, and posts the update to everyone invited;
    the changes are written onto that row, so a copy read before another change (a
    cancellation) cannot undo it. Call it inside a transaction; returns the row as saved."""
    stored = model.objects.select_for_update().get(pk=pk)
    moved = any(getattr(stored, k) != v for k, v in fields.items() if k in SCHEDULE_FIELDS)
    if moved:
        stored.sequence += 1
    for name, value in fields.items():
        setattr(stored, name, value)
    stored.full_clean()
    stored.save()
    if moved:
        announce(model, stored.pk)
    return stored


def occurrence_cancel(model, pk: int):
    """Cancel an occurrence, once however often asked: it stays on record, marked
    cancelled, with its SEQUENCE moved on, and everyone invited is sent a calendar
    cancellation. Returns the row as saved."""
    with transaction.atomic():
        stored = model.objects.select_for_update().get(pk=pk)
        if not stored.is_cancelled:
            stored.is_cancelled = True
            stored.sequence += 1
            stored.save(update_fields=["is_cancelled", "sequence"])
            announce(model, stored.pk)
    return stored
