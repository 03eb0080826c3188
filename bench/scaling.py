"""`make bench-scale`: how the costs that read every answer grow with the number of answers.

For 10,000 and 100,000 consultation responses (and 1,000,000 with BENCH_SCALE_MILLION=1),
each in a consultation of its own seeded once on the bench database, it times in-process:

- **staff results**: the page as staff open it after a new answer came in (the figures
  counted again: ``figures_version`` moved on) and again while nothing changed (the
  figures and their charts kept), p50 of five each;
- **the CSV export** of every answer, streamed to the end, in a process of its own so that
  its peak memory (``ru_maxrss``) is the export's: the total time, the size, and how far
  the process grew beyond what it held before the export started;
- **the disclosure audit** a publishing run makes: every public breakdown built from cold
  and audited together.

It prints a table and writes bench/scaling.json. DATABASE_URL picks the database; unset,
a PostgreSQL database of its own (postgres://postgres@127.0.0.1:5432/dit_bench_scale),
created and migrated if missing.
"""

import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SIZES = [10_000, 100_000] + ([1_000_000] if os.environ.get("BENCH_SCALE_MILLION") == "1" else [])
REPEAT = 5
SCALE_DB = "postgres://postgres@127.0.0.1:5432/dit_bench_scale"


def scale_consultation(size: int):
    """A consultation of its own holding ``size`` responses, made and seeded once."""
    from django.db import connection
    from django.utils import timezone

    from bench.consultation_volume import add_responses
    from consultation import services
    from consultation.models import Consultation, Response

    slug = f"bench-scale-{size}"
    consultation = Consultation.objects.filter(slug=slug).first()
    if consultation is None:
        now = timezone.now()
        consultation = services.consultation_create(
            title=f"Benchmark: {size:,} answers",
            slug=slug,
            opens_at=now - datetime.timedelta(days=30),
            closes_at=now + datetime.timedelta(days=30),
            introduction="Benchmark data: every answer here was generated.",
            privacy_notice="Benchmark data.",
        )
    have = Response.objects.filter(consultation=consultation).count()
    if have < size:
        print(f"scale: adding {size - have:,} responses to {slug}", flush=True)
        add_responses(consultation, size - have, seed=size + have)
        # As autovacuum would have long since on a database that grew to this size: the
        # planner's statistics, and no vacuum of the new rows racing the timings.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    consultation.refresh_from_db()
    return consultation


def timed_get(client, url) -> float:
    """Milliseconds to get ``url``, which must answer 200."""
    started = time.perf_counter()
    page = client.get(url)
    if page.status_code != 200:
        sys.exit(f"scale: {url} answered {page.status_code}")
    return (time.perf_counter() - started) * 1000


def staff_results(client, consultation) -> dict:
    from django.core.cache import caches

    from consultation.services import figures_changed

    url = f"/staff/consultation/{consultation.slug}/results/"
    after_an_answer = []
    for _ in range(REPEAT):
        # As a new answer would: the figures counted again, and (being different) their
        # charts and tables rendered again.
        figures_changed(consultation_id=consultation.pk)
        caches["pages"].clear()
        after_an_answer.append(timed_get(client, url))
    unchanged = [timed_get(client, url) for _ in range(REPEAT)]
    return {
        "results_after_answer_ms": statistics.median(after_an_answer),
        "results_unchanged_ms": statistics.median(unchanged),
    }


def export_in_own_process(slug: str) -> dict:
    """Run the export in a child process (``--export``) and read what it reports."""
    run = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--export", slug],
        capture_output=True, text=True, check=True, env=os.environ,
    )  # fmt: skip
    return json.loads(run.stdout.strip().splitlines()[-1])


def rss_kb() -> int:
    """What this process holds now (VmRSS), in kilobytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def export(slug: str) -> dict:
    from django.test import Client

    from accounts.models import User
    from bench import run, seed

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = run.staff_session(User.objects.get(email=seed.STAFF_EMAIL))
    url = f"/staff/consultation/{slug}/export/answers.csv"
    client.get(f"/staff/consultation/{slug}/")  # imports and templates, before measuring
    before_kb = rss_kb()
    started = time.perf_counter()
    response = client.get(url)
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "export_s": seconds,
        "export_bytes": size,
        "export_rss_before_mb": before_kb / 1024,
        "export_peak_growth_mb": max(0, peak_kb - before_kb) / 1024,
        "status": response.status_code,
    }


def audit(consultation) -> float:
    from django.conf import settings
    from django.core.cache import cache

    from consultation import analysis
    from reporting.disclosure import protect_tables

    cache.clear()
    started = time.perf_counter()
    protect_tables(
        analysis.publishable_tables(consultation),
        threshold=settings.SUPPRESSION_THRESHOLD,
        protection=settings.DISCLOSURE_PROTECTION_RANGE,
    )
    return time.perf_counter() - started


def setup() -> None:
    from bench import run

    # A database of its own: a million answers beside `make bench`'s would change its figures.
    run.set_up_django(run.database_url(SCALE_DB))


def main() -> int:
    setup()
    from django.core.management import call_command
    from django.test import Client

    from bench import run, seed

    call_command("migrate", "--no-input", verbosity=0)
    staff = seed.accounts()["staff"]
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = run.staff_session(staff)
    rows = []
    for size in SIZES:
        consultation = scale_consultation(size)
        print(f"scale: timing {size:,} responses", flush=True)
        row = {"responses": size, **staff_results(client, consultation)}
        row.update(export_in_own_process(consultation.slug))
        row["audit_s"] = audit(consultation)
        rows.append(row)
    print()
    print(
        f"{'responses':>10} {'results, after an answer':>25} {'results, unchanged':>19} "
        f"{'export':>8} {'export size':>12} {'export peak RSS growth':>23} {'audit':>8}"
    )
    for row in rows:
        print(
            f"{row['responses']:>10,} {row['results_after_answer_ms']:>22.0f} ms "
            f"{row['results_unchanged_ms']:>16.1f} ms {row['export_s']:>6.1f} s "
            f"{row['export_bytes'] / 1e6:>9.0f} MB {row['export_peak_growth_mb']:>20.1f} MB "
            f"{row['audit_s']:>6.2f} s"
        )
    (ROOT / "bench/scaling.json").write_text(
        json.dumps(
            {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "rows": rows}, indent=2
        )
    )
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--export"]:
        setup()
        print(json.dumps(export(sys.argv[2])))
        sys.exit(0)
    sys.exit(main())
