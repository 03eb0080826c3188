"""Reads the portal as a whole needs."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, When

from .models import ReminderDelivery
from .reminders import Occurrence, sources


@dataclass
class ReminderRow:
    delivery: ReminderDelivery
    occurrence: Occurrence | None


def reminder_log(*, kinds: set[str], limit: int = 300) -> list[ReminderRow]:
    """Failed deliveries first, then the most recent, each with what it was about; only
    ``kinds`` of occurrence (one query for the rows, one per kind)."""
    failed_first = Case(When(status=ReminderDelivery.Status.FAILED, then=0), default=1)
    rows = list(
        ReminderDelivery.objects.filter(kind__in=kinds)
        .exclude(status=ReminderDelivery.Status.SKIPPED)
        .order_by(failed_first, "-created_at", "-pk")[:limit]
    )
    wanted = defaultdict(set)
    for delivery in rows:
        wanted[delivery.kind].add(delivery.occurrence_id)
    found = {}
    registry = sources()
    for kind, pks in wanted.items():
        for pk, occurrence in registry[kind].occurrences_by_pk(pks).items():
            found[(kind, pk)] = occurrence
    return [ReminderRow(d, found.get((d.kind, d.occurrence_id))) for d in rows]
