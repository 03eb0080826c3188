"""The one outbox: every email the portal sends is a ``Message`` row, and goes out by one
path (claim, send, mark; retry with back-off; take over a dead worker's claims).

A feature app says what to send and to whom, and nothing else:

- it registers a **topic**, a builder that writes the email at send time from what the
  database says then (``@outbox.topic("network.decision", label=...)``), so a message
  about something changed or withdrawn since is written as it is now, or not sent;
- inside the transaction that made the email necessary it **posts** the message
  (``outbox.post("network.decision", key=..., to=..., params=...)``). The row commits
  with the change or not at all, and is handed to a worker once it has.

Nothing is lost when the broker or the mail server is down: the row is the record, and
Celery beat's dispatch (``dispatch``, every few minutes) hands over again whatever is due
and has not gone, including what a worker was sending when it died. A message with a key
already posted is not posted again, so each one goes to each person once (the one exception:
the database server itself crashing within a fraction of a second of marking messages sent,
see ``_marks_not_waiting_for_the_disk``).
"""

import contextlib
import datetime
import functools
import logging
import re
import smtplib
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, IntegrityError, InterfaceError, connection, transaction
from django.db.models import Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape, format_html, format_html_join
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe

from .models import Message

logger = logging.getLogger(__name__)

Status = Message.Status


@dataclass
class Email:
    """What a builder writes: the subject, the plain-text body, its HTML alternative (made
    from the text when not given), any attachments, each (filename, content, MIME type),
    and any extra headers. ``sequence``: the version of the occurrence the email is about,
    as it is when written (recorded on the message once sent)."""

    subject: str
    body: str
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)
    html: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    sequence: int | None = None


@dataclass
class Skip:
    """What a builder returns for a message no longer needed, and why (shown to staff)."""

    reason: str


@dataclass
class Topic:
    name: str
    label: str
    build: Callable  # build(message, prepared) -> Email | Skip
    # Which staff see its messages in the log: "commission", "network" or "admin" (admins
    # see all); None for messages about an occurrence, seen by whoever sees its kind.
    audience: str | None = None
    # prepare(messages) -> anything build needs for the whole batch (one read for many).
    prepare: Callable | None = None
    # sent(message): what the app records once its email has gone.
    sent: Callable | None = None


_topics: dict[str, Topic] = {}


def topic(name: str, *, label: str, audience=None, prepare=None, sent=None):
    """Register the builder of one kind of message (a decorator). Each app registers its
    topics when it is ready (its ``AppConfig.ready`` imports the module)."""

    def register(build):
        _topics[name] = Topic(name, label, build, audience, prepare, sent)
        return build

    return register


def topics() -> dict[str, Topic]:
    return _topics


def label(name: str) -> str:
    found = _topics.get(name)
    return str(found.label) if found else name


def render(template: str, context: dict, attachments=(), headers=None) -> Email:
    """An email from ``<template>_subject.txt`` and ``<template>.txt``; its HTML part is
    ``<template>.html`` if there is one, else the text laid out as HTML (``as_html``)."""
    # One line, whatever the title it names: a line break in a header is refused at send.
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    try:
        html = render_to_string(f"{template}.html", {**context, "subject": subject})
    except TemplateDoesNotExist:
        html = as_html(subject, body)
    return Email(
        subject=subject,
        body=body,
        attachments=list(attachments),
        html=html,
        headers=dict(headers or {}),
    )


