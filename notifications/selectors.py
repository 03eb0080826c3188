"""Reads the portal as a whole needs."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, Max, Q, When

from .models import ReminderDelivery
from .reminders import Occurrence, sources

Status = ReminderDelivery.Status


@dataclass
class ReminderRow:
    delivery: ReminderDelivery
    occurrence: Occurrence | None


@dataclass
class ReminderSummary:
    kind: str
    occurrence_id: int
    occurrence: Occurrence | None
    sent: int
    failed: int
    waiting: int


def _occurrences(wanted: dict[str, set[int]]) -> dict[tuple[str, int], Occurrence]:
    """What each (kind, id) is about: one query per kind."""
    found, registry = {}, sources()
    for kind, pks in wanted.items():
        for pk, occurrence in registry[kind].occurrences_by_pk(pks).items():
            found[(kind, pk)] = occurrence
    return found


def reminder_occurrence(*, kind: str, pk: int) -> Occurrence | None:
    """One occurrence of ``kind`` as reminders describe it, or None."""
    return sources()[kind].get(pk)


def reminder_log(
    *, kinds: set[str], occurrence: Occurrence | None = None, limit: int = 300
) -> list[ReminderRow]:
    """Failed deliveries first, then the most recent, each with what it was about; only
    ``kinds`` of occurrence, or only ``occurrence`` (one query for the rows, one per
    kind)."""
    failed_first = Case(When(status=Status.FAILED, then=0), default=1)
    deliveries = ReminderDelivery.objects.filter(kind__in=kinds)
    if occurrence is not None:
        deliveries = deliveries.filter(kind=occurrence.kind, occurrence_id=occurrence.pk)
    rows = list(
        deliveries.exclude(status=Status.SKIPPED).order_by(failed_first, "-created_at", "-pk")[
            :limit
        ]
    )
    wanted = defaultdict(set)
    for delivery in rows:
        wanted[delivery.kind].add(delivery.occurrence_id)
    found = _occurrences(wanted)
    return [ReminderRow(d, found.get((d.kind, d.occurrence_id))) for d in rows]


def reminder_summaries(*, kinds: set[str], limit: int = 50) -> list[ReminderSummary]:
    """The occurrences with reminder emails, most recently active first, each with how
    many were sent, failed and are waiting (counted in SQL; one query, one per kind)."""
    counts = list(
        ReminderDelivery.objects.filter(kind__in=kinds)
        .values("kind", "occurrence_id")
        .annotate(
            sent=Count("pk", filter=Q(status=Status.SENT)),
            failed=Count("pk", filter=Q(status=Status.FAILED)),
            waiting=Count("pk", filter=Q(status__in=[Status.PENDING, Status.SENDING])),
            latest=Max("created_at"),
        )
        .order_by("-latest", "kind", "-occurrence_id")[:limit]
    )
    wanted = defaultdict(set)
    for row in counts:
        wanted[row["kind"]].add(row["occurrence_id"])
    found = _occurrences(wanted)
    return [
        ReminderSummary(
            kind=row["kind"],
            occurrence_id=row["occurrence_id"],
            occurrence=found.get((row["kind"], row["occurrence_id"])),
            sent=row["sent"],
            failed=row["failed"],
            waiting=row["waiting"],
        )
        for row in counts
    ]
