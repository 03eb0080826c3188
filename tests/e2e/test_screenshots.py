"""The main pages of each role at a desktop's width (1280 px) and a small phone's (320 px):
each is kept as a screenshot in ``test-artifacts/screenshots/pages/`` (CI keeps the folder
as an artefact, for review of the design); at 320 px no page is wider than the screen or
has an axe violation (the every-page gate checks them all at 1280 px), and at 1280 px no
table scrolls sideways."""

import pytest
from django.urls import reverse

from consultation.forms import STEPS
from tests import world
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# role -> the pages that person spends their time on.
MAIN_PAGES = {
    "anonymous": [
        "home",
        "milestones:roadmap",
        "milestones:activity_detail",
        "consultation:detail",
        "consultation:step",
        "consultation:findings",
        "employers:advert_checker",
        "network:index",
        "account_login",
    ],
    "employer": ["employers:survey"],
    "member": ["network:profile", "network:members", "network:events"],
    "coordinator": ["network:applications", "network:cohort", "network:mentoring"],
    "staff": [
        "staff_home",
        "consultation_staff:results",
        "consultation_staff:coding",
        "employers:staff_survey",
        "milestones:staff_roadmap",
    ],
}
WIDTHS = (1280, 320)


def _address(built, name):
    params = built.params.get(name, {})
    if name == "consultation:step":
        params = {**params, "step_slug": STEPS[0].slug}
    return reverse(name, kwargs=params)


def test_main_pages_of_each_role_fit_a_phone_and_are_kept_as_screenshots(visitors):
    built = world.build()
    folder = ARTIFACTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    problems, taken = [], []
    for width in WIDTHS:
        for role, names in MAIN_PAGES.items():
            visitor = visitors(user=built.users[role], width=width)
            for name in names:
                response = visitor.page.goto(_address(built, name))
                if response.status != 200:
                    problems.append(f"{name} as {role} at {width}px: {response.status}")
                    continue
                if width < 1280:
                    visitor.check()
                else:
                    problems += visitor.tables_scrolling()
                path = folder / f"{role}-{name.replace(':', '-')}-{width}.png"
                visitor.page.screenshot(path=str(path), full_page=True)
                taken.append(path)
            problems += visitor.problems

    assert problems == [], "\n".join(problems)
    assert all(path.stat().st_size > 0 for path in taken)
    assert len(taken) == 2 * sum(len(names) for names in MAIN_PAGES.values())