def list_unsubscribe(url: str) -> dict[str, str]:
    """The headers with which mail programs offer their own "Unsubscribe" (RFC 2369), in
    one click: a POST of ``List-Unsubscribe=One-Click`` to ``url`` (RFC 8058)."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


_LINK = re.compile(r"(https?://[^\s<>\"]+[^\s<>\".,;:!?)\]])")
# "Words: https://…" on a line of its own: a link whose text is the words.
_LABELLED_LINK = re.compile(r"^(?P<label>[^:]{1,80}): (?P<url>https?://\S+)$")


def _html_line(line: str):
    labelled = _LABELLED_LINK.match(line.strip())
    if labelled:
        return format_html('<a href="{}">{}</a>', labelled["url"], labelled["label"])
    return mark_safe(_LINK.sub(r'<a href="\1">\1</a>', escape(line)))  # noqa: S308 - escaped


def as_html(subject: str, body: str) -> str:
    """The plain text of an email as HTML that reads well in any mail program, a phone's
    too: a paragraph for each block of lines, addresses as links (a line "Words: address"
    as a link with those words), in one narrow column (``notifications/email/layout.html``)."""
    paragraphs = [
        format_html_join(
            mark_safe("<br>\n"), "{}", ((_html_line(line),) for line in block.splitlines())
        )
        for block in re.split(r"\n\s*\n", body.strip())
    ]
    return render_to_string(
        "notifications/email/layout.html", {"subject": subject, "paragraphs": paragraphs}
    )


def post(name: str, *, key: str, to: str, params: dict | None = None) -> Message | None:
    """Record a message to send, in the caller's transaction, and hand it to a worker
    once that commits. Returns it, or None if a message with ``key`` was posted before
    (it is not sent twice)."""
    if name not in _topics:
        raise LookupError(f"No outbox topic {name!r} is registered")
    try:
        with transaction.atomic():
            message = Message.objects.create(key=key, topic=name, recipient=to, params=params or {})
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _hand_over_now([message.pk]))
    return message


def post_all(messages: list[Message]) -> None:
    """Record many messages in the caller's transaction (those with a key already posted
    are left as they are) and hand those due now to a worker once it commits, in one task
    per batch; those due later wait for the dispatch."""
    for message in messages:
        if message.topic not in _topics:
            raise LookupError(f"No outbox topic {message.topic!r} is registered")
    Message.objects.bulk_create(messages, ignore_conflicts=True, batch_size=1000)
    now = timezone.now()
    keys = [m.key for m in messages if m.next_attempt_at <= now]
    if keys:
        transaction.on_commit(lambda: _hand_over_keys(keys))


def _hand_over_keys(keys: list[str]) -> None:
    pks = list(
        Message.objects.filter(key__in=keys, status=Status.PENDING).values_list("pk", flat=True)
    )
    for start in range(0, len(pks), BATCH):
        _hand_over_now(pks[start : start + BATCH])


def post_many(messages: Iterable[Message]) -> None:
    """Record many messages at once (a reminder scan); those with a key already posted are
    left as they are. The dispatch that called this hands them over."""
    Message.objects.bulk_create(list(messages), ignore_conflicts=True, batch_size=1000)


def forget(keys: Iterable[str], *, reason: str) -> None:
    """Erase the address from these messages (its owner withdrew, or its time to be kept
    ran out); any still waiting will not go. One being sent at this moment may still go."""
    forget_matching(Q(key__in=list(keys)), reason=reason)


def forget_matching(which: Q, *, reason: str) -> None:
    """``forget`` the messages ``which`` selects (say, every message to one contact,
    whatever its topic: ``Q(params__contact_id__in=...)``)."""
    Message.objects.filter(which, status=Status.PENDING).update(
        status=Status.SKIPPED, note=reason[:300]
    )
    # A mail server's refusal often quotes the address.
    Message.objects.filter(which, status=Status.FAILED).update(note=reason[:300])
    Message.objects.filter(which).update(recipient="")


def forget_to(
    email: str, *, reason: str, topics: Iterable[str] = (), about_kinds: Iterable[str] = ()
) -> None:
    """Erase ``email`` from every message of ``topics``, or about ``about_kinds`` of
    occurrence (someone left, and their address goes with them); any still waiting will
    not go."""
    forget_matching(
        (Q(topic__in=list(topics)) | Q(about_kind__in=list(about_kinds)))
        & Q(recipient__iexact=email),
        reason=reason,
    )


def hand_over(pks: list[int]) -> None:
    """Queue one send task for ``pks``, without hanging on a broker that is down (the
    publish retry is bounded in settings). Run eagerly (no broker), it sends now."""
    from .tasks import send_email  # the tasks module imports this one

    send_email.apply_async(
        (pks,), retry=True, retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY
    )


def _hand_over_now(pks: list[int]) -> None:
    """Straight after a post commits. A broker that is down must not fail the request that
    posted (what the person sent is saved): the messages wait for the next dispatch."""
    try:
        hand_over(pks)
    except Exception:
        logger.exception(
            "Could not queue email %s (the broker is unreachable, or the send failed): it "
            "waits, and the next dispatch queues it again",
            pks,
        )


def take_over_stale_claims(*, now: datetime.datetime | None = None) -> int:
    """Hand back the messages a worker claimed and never marked: it died mid-send. A live
    worker gives its claims up well before (see ``deliver``)."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.EMAIL_CLAIM_TIMEOUT_SECONDS)
    return Message.objects.filter(status=Status.SENDING, claimed_at__lt=stale).update(
        status=Status.PENDING, claim=""
    )


