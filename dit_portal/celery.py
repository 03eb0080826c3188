"""The Celery app. Configuration comes from Django settings (``CELERY_*``).

With no ``CELERY_BROKER_URL`` tasks run eagerly in the calling process, so the embedded
default needs no broker; production runs a worker and beat against Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dit_portal.settings")

app = Celery("dit_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
