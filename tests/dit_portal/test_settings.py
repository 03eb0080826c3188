import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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
        DJANGO_ENV="production",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="dit.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_ENV="production", ALLOWED_HOSTS="dit.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked_for():
    # pytest-django forces DEBUG off too, so read what the settings module itself decides.
    result = _manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_celery_runs_tasks_eagerly_without_a_broker_and_queues_with_one():
    show = (
        "from dit_portal.celery import app; "
        "print(app.conf.task_always_eager, app.conf.broker_url, app.conf.task_acks_late)"
    )
    without = _manage("shell", "-c", show, CELERY_BROKER_URL="")
    with_broker = _manage("shell", "-c", show, CELERY_BROKER_URL="redis://127.0.0.1:6379/3")
    assert without.stdout.split()[-3:] == ["True", "memory://localhost/", "True"]
    assert with_broker.stdout.split()[-3:] == ["False", "redis://127.0.0.1:6379/3", "True"]
