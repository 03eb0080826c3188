"""The loop closed, in a real browser: a visitor goes from a roadmap activity to the
recommendation it serves, to the theme residents raised and the published figure behind
it, to what the commission did about that theme, and back to the roadmap. On a desktop
and on a 320 px phone with JavaScript off."""

import pytest
from playwright.sync_api import expect

from recommendations import services
from tests.milestones.factories import ActivityFactory
from tests.recommendations.factories import (
    CHILDCARE,
    published_consultation,
    recommendation,
    rest_on_theme,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize(
    ("javascript", "width"),
    [pytest.param(True, 1280, id="desktop"), pytest.param(False, 320, id="phone-no-javascript")],
)  # fmt: skip
def test_a_visitor_traces_a_recommendation_to_what_residents_said_and_back(
    visitors, javascript, width
):
    consultation = published_consultation()
    made = recommendation(1, title="Childcare for residents on courses")
    rest_on_theme(made, consultation, CHILDCARE, note="Raised most often.")
    offer = ActivityFactory(title="Skills offer for residents", starts_on="2024-02-01")
    services.action_add(recommendation=made, activity=offer)

    visitor = visitors(javascript=javascript, width=width)
    page = visitor.page
    page.goto(offer.get_absolute_url())
    visitor.check()
    visitor.follow(page.get_by_role("link", name="1. Childcare for residents on courses"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Childcare for residents on courses")
    visitor.check()
    expect(page.get_by_text("24 (60.0%) residents")).to_be_visible()
    expect(page.get_by_text("1 of 1 roadmap activity done")).to_be_visible()
    visitor.follow(page.get_by_role("link", name="See the findings"))

    expect(page.get_by_role("heading", level=1)).to_contain_text("Findings")
    visitor.follow(page.get_by_role("link", name="You said, we did", exact=False).first)

    expect(page.get_by_role("heading", level=1)).to_have_text("You said, we did")
    card = page.locator(".govuk-summary-card").filter(has_text=CHILDCARE)
    expect(card.get_by_text("Raised in")).to_contain_text("24")
    visitor.follow(card.get_by_role("link", name="1. Childcare for residents on courses"))

    visitor.follow(page.get_by_role("link", name="Skills offer for residents").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Skills offer for residents")
