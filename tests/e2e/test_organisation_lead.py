"""An organisation lead at work, in a real browser: a member asks for a course place from
My network; Hackney's lead approves it, recording that Hackney will pay if the network does
not (the missing details named first), and nominates a second member for a network-funded
place only; the coordinator gives the places, and the second is refused with the reason."""

import pytest
from playwright.sync_api import expect

from network.models import Funder, NominationStatus
from tests.network.factories import cohort, lead, member

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_lead_approves_nominates_and_commits_the_organisations_budget(visitors, coordinator):
    course = cohort()
    hackney = lead("Hackney", email="lola.lead@example.org")
    mina = member("Mina Member", org="Hackney")
    sade = member("Sade Second", org="Hackney")

    asking = visitors(user=mina.user)
    page = asking.page
    page.goto("/network/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My network")
    asking.check()
    page.get_by_role("link", name=f"Ask for a place on {course}").click()
    page.get_by_label("Why this course, now (optional)").fill("To present to our leadership")
    page.get_by_role("button", name="Ask for a place").click()
    expect(page.get_by_text("Your request has been sent to Hackney's leads.")).to_be_visible()
    expect(page.get_by_text("Asked, waiting for the organisation")).to_be_visible()

    leading = visitors(user=hackney, width=375)
    page = leading.page
    page.goto("/network/organisation/")
    leading.check()
    page.get_by_role("link", name=f"Mina Member, for {course}").click()
    expect(page.get_by_text("To present to our leadership")).to_be_visible()
    page.get_by_label("Approve for the organisation").check()
    page.get_by_label("Yes: the organisation has agreed to pay").check()
    page.get_by_label("Who agreed the spend (name and job title)").fill("Dee Director")
    page.get_by_role("button", name="Save the decision").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    assert summary.get_by_role("listitem").all_inner_texts() == [
        "Enter the budget code or purchase order",
        "Enter the date the spend was agreed",
    ]
    expect(page.get_by_label("Who agreed the spend (name and job title)")).to_have_value(
        "Dee Director"
    )
    leading.check()
    page.get_by_label("Budget code or purchase order").fill("PO-4471")
    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Save the decision").click()
    expect(
        page.get_by_text("Approved for Hackney: the coordinators decide the place.")
    ).to_be_visible()
    expect(page.get_by_text("Pays if needed: agreed by Dee Director, PO-4471")).to_be_visible()

    page.get_by_label("Cohort").select_option(label=str(course))
    page.get_by_label("Member", exact=True).select_option(label="Sade Second (Hackney)")
    page.get_by_label("No: only a network-funded place").check()
    page.get_by_role("button", name="Nominate").click()
    expect(
        page.get_by_text("Sade Second is nominated; the coordinators decide the place.")
    ).to_be_visible()
    leading.check()

    running = visitors(user=coordinator)
    page = running.page
    page.goto(course.get_absolute_url())
    page.get_by_role("button", name="Give a place Mina Member").click()
    expect(page.get_by_text("Mina Member: Nominated.")).to_be_visible()
    page.get_by_role("button", name="Give a place Sade Second").click()
    expect(
        page.get_by_text("Hackney's network-funded places on this cohort are taken")
    ).to_be_visible()
    running.check()

    mina.refresh_from_db()
    place = course.places.get(member=mina)
    assert (place.funder, place.nomination.commitment_reference) == (Funder.NETWORK, "PO-4471")
    assert sade.nominations.get().status == NominationStatus.APPROVED  # waits for the release
    for visitor in (asking, leading, running):
        assert visitor.problems == []
