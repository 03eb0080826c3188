from celery import shared_task
from django.conf import settings

from . import queueing, reminders


# The time limit is a backstop below the claim timeout: a send still running when its
# claims could be handed to another worker would mean the same email twice. ``deliver``
# itself stops starting sends at half the claim timeout.
@shared_task(acks_late=True, soft_time_limit=settings.REMINDER_CLAIM_TIMEOUT_SECONDS * 3 // 4)
def deliver_reminders(delivery_ids: list[int]) -> dict[str, int]:
    """Send a batch of reminder rows; safe to run twice (each row is claimed first)."""
    return reminders.deliver(delivery_ids)


@shared_task(acks_late=True)
def dispatch_reminders() -> None:
    """Celery beat's scan: find what is due and queue one send per recipient."""
    reminders.dispatch(enqueue=enqueue_deliveries)


@shared_task(acks_late=True)
def requeue_pending() -> dict[str, int]:
    """Celery beat's sweep: queue again the one-off emails that have not gone yet."""
    return queueing.requeue_pending()


def enqueue_deliveries(pks: list[int]):
    """Queue one send task for a batch of reminder rows, without hanging on a broker that
    is down (the publish retry is bounded in settings)."""
    deliver_reminders.apply_async(
        (pks,), retry=True, retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY
    )
