"""Queueing follow-up work (emails, mostly) from a request, safely.

The work is written down as a ``PendingTask`` in the transaction that made it necessary and
queued only once that transaction has committed. A broker that is down never fails the
request: what the person sent is already saved, publishing gives up after a short, bounded
retry, and the failure is logged. The row stays until the task succeeds, so Celery beat's
``requeue_pending`` queues again whatever the broker never took, or whatever gave up on an
unreachable mail server. (Reminders have their own scan and do not go through here.)
"""

import datetime
import json
import logging

from celery import current_app
from celery.exceptions import Retry
from celery.signals import task_success
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from .models import PendingTask

logger = logging.getLogger(__name__)


def pending_key(task_name: str, args) -> str:
    return f"{task_name}:{json.dumps(list(args), separators=(',', ':'))}"


def enqueue_on_commit(task, *args) -> None:
    """Queue ``task(*args)`` after the current transaction commits, and again later until it
    has succeeded. Pass ids, not objects; the task must be safe to run twice."""
    pending = PendingTask.objects.create(
        key=pending_key(task.name, args), task=task.name, args=list(args)
    )
    transaction.on_commit(lambda: _publish(pending))


def _publish(pending: PendingTask) -> bool:
    # Counted before publishing: in eager mode the task runs, and deletes the row, inside
    # apply_async.
    PendingTask.objects.filter(pk=pending.pk).update(
        queued_at=timezone.now(), attempts=F("attempts") + 1
    )
    try:
        current_app.tasks[pending.task].apply_async(
            pending.args, retry=True, retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY
        )
    except (OperationalError, OSError, Retry):
        # OperationalError and OSError: the broker is unreachable. Retry: run eagerly (no
        # broker configured), the task failed and asked to be tried again later.
        logger.exception(
            "Could not queue %s%r (the broker is unreachable, or the task failed and will "
            "be tried again): it stays pending and is queued again later",
            pending.task,
            tuple(pending.args),
        )
        return False
    return True


def requeue_pending() -> dict[str, int]:
    """Queue again every pending task not queued for ``PENDING_TASK_RETRY_MINUTES`` (or
    never), oldest first, up to ``PENDING_TASK_MAX_ATTEMPTS`` times each. Stops at the first
    publish that fails: the broker is still down. Safe to run twice."""
    now = timezone.now()
    stale = now - datetime.timedelta(minutes=settings.PENDING_TASK_RETRY_MINUTES)
    # Younger rows are still being queued by the request that wrote them.
    settled = now - datetime.timedelta(minutes=1)
    due = PendingTask.objects.filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=stale),
        created_at__lt=settled,
        attempts__lt=settings.PENDING_TASK_MAX_ATTEMPTS,
    )
    report = {"queued": 0, "left": 0}
    for pending in due.iterator():
        if pending.task not in current_app.tasks:
            logger.error("Pending task %s names no known task; left in place", pending.key)
            continue
        if not _publish(pending):
            break
        report["queued"] += 1
    report["left"] = PendingTask.objects.count()
    return report


@task_success.connect(dispatch_uid="pending-task-done")
def _done(sender, **kwargs):
    """A task that succeeded is no longer pending, however many copies were queued."""
    args = sender.request.args or ()
    PendingTask.objects.filter(key=pending_key(sender.name, args)).delete()
