"""`make bench`: seed realistic volumes, serve the portal with gunicorn on a free loopback
port, time its pages with wrk (a load generator in C, whose own cost is small beside the
server's on the same two cores), drive the whole consultation submission with Locust (it
needs a session, forms and CSRF), time the in-process jobs, print a table and write
bench/results.json. Every figure is also given as a ratio to the trivial view's p50 in the
same run, on the same server: for each page, the trivial view timed just before it, so that
a slower minute on these shared machines slows both. BENCH_QUICK=1 times each page for 3
seconds and skips the in-process jobs, for development.

DATABASE_URL picks the database; unset, a dedicated PostgreSQL database
(postgres://postgres@127.0.0.1:5432/dit_bench) is used and created if missing. SQLite is
refused unless BENCH_ALLOW_SQLITE=1. BENCH_SECONDS (default 15) bounds each load run.
"""

import contextlib
import csv
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/dit_bench"
QUICK = os.environ.get("BENCH_QUICK") == "1"
SECONDS = int(os.environ.get("BENCH_SECONDS", "3" if QUICK else "15"))
# The trivial view timed just before each page, as that page's baseline.
BASELINE_SECONDS = 2 if QUICK else 5
WRK_SCRIPT = ROOT / "bench/wrk_report.lua"
USERS = int(os.environ.get("BENCH_USERS", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
REMINDERS = 10_000
NEWS_RECIPIENTS = 10_000


def database_url(default: str = DEFAULT_DB) -> str:
    url = os.environ.get("DATABASE_URL", default)
    if url.startswith("sqlite") and os.environ.get("BENCH_ALLOW_SQLITE") != "1":
        sys.exit("bench: refusing SQLite (set BENCH_ALLOW_SQLITE=1 to measure it anyway)")
    if url.startswith(("postgres", "postgresql", "pgsql")):
        import psycopg2
        from psycopg2 import sql

        parts = urllib.parse.urlparse(url)
        name = parts.path.lstrip("/")
        admin = psycopg2.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username,
            password=parts.password,
            dbname="postgres",
        )
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                print(f"bench: creating database {name}", flush=True)
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        admin.close()
    return url


def environment(url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ENV"}  # HTTP must work
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        # Each virtual resident sends from its own address (X-Forwarded-For), so the
        # per-address submission limit applies per resident, as in life.
        NUM_PROXIES="1",
        # Persistent database connections, as production has by default: a new PostgreSQL
        # connection for every request would be measured instead of the page.
        CONN_MAX_AGE="60",
        EMAIL_URL="memorymail://",
        LOG_LEVEL="WARNING",
        # DEBUG is off as in production, so the portal needs a key of its own.
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        # Yiddish offered, as if its catalogue were reviewed, to time a page in it.
        INTERFACE_LANGUAGES_REVIEWED="yi",
        PYTHONPATH=str(ROOT),
    )
    # The shared cache production must have (Redis): rate limits, figures and sessions are
    # shared by the workers, as there. Each worker's own memory where Redis is missing.
    cache = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14")
    if reachable(cache):
        env["CACHE_URL"] = cache
    return env


def reachable(url: str) -> bool:
    parts = urllib.parse.urlparse(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def staff_session(user) -> str:
    """A signed-in session for ``user``, as ``Client.force_login`` makes one."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def start_server(env, port, log):
    command = [
        str(ROOT / ".venv/bin/gunicorn"), "dit_portal.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(WORKERS), "--timeout", "120", "--access-logfile", "-",
        # As production runs it (README): the portal loaded once, before the workers fork.
        "--preload",
        # Each request's method, path, status and the server's own time (microseconds):
        # the submission's steps are timed from here (``server_times``).
        "--access-logformat", "ACCESS %(m)s %(U)s %(s)s %(D)s",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: S603
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("bench: gunicorn did not start; see its log")


def wrk_command() -> str:
    """Debian's wrk, installed if missing (as root, as `make e2e-deps` installs Chromium)."""
    found = shutil.which("wrk")
    if found is None:
        print("bench: installing wrk (Debian)", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)  # noqa: S607
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],  # noqa: S607
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        found = shutil.which("wrk")
    return found


def wrk(host, path, log_path, *, session=None, seconds=SECONDS, connections=USERS, etag=None):
    """One page under load from wrk: one thread, ``connections`` connections, for
    ``seconds``. An answer other than 200 is an error (with ``etag``, a repeat visit: the
    page's ETag sent back, and anything but 304 Not Modified), counted from what the server
    logged meanwhile (``log_path``), so that wrk reads no answer's body."""
    command = [
        wrk_command(), "-t", "1", "-c", str(connections), "-d", f"{seconds}s",
        "--timeout", "10s", "-s", str(WRK_SCRIPT), f"{host}{path}",
    ]  # fmt: skip
    if session:
        command += ["-H", f"Cookie: sessionid={session}"]
    if etag:
        command += ["-H", f"If-None-Match: {etag}"]
    start = log_path.stat().st_size
    run = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    line = next((ln for ln in run.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        sys.exit(f"bench: wrk failed on {path}: {run.stdout}{run.stderr}")
    figures = json.loads(line.removeprefix("BENCH "))
    expected = 304 if etag else 200
    answered = server_times(log_path, start).get(("GET", path), [])
    return {
        "requests": figures["requests"],
        "errors": figures["errors"] + sum(status != expected for status, _ in answered),
        "rps": figures["requests"] / figures["seconds"],
        "p50_ms": figures["p50_ms"],
        "p95_ms": figures["p95_ms"],
    }


def locust(env, host, scenario, user_class, tmp, *, users=USERS, maximum=3000, refs=None):
    prefix = Path(tmp) / scenario.replace(" ", "_").replace("/", "_")
    run_env = {**env, "BENCH_SCENARIO": scenario, "BENCH_MAX": str(maximum)}
    if refs:
        run_env["BENCH_REFS"] = refs
    command = [
        str(ROOT / ".venv/bin/locust"), "-f", str(ROOT / "bench/locustfile.py"), user_class,
        "--headless", "--host", host, "-u", str(users), "-r", str(users),
        "-t", f"{SECONDS}s", "--stop-timeout", "10", "--csv", str(prefix), "--only-summary",
        "--loglevel", "ERROR",
    ]  # fmt: skip
    subprocess.run(command, cwd=ROOT, env=run_env, capture_output=True, check=False)  # noqa: S603
    with open(f"{prefix}_stats.csv") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    return rows


ACCESS = re.compile(r"^ACCESS (\w+) (\S+) (\d{3}) (\d+)$", re.MULTILINE)


def server_times(log_path, start: int) -> dict[tuple[str, str], list[tuple[int, float]]]:
    """(method, path): [(status, server ms)] for the requests gunicorn logged from byte
    ``start`` of its log on: what the server spent, whatever the client's own cost."""
    with open(log_path) as log:
        log.seek(start)
        logged = log.read()
    times: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for method, path, status, micro in ACCESS.findall(logged):
        times.setdefault((method, path), []).append((int(status), int(micro) / 1000))
    return times


def server_figures(timings: list[tuple[int, float]]) -> dict:
    ms = sorted(t for _, t in timings)
    return {
        "requests": len(ms),
        "errors": sum(status not in (200, 302) for status, _ in timings),
        "rps": None,
        "p50_ms": statistics.median(ms),
        "p95_ms": ms[int(0.95 * (len(ms) - 1))],
        "server": True,
    }


def row_figures(row) -> dict:
    return {
        "requests": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
    }


def republish_audit(consultation) -> float:
    """Milliseconds to audit a consultation's findings again after two late answers,
    against the release before them: the hardest audit there is (every change since is
    sensitive). The late answers are rolled back."""
    from django.conf import settings as django_settings
    from django.core.cache import cache
    from django.db import transaction

    from bench.consultation_volume import add_responses
    from consultation import analysis
    from reporting.disclosure import protect_tables

    audit = {
        "threshold": django_settings.SUPPRESSION_THRESHOLD,
        "protection": django_settings.DISCLOSURE_PROTECTION_RANGE,
    }
    cache.clear()
    first = analysis.publishable_tables(consultation)
    protect_tables(first, **audit)
    with transaction.atomic():
        add_responses(consultation, 2, seed=consultation.responses.count() + 1)
        cache.clear()
        started = time.perf_counter()
        protect_tables(analysis.publishable_tables(consultation), earlier=[first], **audit)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds * 1000


def one_run(items: int, errors: int, seconds: float) -> dict:
    """A table row for a job timed once from start to finish (``items`` done in ``seconds``)."""
    return {
        "requests": items, "errors": errors, "rps": items / seconds,
        "p50_ms": seconds * 1000, "p95_ms": seconds * 1000,
    }  # fmt: skip


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def export_timings(host, path, session, repeat=3):
    import requests

    results = []
    for _ in range(repeat):
        started = time.perf_counter()
        with requests.get(
            host + path, cookies={"sessionid": session}, stream=True, timeout=300
        ) as response:
            chunks = response.iter_content(chunk_size=65536)
            first = next(chunks, b"")
            ttfb = (time.perf_counter() - started) * 1000
            size = len(first) + sum(len(c) for c in chunks)
            total = (time.perf_counter() - started) * 1000
        results.append((response.status_code, ttfb, total, size))
    return results


@contextlib.contextmanager
def due_reminders():
    """10,000 due reminders: two network events 12 hours ahead, 5,000 members going to each
    (the 1-day reminder is due for every one). The events are made fresh and removed
    afterwards, so every run sends the same load. Yields the events' ids."""
    import datetime

    from django.db import connection
    from django.utils import timezone

    from network.models import Event, EventRsvp, Membership, RsvpStatus
    from notifications.models import Message

    now = timezone.now()
    members = list(
        Membership.objects.filter(user__email__startswith="bench.member").values_list(
            "pk", flat=True
        )[:5000]
    )
    per_event = REMINDERS // 2
    events = []
    for n in range(2):
        start = now + datetime.timedelta(hours=12)
        event = Event.objects.create(
            title=f"Bench meet-up {n}",
            slug=f"bench-meetup-{n}-{int(now.timestamp())}",
            mode=Event.Mode.IN_PERSON if hasattr(Event.Mode, "IN_PERSON") else Event.Mode.values[0],
            format=Event.Format.values[0],
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            location="Hackney Town Hall",
            capacity=per_event,
        )
        EventRsvp.objects.bulk_create(
            EventRsvp(
                event=event,
                member_id=pk,
                status=RsvpStatus.GOING,
                going_since=now - datetime.timedelta(days=10),
            )
            for pk in members[:per_event]
        )
        events.append(event)
    if connection.vendor == "postgresql":
        # 10,000 places added at once: PostgreSQL's statistics learn of them as autovacuum
        # analyses the table, which for a real event's places, made over weeks, happened
        # long before its reminders fell due. Without them the planner reads all 5,000
        # places of an event for each batch of 100 reminders (a fifth of their time).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE network_eventrsvp")
    try:
        yield [e.pk for e in events]
    finally:
        Message.objects.filter(about_kind="event", about_id__in=[e.pk for e in events]).delete()
        for event in events:
            event.delete()


def reminder_dispatch() -> dict:
    """The 10,000 due reminders dispatched and sent in the bench's own process, one after
    another, to the locmem mail backend."""
    from django.core import mail
    from django.test import override_settings

    from notifications import outbox

    locmem = "django.core.mail.backends.locmem.EmailBackend"
    with due_reminders(), override_settings(EMAIL_BACKEND=locmem):
        mail.outbox = []
        started = time.perf_counter()
        report = outbox.dispatch(enqueue=outbox.deliver)
        seconds = time.perf_counter() - started
        sent_mail = len(mail.outbox)
    return {"seconds": seconds, "queued": report.queued, "sent": report.sent,
            "failed": report.failed, "emails": sent_mail}  # fmt: skip


def reminder_dispatch_by_workers(env, tmp) -> dict | None:
    """The same 10,000 reminders as production sends them: the dispatch queues a task for
    each 100 on Redis and a Celery worker (a process per core, Celery's default) sends them,
    timed from the dispatch starting to the last message marked sent. The worker and the
    dispatching process are started with the broker in their settings, as in production
    (this process runs its jobs eagerly). None (and said) when Redis is not there."""
    broker = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/15")
    if not reachable(broker):
        print(f"bench: no Redis at {broker}: reminders timed in-process only", flush=True)
        return None
    with_broker = {**env, "CELERY_BROKER_URL": broker, "CELERY_TASK_DEFAULT_QUEUE": "bench"}
    command = [
        str(ROOT / ".venv/bin/celery"), "-A", "dit_portal", "worker", "--loglevel", "WARNING",
        "--queues", "bench", "--without-mingle", "--without-gossip",
    ]  # fmt: skip
    with open(Path(tmp) / "celery.log", "w") as log:
        worker = subprocess.Popen(command, cwd=ROOT, env=with_broker, stdout=log, stderr=log)  # noqa: S603
        try:
            run = subprocess.run(  # noqa: S603
                [sys.executable, __file__, "--reminders-by-workers"],
                cwd=ROOT, env=with_broker, capture_output=True, text=True, check=False,
            )  # fmt: skip
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
    if run.returncode != 0:
        sys.exit(f"bench: reminders by a Celery worker failed: {run.stdout}{run.stderr}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def dispatch_to_workers() -> dict:
    """In a process whose settings name the broker: wait for the worker, then dispatch the
    due reminders to it and wait until the last is marked sent."""
    from django.urls import get_resolver

    from dit_portal.celery import app
    from notifications import outbox
    from notifications.models import Message

    # Every reminder links back to the portal: a dispatching process that has run for a
    # while has its URLs loaded (about a second, once), as the worker loads them at start.
    get_resolver().reverse_dict  # noqa: B018 - reading it loads every app's URLs
    for _ in range(60):
        if app.control.ping(timeout=0.5):
            break
        time.sleep(0.5)
    else:
        sys.exit("bench: the Celery worker did not start; see its log")
    with due_reminders() as events:
        mine = Message.objects.filter(about_kind="event", about_id__in=events)
        started = time.perf_counter()
        report = outbox.dispatch(enqueue=outbox.hand_over)
        expected, sent = mine.count(), 0
        while time.perf_counter() - started < 120:
            sent = mine.filter(status=Message.Status.SENT).count()
            if sent >= expected:
                break
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        failed = mine.exclude(status=Message.Status.SENT).count()
    return {"seconds": seconds, "queued": report.queued, "sent": sent, "failed": failed}


def news_send() -> dict:
    """An opportunity sent to 10,000 residents who asked for news: from staff pressing
    "send" (every outbox row written, the opportunity marked sent) until every email has
    gone, in-process to the locmem mail backend, a hundred to a batch as workers take
    them. The residents are made fresh and removed afterwards."""
    from django.core import mail
    from django.test import override_settings

    from consultation.models import Consultation, Contact
    from news import services as news_services
    from news.models import Opportunity
    from notifications import outbox
    from notifications.models import Message

    contacts = Contact.objects.bulk_create(
        Contact(
            consultation=Consultation.objects.first(),
            email=f"bench.resident{n}@example.org",
            consent_text="Bench",
        )
        for n in range(NEWS_RECIPIENTS)
    )
    opportunity = news_services.opportunity_save(
        title="Bench: a free cloud skills course", text="Twelve weeks, evenings.", to_residents=True
    )
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            started = time.perf_counter()
            news_services.opportunity_send(opportunity=opportunity, sent_by=None)
            outbox.dispatch(enqueue=outbox.deliver)  # whatever the first hand-over left
            seconds = time.perf_counter() - started
            addresses = [m.to[0] for m in mail.outbox]
    finally:
        Message.objects.filter(
            topic="news.resident", params__opportunity_id=opportunity.pk
        ).delete()
        Opportunity.objects.filter(pk=opportunity.pk).delete()
        Contact.objects.filter(pk__in=[c.pk for c in contacts]).delete()
    return {
        "seconds": seconds,
        "emails": len(addresses),
        "distinct": len(set(addresses)),
    }


def in_process(world, consultation, django_settings, results, notes, env, tmp):
    """The jobs timed in the bench's own process: matching, the advert check, the
    disclosure audit, reminders and news; and reminders again as a Celery worker sends
    them."""
    print("bench: mentor matching (in-process)", flush=True)
    from network import matching, services

    propose = timed(matching.propose, 3)
    results["matching propose (in-process)"] = {
        "requests": 3, "errors": 0, "rps": 3000 / sum(propose),
        "p50_ms": statistics.median(propose), "p95_ms": max(propose),
    }  # fmt: skip
    run = timed(lambda: services.matching_run(run_by=world["accounts"]["coordinator"]), 1)
    results["matching_run (in-process)"] = one_run(1, 0, run[0] / 1000)
    print("bench: job advert checker, a 2,000-word advert (in-process)", flush=True)
    from django.test import Client

    from bench.advert import advert

    long_advert = advert(2000)
    checker = Client(HTTP_HOST="127.0.0.1")
    statuses = []

    def check_advert():
        page = checker.post("/employers/job-advert-checker/", {"advert": long_advert})
        statuses.append(page.status_code)

    check_advert()  # the first check in a process loads the pronouncing dictionary
    checked = timed(check_advert, 20)
    results["advert check, 2,000 words (in-process)"] = {
        "requests": 20, "errors": sum(s != 200 for s in statuses),
        "rps": 20000 / sum(checked),
        "p50_ms": statistics.median(checked), "p95_ms": max(checked),
    }  # fmt: skip
    print("bench: disclosure audit of every public breakdown (in-process)", flush=True)
    from django.core.cache import cache

    from consultation import analysis
    from reporting.disclosure import protect_tables

    def audit():
        # What a publishing run does before it stores the release: build every public
        # breakdown, then suppress and audit them together. From cold: a release is built
        # from figures nobody has looked at since the last answers came in.
        cache.clear()
        protect_tables(
            analysis.publishable_tables(consultation),
            threshold=django_settings.SUPPRESSION_THRESHOLD,
            protection=django_settings.DISCLOSURE_PROTECTION_RANGE,
        )

    audited = timed(audit, 3)
    results["disclosure audit (100k)"] = {
        "requests": 3, "errors": 0, "rps": 3000 / sum(audited),
        "p50_ms": statistics.median(audited), "p95_ms": max(audited),
    }  # fmt: skip
    print("bench: republishing after two late paper responses (in-process)", flush=True)
    republished = republish_audit(consultation)
    results["disclosure audit, republish (100k + 2)"] = one_run(1, 0, republished / 1000)
    print(f"bench: reminder dispatch of {REMINDERS:,} due (in-process)", flush=True)
    dispatch = reminder_dispatch()
    results["reminder dispatch (10k, in-process)"] = one_run(
        dispatch["emails"], dispatch["failed"] + REMINDERS - dispatch["emails"], dispatch["seconds"]
    )
    notes["reminders"] = dispatch
    print(f"bench: an opportunity sent to {NEWS_RECIPIENTS:,} residents (in-process)", flush=True)
    news = news_send()
    results["news to 10k residents"] = one_run(
        news["emails"],
        NEWS_RECIPIENTS - news["distinct"] + (news["emails"] - news["distinct"]),
        news["seconds"],
    )
    notes["news"] = news
    print(f"bench: reminder dispatch of {REMINDERS:,} due (Celery worker)", flush=True)
    by_workers = reminder_dispatch_by_workers(env, tmp)
    if by_workers is not None:
        results["reminder dispatch (10k)"] = one_run(
            by_workers["sent"],
            by_workers["failed"] + REMINDERS - by_workers["queued"],
            by_workers["seconds"],
        )
        notes["reminders_by_workers"] = by_workers


def set_up_django(url: str) -> dict:
    """Django set up in this process with the bench's settings on ``url``; returns the
    environment for the processes the bench starts."""
    env = environment(url)
    os.environ.update(env)
    os.environ.pop("DJANGO_ENV", None)
    import django

    django.setup()
    return env


def main():
    url = database_url()
    env = set_up_django(url)
    from django.conf import settings as django_settings

    from bench import seed
    from consultation.forms import STEPS
    from consultation.models import Interest, OptionKind, Response
    from milestones.models import Activity
    from recommendations.models import Recommendation

    total_started = time.perf_counter()
    parts = urllib.parse.urlparse(url)
    print(f"bench: database {parts.scheme}://{parts.hostname or ''}{parts.path}", flush=True)
    print(f"bench: cache {env.get('CACHE_URL', 'each process its own')}", flush=True)
    from django.core.cache import cache

    cache.clear()  # nothing counted by an earlier run, on a database seeded since
    started = time.perf_counter()
    world = seed.seed()
    seed_seconds = time.perf_counter() - started
    print(f"bench: seeded in {seed_seconds:.1f}s", flush=True)
    consultation, survey = world["consultation"], world["survey"]
    staff = world["accounts"]["staff"]
    options = {k: [str(o.pk) for o in consultation.options.filter(kind=k, is_active=True)]
               for k in OptionKind.values}  # fmt: skip
    base = f"/consultation/{consultation.slug}/"
    answers = {
        "barriers": {"barriers": options[OptionKind.BARRIER][:2]},
        "changes": {"changes": options[OptionKind.CHANGE][:1]},
        "support": {"support": options[OptionKind.SUPPORT][:1], "interest": Interest.values[0]},
        "comments": {"comments": "Benchmark: evening courses would help."},
    }
    session = staff_session(staff)
    scenarios = {
        "trivial": {"path": "/bench/trivial/"},
        "home": {"path": "/", "repeat": True},
        "roadmap": {"path": "/roadmap/", "repeat": True},
        # Every public page without a form is visited again with its ETag too; the pages
        # with forms (the questionnaire, the checker) are never answered 304.
        "an activity": {
            "path": Activity.objects.filter(is_public=True).first().get_absolute_url(),
            "repeat": True,
        },
        "consultation start": {"path": base, "repeat": True},
        "consultation form": {"path": f"{base}answer/{STEPS[0].slug}/"},
        "consultation findings": {
            "path": "/consultation/demo-sample-answers/findings/",
            "repeat": True,
        },
        "job advert checker": {"path": "/employers/job-advert-checker/"},
        "consultation form (Yiddish)": {"path": f"/yi{base}answer/{STEPS[0].slug}/"},
        "recommendations": {"path": "/recommendations/", "repeat": True},
        "recommendation page": {
            "path": Recommendation.objects.first().get_absolute_url(),
            "repeat": True,
        },
        "open data: findings": {
            "path": "/api/v1/findings/consultation/demo-sample-answers",
            "repeat": True,
        },
        "staff results (100k)": {
            "path": f"/staff/consultation/{consultation.slug}/results/",
            "staff": True,
        },
        "employer results (5k)": {
            "path": f"/staff/employers/{survey.slug}/results/",
            "staff": True,
        },
    }
    answers_in_order = [[s.slug, answers.get(s.slug, {})] for s in STEPS]
    tmp = tempfile.mkdtemp(prefix="dit-bench-")
    config = Path(tmp) / "config.json"
    config.write_text(
        json.dumps(
            {
                "scenarios": scenarios,
                "staff_session": session,
                "consultation_base": base,
                "submission_steps": answers_in_order,
            }
        )
    )
    env["BENCH_CONFIG"] = str(config)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    log_path = Path(tmp) / "gunicorn.log"
    results, notes = {}, {}
    with open(log_path, "w") as log:
        server = start_server(env, port, log)
        try:
            # Warm every worker up (imports, template loading) before measuring.
            wrk(host, "/bench/trivial/", log_path, seconds=5)
            log.flush()
            trivial_from = log_path.stat().st_size
            baselines = {}

            def trivial_now():
                return wrk(host, "/bench/trivial/", log_path, seconds=BASELINE_SECONDS)["p50_ms"]

            for name, scenario in scenarios.items():
                print(f"bench: load: {name}", flush=True)
                staff = scenario.get("staff") and session
                wrk(host, scenario["path"], log_path, session=staff, seconds=1)
                if name != "trivial":
                    baselines[name] = trivial_now()
                results[name] = wrk(host, scenario["path"], log_path, session=staff)
                if scenario.get("repeat"):
                    # Visited once to learn its ETag, then again and again with it.
                    with urllib.request.urlopen(f"{host}{scenario['path']}") as first:  # noqa: S310
                        etag = first.headers["ETag"]
                    # A warm-up too: the server may log that first visit (a 200, at the same
                    # address) only after the client has its answer.
                    wrk(host, scenario["path"], log_path, etag=etag, seconds=1)
                    baselines[f"{name}, repeat visit (304)"] = trivial_now()
                    results[f"{name}, repeat visit (304)"] = wrk(
                        host, scenario["path"], log_path, etag=etag
                    )
                if name == "trivial":
                    # The server's own time for the trivial view, for the steps' ratios.
                    trivial_server = server_figures(
                        server_times(log_path, trivial_from)[("GET", "/bench/trivial/")]
                    )
            print("bench: load: consultation submission (whole flow)", flush=True)
            submission_from = log_path.stat().st_size
            refs = Path(tmp) / "references.txt"
            before = Response.objects.filter(consultation=consultation).count()
            rows = locust(
                env,
                host,
                "consultation submission",
                "SubmitUser",
                tmp,
                users=8,
                maximum=400,
                refs=str(refs),
            )
            results["consultation submission"] = row_figures(rows["consultation submission"])
            page_errors = sum(
                int(r["Failure Count"])
                for n, r in rows.items()
                if n not in ("Aggregated", "consultation submission")
            )
            results["consultation submission"]["errors"] += page_errors
            # Each step's pages, timed by the server itself: Locust's own cost (in Python, on
            # the same two cores) would be measured otherwise.
            logged = server_times(log_path, submission_from)
            # Their baseline: the trivial view asked for between them, under the same load
            # (Locust's on the same cores, the submissions' writes), timed the same way.
            trivial_in_flow = server_figures(logged[("GET", "/bench/trivial/")])
            steps = [(f"step {slug}", f"{base}answer/{slug}/") for slug, _ in answers_in_order]
            for step, path in [*steps, ("check", f"{base}answer/check/")]:
                for method in ("GET", "POST"):
                    if logged.get((method, path)):
                        results[f"submission {step} ({method}, server)"] = server_figures(
                            logged[(method, path)]
                        )
            after = Response.objects.filter(consultation=consultation).count()
            references = refs.read_text().split() if refs.exists() else []
            stored = Response.objects.filter(
                consultation=consultation, reference__in=references
            ).count()
            notes["submissions"] = {
                "completed_flows": results["consultation submission"]["requests"]
                - results["consultation submission"]["errors"],
                "references_shown": len(references),
                "references_in_database": stored,
                "new_rows": after - before,
                "page_errors_in_flow": page_errors,
            }
            print("bench: staff CSV export (100k answers)", flush=True)
            export = export_timings(
                host, f"/staff/consultation/{consultation.slug}/export/answers.csv", session
            )
            ttfb = [t for _, t, _, _ in export]
            total = [t for _, _, t, _ in export]
            results["staff CSV export TTFB"] = {
                "requests": len(export), "errors": sum(s != 200 for s, *_ in export),
                "rps": None, "p50_ms": statistics.median(ttfb), "p95_ms": max(ttfb),
            }  # fmt: skip
            results["staff CSV export total"] = {
                "requests": len(export), "errors": sum(s != 200 for s, *_ in export),
                "rps": len(export) / (sum(total) / 1000), "p50_ms": statistics.median(total),
                "p95_ms": max(total),
            }  # fmt: skip
            notes["export_bytes"] = export[-1][3]
        finally:
            server.terminate()
            server.wait(timeout=30)
    if not QUICK:
        in_process(world, consultation, django_settings, results, notes, env, tmp)

    trivial = results["trivial"]["p50_ms"] or 1
    for name, figures in results.items():
        # A step timed by the server is compared with the trivial view timed the same way,
        # under the same load; a page under wrk, with the trivial view timed just before it.
        if figures.get("server"):
            baseline = trivial_in_flow["p50_ms"]
        else:
            baseline = baselines.get(name, trivial)
        figures["trivial_p50_ms"] = baseline
        figures["x_trivial_p50"] = round(figures["p50_ms"] / (baseline or 1), 1)
    results["trivial (server)"] = {**trivial_server, "x_trivial_p50": 1.0}
    results["trivial (server, between the submission's steps)"] = {
        **trivial_in_flow,
        "x_trivial_p50": 1.0,
    }
    public = [
        "home", "roadmap", "an activity", "consultation start", "consultation form",
        "consultation form (Yiddish)", "consultation findings", "job advert checker",
        "recommendations", "recommendation page", "open data: findings",
    ]  # fmt: skip
    public += [f"{name}, repeat visit (304)" for name in public if scenarios[name].get("repeat")]
    limits = {
        **dict.fromkeys(public, 1.5),
        "staff results (100k)": 5,
        "employer results (5k)": 5,
        **{name: 3 for name in results if name.startswith("submission ")},
    }
    targets = {
        f"{name} <= {limit}x": {"limit": limit, "met": results[name]["x_trivial_p50"] <= limit}
        for name, limit in limits.items()
    }
    errors = sum(f["errors"] for f in results.values())
    sub = notes["submissions"]
    # Flows still running when locust stops are finished but not counted in its stats;
    # every reference a resident was shown must be in the database, and nothing else new.
    accounted = (
        sub["references_shown"] == sub["references_in_database"] == sub["new_rows"]
        and sub["references_shown"] >= sub["completed_flows"]
    )
    if not QUICK:
        # An absolute limit: publishing runs in the background, but staff wait for it.
        targets["disclosure audit (100k) <= 5 s"] = {
            "met": results["disclosure audit (100k)"]["p50_ms"] <= 5000
        }
        # Each of 10,000 residents sent exactly one email, within a minute.
        news = notes["news"]
        targets["news to 10k residents <= 60 s, one each"] = {
            "met": news["seconds"] <= 60 and news["distinct"] == news["emails"] == NEWS_RECIPIENTS
        }
        # The jobs' own limits (issue 22): reminders due dispatched and sent, and the
        # mentor matching proposed over the seeded members.
        # As production sends them (a Celery worker), or in-process where Redis is missing.
        reminders = (
            results.get("reminder dispatch (10k)") or results["reminder dispatch (10k, in-process)"]
        )
        targets["reminder dispatch (10k) <= 10 s"] = {"met": reminders["p50_ms"] <= 10_000}
        targets["matching propose <= 0.5 s"] = {
            "met": results["matching propose (in-process)"]["p50_ms"] <= 500
        }
        # Server time for the whole page (form, every area of the check, the report).
        targets["advert check, 2,000 words <= 100 ms"] = {
            "met": results["advert check, 2,000 words (in-process)"]["p50_ms"] <= 100
        }
    targets["no errors"] = {"met": errors == 0, "errors": errors}
    targets["submissions accounted for"] = {"met": accounted}

    print()
    print(
        f"{'what':34} {'n':>6} {'err':>4} {'req/s':>8} {'p50 ms':>9} {'p95 ms':>9} "
        f"{'triv ms':>8} {'x triv':>7}"
    )
    for name, f in results.items():
        rps = f"{f['rps']:.1f}" if f["rps"] is not None else "-"
        baseline = f.get("trivial_p50_ms")
        baseline = f"{baseline:.1f}" if baseline is not None else "-"
        print(
            f"{name:34} {f['requests']:>6} {f['errors']:>4} {rps:>8} {f['p50_ms']:>9.1f} "
            f"{f['p95_ms']:>9.1f} {baseline:>8} {f['x_trivial_p50']:>7}"
        )
    print()
    print(f"export: {notes['export_bytes']:,} bytes; submissions: {json.dumps(sub)}")
    for name in ("reminders", "reminders_by_workers", "news"):
        if name in notes:
            print(f"{name}: {json.dumps(notes[name])}")
    for name, target in targets.items():
        print(f"target {name}: {'MET' if target['met'] else 'MISSED'}")
    elapsed = time.perf_counter() - total_started
    print(f"bench: whole run {elapsed:.0f}s (seeding {seed_seconds:.0f}s)")
    out = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "setup": {"gunicorn_workers": WORKERS, "locust_users": USERS, "seconds_per_run": SECONDS},
        "results": results, "targets": targets, "notes": notes,
        "seed_seconds": seed_seconds, "run_seconds": elapsed,
    }  # fmt: skip
    (ROOT / "bench/results.json").write_text(json.dumps(out, indent=2, default=str))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if all(t["met"] for t in targets.values()) else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--reminders-by-workers"]:
        import django

        django.setup()
        print(json.dumps(dispatch_to_workers()))
        sys.exit(0)
    sys.exit(main())
