from celery import shared_task

from . import reminders


@shared_task(acks_late=True)
def send_reminders(delivery_ids: list[int]) -> dict[str, int]:
    """Send a batch of reminder rows; safe to run twice (each row is claimed first)."""
    return reminders.deliver(delivery_ids)


@shared_task(acks_late=True)
def dispatch_reminders() -> None:
    """Celery beat's scan: find what is due and queue one send per recipient."""
    reminders.dispatch(enqueue=reminders.enqueue_task)
