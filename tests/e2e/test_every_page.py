"""Every page of the portal, found from the URLconf, opened in a real browser by someone
allowed to see it: zero axe-core violations of WCAG 2.0/2.1/2.2 A and AA, nothing refused by
the Content Security Policy or failing in the console, and valid HTML by the Nu Html
Checker; and at 1280 px no table scrolls sideways. A new page is covered as soon as it has
a rule in ``tests/gates.py``.
"""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from consultation import easy_read
from consultation.forms import STEPS
from tests import world
from tests.e2e.conftest import ADMIN_KNOWN_AXE, vnu_errors
from tests.gates import admin_params, expected, url_names

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Who looks first: the least privileged person who may see a page sees it as most will.
ORDER = world.ROLES

# Django's own admin markup fails these checks too (see ADMIN_KNOWN_AXE); listed in the
# accessibility statement. Anywhere else, or any other check, fails the gate.
ADMIN_KNOWN_VNU = (
    "The “aria-describedby” attribute must point to an element in the same document.",
    "Attribute “disabled” not allowed on element “div” at this point.",
    "No “p” element in scope but a “p” end tag seen.",
)


def _after_asking_for_a_code(visitor):
    """The page for a reauthentication code, which only follows asking for one."""
    visitor.page.goto(reverse("account_request_reauthentication_code"))
    confirm = reverse("account_confirm_reauthentication_code")
    with visitor.page.expect_response(lambda r: r.url.endswith(confirm)) as response:
        visitor.page.get_by_role("button", name="Request code", exact=True).click()
    return response.value


# Pages that only follow a step before them: (who, the step, which returns its response).
STEPPED = {"account_confirm_reauthentication_code": ("staff", _after_asking_for_a_code)}


def _pages(built) -> list[tuple[str, str, str]]:
    """(URL name, address, role) for every HTML page someone may GET; the resident
    journey's pages in each language, right to left included."""
    pages = []
    for name in url_names():
        params = admin_params(name) if name.startswith("admin:") else built.params.get(name, {})
        if params is None:
            continue
        codes = expected(name)
        role = next((r for r in ORDER if codes[r] == 200), None)
        if role is None:
            continue
        steps = (
            [{"step_slug": step.slug} for step in STEPS] if name == "consultation:step" else [{}]
        )
        in_languages = settings.LANGUAGES if name.startswith("consultation:") else [("", "")]
        if name == "consultation:easy_read":
            in_languages = [(c, n) for c, n in in_languages if easy_read.offered_in(c)]
        for code, _language in in_languages:
            for step in steps:
                with translation.override(code or settings.LANGUAGE_CODE):
                    url = reverse(name, kwargs={**params, **step})
                label = ":".join(filter(None, (name, step.get("step_slug"), code)))
                pages.append((label, url, role))
    return pages


def test_every_page_is_accessible_and_valid(visitors):
    built = world.build()
    browsers = {}
    violations, problems, html = [], [], {}
    for name, url, role in _pages(built):
        if role not in browsers:
            browsers[role] = visitors(user=built.users[role])
        visitor = browsers[role]
        # Files (calendars, exports, JSON) are checked by their own tests; a browser would
        # download them rather than show them.
        if "text/html" not in visitor.page.request.get(url).headers.get("content-type", ""):
            continue
        response = visitor.page.goto(url)
        if response.status != 200:
            problems.append(f"{name} {url} as {role}: {response.status}")
            continue
        html[f"{name} {url}"] = response.text()
        in_admin = name.startswith("admin:")
        violations += [
            text for rule, text in visitor.axe() if not (in_admin and rule in ADMIN_KNOWN_AXE)
        ]
        if not in_admin:
            problems += visitor.tables_scrolling()
    for name, (role, step) in STEPPED.items():
        visitor = browsers.get(role) or visitors(user=built.users[role])
        response = step(visitor)
        if response.status != 200:
            problems.append(f"{name} as {role}: {response.status}")
            continue
        html[f"{name} {response.url}"] = response.text()
        violations += [text for _rule, text in visitor.axe()]
    for visitor in browsers.values():
        problems += visitor.problems
    errors = [
        text
        for text in vnu_errors(html)
        if not (text.startswith("admin:") and any(known in text for known in ADMIN_KNOWN_VNU))
    ]

    assert len(html) > 100, "the gate should reach every page"
    failures = problems + violations + errors
    assert failures == [], "\n".join(failures)
