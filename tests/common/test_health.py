import re

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_healthy_without_a_broker_when_tasks_run_eagerly(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_unreachable_broker_answers_503(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "broker": "unavailable"}


@pytest.mark.django_db
def test_reachable_broker_is_reported(client, settings, redis_url):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_url
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


def test_healthz_reports_a_database_outage(client, database_down):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"


def test_pages_answer_503_in_the_layout_when_the_database_is_down(client, database_down):
    response = client.get(reverse("milestones:roadmap"))
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert re.search(r"<h1[^>]*>Sorry, the service is unavailable</h1>", response.content.decode())
