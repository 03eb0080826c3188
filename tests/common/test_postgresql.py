"""A kept connection is checked before each request uses it (``CONN_HEALTH_CHECKS``)
without a round trip while it is quiet, and still found broken when the server has ended
it, so a database restarted meanwhile costs nobody an error page."""

import time

import psycopg2
import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the portal's PostgreSQL backend")


@pytest.fixture
def other():
    """A second connection, to watch and end the portal's."""
    params = connection.get_connection_params()
    watcher = psycopg2.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})
    watcher.autocommit = True
    yield watcher.cursor()
    watcher.close()


def _last_statement(other, pid) -> str:
    other.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
    return other.fetchone()[0]


def test_a_quiet_connection_is_usable_without_asking_the_server(other):
    assert type(connections["default"]).__module__ == "common.postgresql.base"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'last asked'")
    pid = connection.connection.info.backend_pid
    assert connection.is_usable()
    assert _last_statement(other, pid) == "SELECT 'last asked'"


def test_a_connection_the_server_ended_is_found_unusable_and_made_again(other):
    connection.ensure_connection()
    ended = connection.connection.info.backend_pid
    other.execute("SELECT pg_terminate_backend(%s)", [ended])
    for _ in range(50):  # the server's notice reaches the socket a moment later
        other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [ended])
        if other.fetchone() is None:
            break
        time.sleep(0.02)
    connection.health_check_enabled, connection.health_check_done = True, False
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != ended


def test_a_connection_whose_socket_cannot_be_watched_is_asked(other, monkeypatch):
    """Where the socket cannot be looked at, the server is asked, as Django asks it."""

    class Unwatchable:
        def register(self, *args):
            raise ValueError("cannot watch this socket")

    monkeypatch.setattr("common.postgresql.base.select.poll", Unwatchable)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'last asked'")
    pid = connection.connection.info.backend_pid
    assert connection.is_usable()
    assert _last_statement(other, pid) == "SELECT 1"
