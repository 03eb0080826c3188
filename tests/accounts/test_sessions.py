"""Where the cache is shared (Redis, as production must have), sessions are read from it and
written through to the database: a signed-in page or a resident's next step reads none from
the database, and a cache emptied (Redis restarted, say) signs nobody out and loses no
resident's answers."""

import pytest
from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.sessions import SessionStore
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
    settings.SESSION_ENGINE = "common.sessions"
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


def _statements(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries]


def _session_writes(statements) -> list[str]:
    return [sql for sql in statements if "django_session" in sql and not sql.startswith("SELECT")]


@pytest.mark.django_db(transaction=True)  # each write commits, as in production
@pytest.mark.usefixtures("shared_cache")
def test_a_resident_s_step_is_written_in_one_statement_without_waiting_for_the_disk(client):
    """The session's commit does not wait for PostgreSQL to flush it to disk, and it is
    one statement in a transaction of its own: no begin, savepoint or commit around it (a
    round trip each, which under load was a third of a step's time). The connection is
    left as it was, and each step is in the database."""
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    consultation = ConsultationFactory()
    first, second = (
        reverse("consultation:step", args=[consultation.slug, step.slug]) for step in STEPS[:2]
    )
    ticked = option_ids(consultation, OptionKind.BARRIER, 1)
    changed = option_ids(consultation, OptionKind.CHANGE, 1)
    for path, answers in ((first, {"barriers": ticked}), (second, {"changes": changed})):
        with CaptureQueriesContext(connection) as queries:
            assert client.post(path, answers).status_code == 302
        statements = _statements(queries)
        written = _session_writes(statements)
        assert len(written) == 1
        assert "set_config('synchronous_commit', 'off', true)" in written[0]
        assert not [sql for sql in statements if sql.startswith(("BEGIN", "SAVEPOINT", "COMMIT"))]
        # A new session's key is not looked up first: its insert refuses one taken.
        assert not [s for s in statements if "django_session" in s and s.startswith("SELECT")]
    assert written[0].startswith("UPDATE")  # the second step: the session made by the first
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)
    caches["default"].clear()
    assert f'value="{ticked[0]}" checked' in client.get(first).content.decode()
    assert f'value="{changed[0]}" checked' in client.get(second).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("shared_cache")
def test_a_session_deleted_meanwhile_is_not_written_again():
    """Signed out elsewhere, or cleared as expired, while a request was under way: the
    request is interrupted (a 400 page, from Django's middleware), as with Django's own
    store, rather than bringing the session back."""
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement write is PostgreSQL's")
    store = SessionStore()
    store["seen"] = True
    store.save()
    SessionStore(store.session_key).delete()
    store["again"] = True
    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.filter(session_key=store.session_key).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("shared_cache")
def test_a_new_session_never_takes_over_one_that_exists():
    """A key drawn twice is refused, so Django draws another (``create``)."""
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement write is PostgreSQL's")
    store = SessionStore()
    store["mine"] = True
    store.save()
    other = SessionStore(store.session_key)
    other["theirs"] = True
    with pytest.raises(CreateError):
        other.save(must_create=True)
    caches["default"].clear()
    assert SessionStore(store.session_key).load() == {"mine": True}


@pytest.mark.usefixtures("shared_cache")
def test_a_session_saved_in_a_transaction_of_its_own_leaves_its_commit_alone():
    """Inside a view's own transaction, turning the wait off would cover its writes too."""
    store = SessionStore()
    store["seen"] = True
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        store.save()
    assert not any("synchronous_commit" in sql for sql in _statements(queries))
    assert SessionStore(store.session_key).get("seen") is True


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("shared_cache")
def test_a_session_saved_while_a_caller_s_transaction_is_open_leaves_its_commit_alone():
    """Autocommit off is a transaction of the caller's too, atomic block or not."""
    store = SessionStore()
    store["seen"] = True
    transaction.set_autocommit(False)
    try:
        with CaptureQueriesContext(connection) as queries:
            store.save()
        transaction.commit()
    finally:
        transaction.set_autocommit(True)
    assert not any("synchronous_commit" in sql for sql in _statements(queries))
    assert SessionStore(store.session_key).get("seen") is True
