"""Reads of the outbox for the staff email log."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, Max, Q, When

from . import outbox, reminders
from .models import Message
from .reminders import Occurrence, sources

Status = Message.Status
WAITING = [Status.PENDING, Status.SENDING]


@dataclass
class LogRow:
    message: Message
    label: str
    occurrence: Occurrence | None

    @property
    def offset_label(self) -> str:
        minutes = self.message.params.get("offset_minutes")
        return reminders.offset_label(minutes) if minutes is not None else ""


@dataclass
class OccurrenceSummary:
    kind: str
    occurrence_id: int
    occurrence: Occurrence | None
    sent: int
    failed: int
    waiting: int


def audiences(user) -> set[str]:
    """Whose emails ``user`` may see in the log: commission staff the commission's,
    network coordinators the network's, admins all, and only admins those to residents
    (whose addresses only admins see anywhere)."""
    found = {"admin"} if user.is_superuser else set()
    if user.is_commission_staff:
        found.add("commission")
    if user.is_network_coordinator:
        found.add("network")
    return found


def occurrence_kinds(audiences: set[str]) -> set[str]:
    return {kind for kind, source in sources().items() if source.audience in audiences}


def visible(audiences: set[str]) -> Q:
    """The messages those audiences may see: their one-off topics, and reminders about
    their kinds of occurrence."""
    one_off = [name for name, t in outbox.topics().items() if t.audience in audiences]
    return Q(topic__in=one_off) | Q(
        topic__in=reminders.TOPICS, about_kind__in=occurrence_kinds(audiences)
    )


def log_occurrence(*, kind: str, pk: int) -> Occurrence | None:
    """One occurrence of ``kind`` as reminders describe it, or None."""
    return sources()[kind].get(pk)


def _occurrences(wanted: dict[str, set[int]]) -> dict[tuple[str, int], Occurrence]:
    """What each (kind, id) is about: one query per kind."""
    found, registry = {}, sources()
    for kind, pks in wanted.items():
        for pk, occurrence in registry[kind].occurrences_by_pk(pks).items():
            found[(kind, pk)] = occurrence
    return found


def status_counts(*, audiences: set[str]) -> dict[str, int]:
    """How many messages are sent, failed and waiting (one query)."""
    return Message.objects.filter(visible(audiences)).aggregate(
        sent=Count("pk", filter=Q(status=Status.SENT)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        waiting=Count("pk", filter=Q(status__in=WAITING)),
    )


# Failed messages before the rest when the log is newest first (sorted descending).
FAILED_LAST = Case(When(status=Status.FAILED, then=1), default=0)


def log_messages(
    *, audiences: set[str], occurrence: Occurrence | None = None, status: str | None = None
):
    """The messages of the log, unordered: all the audiences may see, or only
    ``occurrence``'s, or only those in ``status`` ("waiting" for both waiting states)."""
    messages = Message.objects.filter(visible(audiences)).exclude(status=Status.SKIPPED)
    if occurrence is not None:
        messages = messages.filter(about_kind=occurrence.kind, about_id=occurrence.pk)
    if status == "waiting":
        messages = messages.filter(status__in=WAITING)
    elif status is not None:
        messages = messages.filter(status=status)
    return messages


def log_rows(messages) -> list[LogRow]:
    """Each of ``messages`` with what it was about (one query per kind of occurrence)."""
    messages = list(messages)
    wanted = defaultdict(set)
    for message in messages:
        if message.about_kind:
            wanted[message.about_kind].add(message.about_id)
    found = _occurrences(wanted)
    return [
        LogRow(m, outbox.label(m.topic), found.get((m.about_kind, m.about_id))) for m in messages
    ]


def occurrence_summaries(*, audiences: set[str], limit: int = 50) -> list[OccurrenceSummary]:
    """The occurrences with reminder emails, most recently active first, each with how
    many were sent, failed and are waiting (counted in SQL; one query, one per kind)."""
    counts = list(
        Message.objects.filter(
            topic__in=reminders.TOPICS, about_kind__in=occurrence_kinds(audiences)
        )
        .values("about_kind", "about_id")
        .annotate(
            sent=Count("pk", filter=Q(status=Status.SENT)),
            failed=Count("pk", filter=Q(status=Status.FAILED)),
            waiting=Count("pk", filter=Q(status__in=WAITING)),
            latest=Max("created_at"),
        )
        .order_by("-latest", "about_kind", "-about_id")[:limit]
    )
    wanted = defaultdict(set)
    for row in counts:
        wanted[row["about_kind"]].add(row["about_id"])
    found = _occurrences(wanted)
    return [
        OccurrenceSummary(
            kind=row["about_kind"],
            occurrence_id=row["about_id"],
            occurrence=found.get((row["about_kind"], row["about_id"])),
            sent=row["sent"],
            failed=row["failed"],
            waiting=row["waiting"],
        )
        for row in counts
    ]
