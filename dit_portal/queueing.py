"""Queueing follow-up work (emails, mostly) from a request, safely.

The work is queued only once the transaction that made it necessary has committed, and a
broker that is down never fails the request: what the person sent is already saved, so
publishing gives up after a short, bounded retry and the failure is logged. (Reminders do
not depend on this: their database scan finds whatever was not sent.)
"""

import logging

from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args) -> None:
    """Queue ``task(*args)`` after the current transaction commits. Pass ids, not objects."""

    def publish():
        try:
            task.apply_async(
                args, retry=True, retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY
            )
        except (OperationalError, OSError):
            logger.exception("Could not queue %s%r: the broker is unreachable", task.name, args)

    transaction.on_commit(publish)
