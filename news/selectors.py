"""Reads of opportunities: who each would reach, how its sending is going, the archive."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from consultation import selectors as consultation_selectors
from network import selectors as network_selectors
from notifications.models import Message

from .emails import MEMBER, RESIDENT
from .models import Opportunity


@dataclass
class Reach:
    residents: list[tuple[int, str]]  # (contact, address)
    members: list[tuple[int, str]]  # (membership, address)

    @property
    def total(self) -> int:
        return len(self.residents) + len(self.members)


def reach(opportunity: Opportunity) -> Reach:
    """Whom the opportunity would be sent to now: residents who asked for news on any of
    its topics (or on everything), and network members who asked for the network's news,
    each address once (2 queries)."""
    residents, members, known = [], [], set()
    if opportunity.to_residents:
        topic_ids = [t.pk for t in opportunity.topics.all()]
        # A resident who answered two consultations signed up twice: told once.
        for pk, email in consultation_selectors.news_contacts(topic_ids).values_list("pk", "email"):
            if email.lower() not in known:
                known.add(email.lower())
                residents.append((pk, email))
    if opportunity.to_members:
        members = [
            (pk, email)
            for pk, email in network_selectors.news_readers().values_list("pk", "user__email")
            if email.lower() not in known
        ]
    return Reach(residents, members)


def sending(opportunity: Opportunity) -> dict[str, int]:
    """How many of a sent opportunity's emails are sent, waiting and failed (1 query)."""
    return Message.objects.filter(
        topic__in=[RESIDENT, MEMBER], params__opportunity_id=opportunity.pk
    ).aggregate(
        sent=Count("pk", filter=Q(status=Message.Status.SENT)),
        waiting=Count("pk", filter=Q(status__in=[Message.Status.PENDING, Message.Status.SENDING])),
        failed=Count("pk", filter=Q(status=Message.Status.FAILED)),
        not_needed=Count("pk", filter=Q(status=Message.Status.SKIPPED)),
    )


def archive() -> QuerySet[Opportunity]:
    """Sent opportunities, newest first, with their topics (2 queries)."""
    return (
        Opportunity.objects.filter(sent_at__isnull=False)
        .order_by("-sent_at", "-pk")
        .prefetch_related("topics")
    )