def due_ids(*, now: datetime.datetime | None = None) -> list[int]:
    """Messages waiting to be sent whose time has come, stale claims first handed back."""
    now = now or timezone.now()
    take_over_stale_claims(now=now)
    return list(
        Message.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@dataclass
class DispatchReport:
    queued: int = 0
    sent: int = 0
    failed: int = 0
    queue_errors: int = 0


BATCH = 100


def dispatch(*, enqueue: Callable[[list[int]], object], now=None) -> DispatchReport:
    """Run the ``EMAIL_SCANS`` (which post what has become due, such as reminders), then
    hand every due message to ``enqueue`` in batches of up to 100 (queue a task per batch,
    or ``deliver`` in this process). Each message is still claimed and sent on its own.

    ``enqueue`` failing (the broker is down) loses nothing: the messages stay waiting and
    the next dispatch offers them again.
    """
    # Durable: the scans commit before anything is queued, so a worker never looks for
    # rows that are not there yet. Inside someone else's transaction it refuses to run
    # rather than queue before that commit.
    with transaction.atomic(durable=True):
        for path in settings.EMAIL_SCANS:
            import_string(path)(now=now)
        due = due_ids(now=now)
    report = DispatchReport()
    for start in range(0, len(due), BATCH):
        batch = due[start : start + BATCH]
        try:
            outcome = enqueue(batch)
        except Exception:
            logger.exception("Could not queue %s emails; the next dispatch will", len(batch))
            report.queue_errors += len(batch)
            continue
        report.queued += len(batch)
        if isinstance(outcome, dict):
            report.sent += outcome.get(Status.SENT, 0)
            report.failed += outcome.get(Status.FAILED, 0)
    return report


def deliver(pks: list[int]) -> dict[str, int]:
    """Send the given messages that are still waiting; returns how many ended in each
    status. Messages another worker claimed, or whose retry is not due, are left alone.

    Each is written now by its topic's builder, from the database as it is now: one no
    longer needed is marked so, with the reason. Each is marked sent as soon as the mail
    server accepts it. A fixed number of queries per topic, plus one or two per message,
    and one connection to the mail server.
    """
    claim, now = uuid.uuid4().hex, timezone.now()
    Message.objects.filter(pk__in=pks, status=Status.PENDING, next_attempt_at__lte=now).update(
        status=Status.SENDING, claimed_at=now, claim=claim
    )
    claimed = list(Message.objects.filter(claim=claim, status=Status.SENDING).order_by("pk"))
    prepared = _prepare(claimed)
    outcomes: dict[str, int] = {}
    # Stop starting sends well before the claims could be taken for a dead worker's and
    # handed to another; the mail server timeout bounds each send.
    deadline = time.monotonic() + settings.EMAIL_CLAIM_TIMEOUT_SECONDS / 2
    tried = set()
    # One connection for the batch; EMAIL_TIMEOUT bounds each step, so a mail server that
    # accepts and never answers cannot hold the claims for ever.
    mail_connection = get_connection()
    try:
        with _marks_not_waiting_for_the_disk():
            for message in claimed:
                if time.monotonic() > deadline:
                    break
                tried.add(message.pk)
                status = _deliver_one(message, prepared.get(message.topic), mail_connection, now)
                outcomes[status] = outcomes.get(status, 0) + 1
    finally:
        mail_connection.close()
        # Messages never tried (the deadline, or the task's time limit, stopped the batch)
        # go back now rather than after the claim timeout. The one being sent when the
        # time limit struck stays claimed: it may have gone.
        untried = [m.pk for m in claimed if m.pk not in tried]
        if untried:
            Message.objects.filter(pk__in=untried, claim=claim).update(
                status=Status.PENDING, claim=""
            )
    return outcomes


@contextlib.contextmanager
def _marks_not_waiting_for_the_disk():
    """Each message is marked the moment the mail server has it, in a commit of its own, so
    a worker dying next sends nothing twice. On PostgreSQL those commits do not wait for the
    disk (``synchronous_commit`` off for the batch, then back as it was): waiting was most
    of the cost of a send. Only the database server itself crashing could lose the last
    fraction of a second of marks (three times its ``wal_writer_delay``); those messages go
    again once their claims are taken over. A worker dying still loses none."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except (DatabaseError, InterfaceError):
            # The setting must not outlive the batch: a connection that cannot be reset is
            # closed (the next query opens a fresh one).
            logger.warning("Could not reset synchronous_commit after a batch", exc_info=True)
            connection.close()


def _prepare(claimed: list[Message]) -> dict[str, object]:
    """What each topic's builder needs for the batch, read once. Topics registered with the
    same ``prepare`` share one reading of all their messages (an invitation and an update
    of the same meeting in one batch see each other). A reading that fails leaves its
    topics nothing: their builders fail too, and their messages are tried again later."""
    by_reader: dict[Callable, list[str]] = {}
    for name in {m.topic for m in claimed}:
        found = _topics.get(name)
        if found is not None and found.prepare is not None:
            by_reader.setdefault(found.prepare, []).append(name)
    prepared = {}
    for reader, names in by_reader.items():
        try:
            reading = reader([m for m in claimed if m.topic in names])
        except Exception:
            logger.exception("Could not prepare the %s emails of a batch", ", ".join(names))
            continue
        prepared.update(dict.fromkeys(names, reading))
    return prepared


def _deliver_one(message: Message, prepared, mail_connection, now) -> str:
    """Write, send and mark one claimed message, or settle why not. Returns its status."""
    found = _topics.get(message.topic)
    if found is None:
        logger.error("Email %s names no registered topic %r", message.pk, message.topic)
        return _retry(message, now, f"No topic {message.topic!r} is registered.")
    try:
        # In English, whoever sends it: a worker, or (Celery eager) the request of a
        # resident answering in another language, whose language is still active.
        with translation.override(settings.LANGUAGE_CODE):
            email = found.build(message, prepared)
    except Exception as error:
        # A fault in a builder must not stop the batch; the message is tried again later
        # and the fault is in the log for whoever looks.
        logger.exception("Could not write email %s (%s)", message.pk, message.topic)
        return _retry(message, now, f"Could not be written: {error}")
    if isinstance(email, Skip):
        return _finish(message.pk, Status.SKIPPED, note=email.reason[:300])
    outgoing = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        to=[message.recipient],
        reply_to=[settings.CONTACT_EMAIL],
        connection=mail_connection,
        headers={**email.headers, "Message-ID": message.message_id},
    )
    if email.html:
        outgoing.attach_alternative(email.html, "text/html")
    for filename, content, mimetype in email.attachments:
        outgoing.attach(filename, content, mimetype)
    try:
        outgoing.send()
    except (smtplib.SMTPException, OSError) as error:
        return _retry(message, now, str(error))
    except ValueError as error:
        # Django refuses a header it cannot send (BadHeaderError): no retry will help.
        logger.exception("Email %s cannot be sent as written", message.pk)
        return _finish(
            message.pk, Status.FAILED, attempts=message.attempts + 1, note=str(error)[:300]
        )
    sent = {"sent_at": timezone.now(), "subject": email.subject[:300], "note": ""}
    if email.sequence is not None:
        sent["sequence"] = email.sequence
    _finish(message.pk, Status.SENT, **sent)
    if found.sent is not None:
        found.sent(message)
    return Status.SENT


def _retry(message: Message, now, note: str) -> str:
    """Try again later, each time twice as long after, up to ``EMAIL_MAX_ATTEMPTS``."""
    attempts = message.attempts + 1
    if attempts >= settings.EMAIL_MAX_ATTEMPTS:
        return _finish(message.pk, Status.FAILED, attempts=attempts, note=note[:300])
    return _finish(
        message.pk,
        Status.PENDING,
        attempts=attempts,
        next_attempt_at=now + datetime.timedelta(minutes=2**attempts),
        note=note[:300],
    )


def _finish(pk: int, status: str, **fields) -> str:
    """Mark one message. This runs for every message sent, so its statement is written
    once for each set of fields (``_marking``) and sent as it is: building it through the
    ORM each time cost more than the statement itself."""
    values = {"status": status, "claim": "", **fields}
    params = [
        Message._meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in values.items()
    ]
    with connection.cursor() as cursor:
        cursor.execute(_marking(tuple(values)), [*params, pk])
    return status


@functools.cache
def _marking(names: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(Message._meta.get_field(name).column)} = %s" for name in names)
    table, key = quote(Message._meta.db_table), quote(Message._meta.pk.column)
    return f"UPDATE {table} SET {columns} WHERE {key} = %s"  # noqa: S608 - names only
