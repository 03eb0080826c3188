"""An employer follows an invitation, saves a draft, comes back, submits; an admin edits a
roadmap activity. In a real browser, with axe on every page they pass through."""

import re

import pytest
from playwright.sync_api import expect

from employers import services as employer_services
from employers.models import EmployerResponse
from milestones import services as roadmap
from milestones.models import Activity
from tests.conftest import make_user
from tests.employers.factories import EmployerFactory, SurveyFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_employer_saves_a_draft_comes_back_and_submits(visitors):
    survey = SurveyFactory(title="Recruiting locally")
    employer = EmployerFactory(name="Dalston Digital Ltd")
    invitation = employer_services.invitation_create(
        survey=survey, employer=employer, email="hr@dalston.example", invited_by=None
    )
    link = invitation.get_absolute_url()

    contact = visitors()
    page = contact.page
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Recruiting locally")
    contact.check()
    barriers = page.get_by_role("group", name=re.compile("What makes it hard to recruit"))
    barriers.get_by_role("checkbox").first.check()
    page.get_by_label("1st, the most important").select_option(label="Communication")
    # The same skill twice cannot be saved: said at the top, with what to change, and
    # nothing typed is lost.
    page.get_by_label("3rd").select_option(label="Communication")
    page.get_by_role("button", name="Save and come back later").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_contain_text("Your answers have not been saved")
    expect(summary).to_contain_text("Choose each skill only once")
    contact.check()
    assert not EmployerResponse.objects.filter(employer=employer).exists()
    expect(barriers.get_by_role("checkbox").first).to_be_checked()
    page.get_by_label("3rd").select_option(index=0)
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your answers are saved")
    contact.check()
    assert EmployerResponse.objects.get(employer=employer).status == "draft"
    contact.close()

    # Another day, another browser: the same link brings the draft back.
    later = visitors()
    page = later.page
    page.goto(link)
    expect(page.get_by_label("1st, the most important")).to_have_value(
        str(survey.skills.get(name="Communication").pk)
    )
    # Going on without all that is needed: told what, nothing lost.
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    later.check()
    expect(page.get_by_label("1st, the most important")).to_have_value(
        str(survey.skills.get(name="Communication").pk)
    )
    page.get_by_label("2nd").select_option(label="Problem solving")
    changes = page.get_by_role("group", name=re.compile("What changes would help you"))
    changes.get_by_role("checkbox").first.check()
    page.get_by_role("group", name="Do you offer apprenticeships?").get_by_role(
        "radio"
    ).first.check()
    offers = page.get_by_role("group", name=re.compile("What would your organisation offer"))
    offers.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Continue").click()

    # Check the answers, warned that submitting locks them.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before submitting them"
    )
    later.check()
    expect(page.get_by_text("Submitting locks your answers")).to_be_visible()
    expect(page.get_by_text("Problem solving")).to_be_visible()
    assert EmployerResponse.objects.get(employer=employer).status == "draft"
    page.get_by_role("button", name="Submit answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your answers are submitted"
    )
    later.check()
    response = EmployerResponse.objects.get(employer=employer)
    assert response.status == "submitted"
    assert [r.skill.name for r in response.ranks.order_by("rank")] == [
        "Communication",
        "Problem solving",
    ]
    # Read-only from now on.
    page.goto(link)
    expect(page.get_by_role("button", name="Continue")).to_have_count(0)
    assert contact.problems + later.problems == []


def test_an_admin_edits_a_roadmap_activity(visitors):
    roadmap.roadmap_load()
    admin = make_user("admin@example.org", superuser=True, mfa=True)
    visitor = visitors(user=admin)
    page = visitor.page

    page.goto("/admin/")
    visitor.check()
    visitor.follow(page.get_by_role("link", name="Activities"))
    visitor.follow(page.get_by_role("link", name="Cabinet Paper"))
    page.get_by_label("Title").fill("Cabinet paper agreed")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    assert Activity.objects.get(slug="cabinet-paper").title == "Cabinet paper agreed"
    page.goto("/roadmap/cabinet-paper/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cabinet paper agreed")
    assert visitor.problems == []
