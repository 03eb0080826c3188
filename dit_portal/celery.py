"""The Celery app. Configuration comes from Django settings (``CELERY_*``).

With no ``CELERY_BROKER_URL`` tasks run eagerly in the calling process, so the embedded
default needs no broker; production runs a worker and beat against Redis.
"""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dit_portal.settings")

app = Celery("dit_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
def load_urls_before_forking(**kwargs):
    """Load the portal's URLs in the worker's main process, before it forks its pool: every
    email links back to the portal, and each pool process loading them at its first task
    cost about a second (as gunicorn's --preload spares the web workers)."""
    from django.urls import get_resolver  # Django is set up once the worker starts

    get_resolver().reverse_dict  # noqa: B018 - reading it loads every app's URLs
