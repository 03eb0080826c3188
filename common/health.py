"""Readiness checks behind ``/healthz``: what a load balancer needs to know."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from kombu import Connection

logger = logging.getLogger(__name__)


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return False
    return True


def check_broker() -> bool:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT,
        ) as broker:
            broker.ensure_connection(max_retries=1)
    except Exception:
        # kombu raises a different exception class for each transport; any of them
        # means the same thing here.
        logger.exception("Health check: broker unreachable")
        return False
    return True


def run_checks() -> dict[str, bool]:
    """Each configured dependency and whether it answered. The broker only if one is set."""
    checks = {"database": check_database()}
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = check_broker()
    return checks
