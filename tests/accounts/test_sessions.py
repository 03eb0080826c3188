"""Where the cache is shared (Redis, as production must have), sessions are read from it and
written through to the database: a signed-in page or a resident's next step reads none from
the database, and a cache emptied (Redis restarted, say) signs nobody out and loses no
resident's answers."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultation.forms import STEPS
from consultation.models import OptionKind
from tests.consultation.factories import ConsultationFactory, option_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache(settings, redis_url):
    """As production runs: the default cache on Redis, shared by every process, and so
    sessions read from it (``SESSION_ENGINE``, chosen by the cache)."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url.rsplit("/", 1)[0] + "/13",
            "KEY_PREFIX": "test-sessions",
        },
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    caches["default"].clear()
    yield
    caches["default"].clear()


def test_a_cache_in_each_process_s_memory_keeps_sessions_in_the_database():
    """Where the default cache is each process's own (``make run``, the tests), a process
    would read a session another process has since changed from its own copy."""
    from dit_portal import settings as configured

    backend = configured.CACHES["default"]["BACKEND"]
    assert backend.endswith(".LocMemCache")
    assert configured.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def _session_reads(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum('FROM "django_session"' in q["sql"] for q in queries.captured_queries)


@pytest.mark.usefixtures("shared_cache")
def test_a_signed_in_page_reads_its_session_from_the_cache(client_for, commission_staff):
    client = client_for(commission_staff)
    client.get(reverse("staff_home"))
    assert _session_reads(client, reverse("staff_home")) == 0


@pytest.mark.usefixtures("shared_cache")
def test_an_emptied_cache_signs_nobody_out(client_for, commission_staff):
    client = client_for(commission_staff)
    caches["default"].clear()
    page = client.get(reverse("staff_home"))
    assert page.status_code == 200
    assert "Sign out" in page.content.decode()


@pytest.mark.usefixtures("shared_cache")
def test_an_emptied_cache_loses_no_resident_s_answers(client):
    consultation = ConsultationFactory()
    ticked = option_ids(consultation, OptionKind.BARRIER, 1)
    first = reverse("consultation:step", args=[consultation.slug, STEPS[0].slug])
    client.post(first, {"barriers": ticked})
    caches["default"].clear()
    assert f'value="{ticked[0]}" checked' in client.get(first).content.decode()
