import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "dit.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}
SHOW = "from django.conf import settings; print(settings.{})"


def _manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DJANGO_ENV", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checks():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_the_development_key_needs_debug_or_the_test_runner():
    # gunicorn started by hand with DEBUG off and no DJANGO_ENV: refused, not served on the
    # committed key with cookies that are not Secure.
    by_hand = _manage("check")
    debug = _manage("shell", "-c", SHOW.format("SECRET_KEY"), DEBUG="true")
    tests = _manage("shell", "-c", SHOW.format("SECRET_KEY"), DJANGO_ENV="test")
    committed = _manage("check", SECRET_KEY="local-development-only-not-a-secret")
    assert by_hand.returncode != 0
    assert "DJANGO_ENV=production" in by_hand.stderr
    assert "SECRET_KEY" in by_hand.stderr
    assert committed.returncode != 0
    for allowed in (debug, tests):
        assert allowed.stdout.split()[-1] == "local-development-only-not-a-secret"
    production = _manage(
        "check", **{**PRODUCTION, "SECRET_KEY": "local-development-only-not-a-secret"}
    )
    assert production.returncode != 0


def test_production_needs_a_cache_every_worker_shares():
    missing = _manage("check", **{k: v for k, v in PRODUCTION.items() if k != "CACHE_URL"})
    per_process = _manage("check", "--deploy", **{**PRODUCTION, "CACHE_URL": "locmemcache://"})
    assert missing.returncode != 0
    assert "CACHE_URL" in missing.stderr
    assert per_process.returncode != 0
    assert "common.E001" in per_process.stderr


def test_links_in_email_follow_the_port_the_portal_serves_on():
    moved = _manage("shell", "-c", SHOW.format("SITE_URL"), DEBUG="true", PORT="8123")
    assert moved.stdout.split()[-1] == "http://127.0.0.1:8123"


def test_debug_is_off_unless_asked_for():
    # pytest-django forces DEBUG off too, so read what the settings module itself decides.
    result = _manage("shell", "-c", SHOW.format("DEBUG"), DJANGO_ENV="test")
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_celery_runs_tasks_eagerly_without_a_broker_and_queues_with_one():
    show = (
        "from dit_portal.celery import app; "
        "print(app.conf.task_always_eager, app.conf.broker_url, app.conf.task_acks_late)"
    )
    without = _manage("shell", "-c", show, CELERY_BROKER_URL="", DJANGO_ENV="test")
    with_broker = _manage(
        "shell", "-c", show, CELERY_BROKER_URL="redis://127.0.0.1:6379/3", DJANGO_ENV="test"
    )
    assert without.stdout.split()[-3:] == ["True", "memory://localhost/", "True"]
    assert with_broker.stdout.split()[-3:] == ["False", "redis://127.0.0.1:6379/3", "True"]


def test_a_celery_worker_loads_the_urls_before_forking_its_pool():
    """Its pool processes then share them rather than each loading them at its first task."""
    show = (
        "import sys; from celery import signals; from dit_portal.celery import app; "
        "before = 'dit_portal.urls' in sys.modules; signals.worker_init.send(sender=None); "
        "print(before, 'dit_portal.urls' in sys.modules)"
    )
    result = _manage("shell", "-c", show, DJANGO_ENV="test")
    assert result.stdout.split()[-2:] == ["False", "True"]
