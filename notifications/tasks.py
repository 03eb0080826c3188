from celery import shared_task
from django.conf import settings

from . import outbox


# The time limit is a backstop below the claim timeout: a send still running when its
# claims could be handed to another worker would mean the same email twice. ``deliver``
# itself stops starting sends at half the claim timeout.
@shared_task(acks_late=True, soft_time_limit=settings.EMAIL_CLAIM_TIMEOUT_SECONDS * 3 // 4)
def send_email(message_ids: list[int]) -> dict[str, int]:
    """Send a batch of outbox messages; safe to run twice (each is claimed first)."""
    return outbox.deliver(message_ids)


@shared_task(acks_late=True)
def dispatch_email() -> None:
    """Celery beat's round: post the reminders now due, then queue every message waiting."""
    outbox.dispatch(enqueue=outbox.hand_over)
