"""A resident answers the community consultation in a real browser: a mistake, the error
summary, the correction, every page, check your answers, a change, and the reference
number. On a desktop, on a 320 px phone, and with JavaScript off."""

import re

import pytest
from playwright.sync_api import expect

from consultation.models import Contact, Response
from tests.consultation.factories import ConsultationFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize(
    ("javascript", "width"),
    [pytest.param(True, 1280, id="desktop"), pytest.param(True, 320, id="phone-320px"),
     pytest.param(False, 1280, id="no-javascript")],
)  # fmt: skip
def test_a_resident_answers_the_consultation(visitors, javascript, width):
    consultation = ConsultationFactory(title="Digital jobs: have your say")
    resident = visitors(javascript=javascript, width=width)
    page = resident.page

    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():  # on a phone, with JavaScript, the navigation folds into a menu
        menu.click()
    page.get_by_role("link", name="Consultation", exact=True).first.click()
    resident.follow(page.get_by_role("link", name="Digital jobs: have your say"))
    page.get_by_role("button", name="Start now").click()

    # Page 1: a way back to the start page, and where the resident is.
    expect(page.get_by_role("heading", level=1)).to_have_text("Barriers")
    back = page.get_by_role("link", name="Back", exact=True)
    expect(back).to_have_attribute("href", f"/consultation/{consultation.slug}/")
    expect(page.locator(".govuk-caption-l")).to_contain_text("1 of")
    resident.check()
    # Send it empty, and be told what to fix, once.
    page.get_by_role("button", name="Save and continue").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(page).to_have_title(re.compile("^Error:"))
    if javascript:
        # The summary takes focus, so it is read out first.
        expect(page.locator(".govuk-error-summary")).to_be_focused()
    resident.check()
    # The summary's link leads to the question; the answer is ticked from the keyboard.
    summary.get_by_role("link").first.click()
    page.get_by_role("checkbox", name="The cost of training or courses").focus()
    page.keyboard.press("Space")
    page.get_by_label("Anything else that makes it hard (optional)").fill("No laptop at home")
    page.get_by_role("button", name="Save and continue").press("Enter")

    # Page 2 onwards.
    expect(page.get_by_role("heading", level=1)).to_have_text("Changes you would ask for")
    resident.check()
    page.locator("fieldset").first.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Support and interest")
    resident.check()
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Anything else")
    resident.check()
    page.get_by_role("textbox").fill("Evening courses near Dalston, please.")
    page.get_by_role("button", name="Save and continue").click()

    for title in ("About you", "Your circumstances"):
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        resident.check()
        page.get_by_role("button", name="Save and continue").click()  # all optional

    expect(page.get_by_role("heading", level=1)).to_have_text("Hearing about opportunities")
    resident.check()
    page.get_by_role("button", name="Save and continue").click()

    # Check answers, change one, come back.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending them"
    )
    resident.check()
    expect(page.get_by_text("No laptop at home")).to_be_visible()
    # Grouped by the page each answer was given on; the consent once.
    for title in ("Barriers", "Changes you would ask for", "Anything else"):
        expect(page.get_by_role("heading", level=2, name=title)).to_be_visible()
    keys = page.locator(".govuk-summary-list__key")
    expect(keys.filter(has_text="Emails about opportunities")).to_have_count(1)
    page.get_by_role("link", name=re.compile("^Change Is there anything else")).click()
    expect(page.get_by_role("textbox")).to_have_value("Evening courses near Dalston, please.")
    page.get_by_role("textbox").fill("Weekend courses near Dalston, please.")
    page.get_by_role("button", name="Save and go back to check your answers").click()
    expect(page.get_by_text("Weekend courses near Dalston, please.")).to_be_visible()

    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers have been sent")
    resident.check()
    reference = page.locator(".reference").inner_text()
    response = Response.objects.get(consultation=consultation)
    assert response.reference == reference
    assert response.comments == "Weekend courses near Dalston, please."
    assert response.barriers_other == "No laptop at home"
    assert not Contact.objects.exists()

    # Back and send again: still one response.
    page.go_back()
    if page.get_by_role("button", name="Send my answers").count():
        page.get_by_role("button", name="Send my answers").click()
    assert Response.objects.filter(consultation=consultation).count() == 1
    assert resident.problems == []
