"""Fixtures every test shares: people in each role, set up the way the portal sets them up."""

import contextlib
import os

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import caches
from django.db import connection
from django.utils import translation

from accounts import roles
from accounts.services import user_create_verified, user_reset_mfa

PASSWORD = "correct horse battery staple 42"


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run in-process, as on the embedded default, even where CI configures Redis.
    Tests of the real worker and broker start their own."""
    from dit_portal.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path_factory):
    # Hashing passwords slowly is a feature in production and only a cost in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Updates go at once unless a test is about their wait (with a broker they wait).
    settings.EMAIL_CHANGE_DELAY_SECONDS = 0
    # As if the council's translators had reviewed every catalogue: the tests of a language
    # being offered are about the consultation's own texts; one test is about this setting.
    settings.INTERFACE_LANGUAGES_REVIEWED = [code for code, _name in settings.LANGUAGES[1:]]
    # Uploaded files go to a folder of each test's own, not the checkout's media/.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    # allauth's rate limits count in the cache, and public pages are kept ready-rendered in
    # another: each test starts with a clean slate.
    _clear_caches()
    yield
    _clear_caches()
    # A request in another language leaves it active in the thread the tests run in
    # (LocaleMiddleware activates, nothing deactivates): the next test starts in English.
    translation.deactivate()


def _clear_caches():
    for cache in caches.all():
        cache.clear()


def make_user(email, *, groups=(), superuser=False, mfa=False):
    user = user_create_verified(
        email=email,
        password=PASSWORD,
        full_name=email.split("@")[0].title(),
        groups=groups,
        is_superuser=superuser,
    )
    if mfa:
        user.totp_secret, user.recovery_codes = user_reset_mfa(user=user)
    return user


def send_everything_again(topic: str | None = None) -> dict[str, int]:
    """The outbox's send task run again for every message there is (of ``topic``): as when
    a task is redelivered after a worker died, or queued twice. What has gone must not go
    again. Returns what the task did."""
    from notifications.models import Message
    from notifications.tasks import send_email

    messages = Message.objects.filter(topic=topic) if topic else Message.objects.all()
    return send_email.apply(args=[list(messages.values_list("pk", flat=True))]).get()


def date_input(name: str, day) -> dict[str, str]:
    """What a GOV.UK date input (``common.forms.DateInputField``) sends for ``day``: a
    date, or "YYYY-MM-DD" as typed into its three boxes."""
    year, month, date = str(day).split("-")
    return {f"{name}_day": date, f"{name}_month": month, f"{name}_year": year}


def totp_code(secret: str) -> str:
    """The code an authenticator app would show now for ``secret``."""
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def member(db):
    return make_user("member@example.org")


@pytest.fixture
def other_member(db):
    return make_user("other.member@example.org")


@pytest.fixture
def commission_staff(db):
    return make_user("staff@example.org", groups=(roles.COMMISSION_STAFF,), mfa=True)


@pytest.fixture
def coordinator(db):
    return make_user("coordinator@example.org", groups=(roles.NETWORK_COORDINATORS,), mfa=True)


@pytest.fixture
def admin(db):
    return make_user("admin@example.org", superuser=True, mfa=True)


@pytest.fixture
def staff_without_mfa(db):
    return make_user("new.staff@example.org", groups=(roles.COMMISSION_STAFF,))


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client signed in as ``user`` (None: signed out)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def publish_as_staff(client_for, commission_staff, django_capture_on_commit_callbacks):
    """``publish_as_staff(url, summary)``: commission staff ask for findings to be
    published on the page at ``url``, and the background check runs (Celery is eager in
    tests) once the request commits. Returns the page staff are sent back to."""

    def publish(url, summary=""):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(commission_staff).post(url, {"summary": summary})
        return (
            client_for(commission_staff).get(response.url)
            if response.status_code == 302
            else response
        )

    return publish


@pytest.fixture
def redis_url():
    """The Redis the portal's tests use: CELERY_BROKER_URL from the environment.

    Tests that need a real Redis are skipped on a machine without one, but never in CI,
    where a missing service is a failure.
    """
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        if os.environ.get("CI"):
            pytest.fail("CI must set CELERY_BROKER_URL to the machine's Redis.")
        pytest.skip("Needs CELERY_BROKER_URL pointing at a Redis server.")
    return url


@contextlib.contextmanager
def database_outage():
    """Point the connection somewhere no database answers, for real, then back again."""
    key, value = ("NAME", "/nonexistent/dir/db.sqlite3")
    if connection.vendor != "sqlite":
        key, value = ("PORT", "1")  # nothing listens on port 1
    original = connection.settings_dict[key]
    connection.settings_dict[key] = value
    connection.close()
    try:
        yield
    finally:
        connection.settings_dict[key] = original
        connection.close()


@pytest.fixture
def database_down(transactional_db, django_db_serialized_rollback):
    with database_outage():
        yield


@contextlib.contextmanager
def broker_outage():
    """Celery publishing to a broker address where nothing listens, for real."""
    from kombu import pools

    from dit_portal.celery import app

    keys = ("broker_url", "broker_read_url", "broker_write_url", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}
    closed = "redis://127.0.0.1:1/0"
    app.conf.update(
        broker_url=closed, broker_read_url=closed, broker_write_url=closed, task_always_eager=False
    )
    app._pool, app.amqp._producer_pool = None, None
    try:
        yield
    finally:
        app.conf.update(saved)
        app._pool, app.amqp._producer_pool = None, None
        pools.reset()


def pytest_collection_modifyitems(items):
    """Every test on real transactions restores the migrated data (roles, boroughs, wards)
    afterwards. One that did not would flush it and let Django recreate content types under
    new ids, which breaks every later test that restores it."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            item.add_marker(
                pytest.mark.django_db(
                    *marker.args, **{**marker.kwargs, "serialized_rollback": True}
                ),
                append=False,
            )
