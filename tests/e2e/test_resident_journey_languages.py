"""A resident answers the consultation in Yiddish, right to left, on a 320 px phone: from
the English start page, by the language switcher, to a reference number. Another answers
the Easy Read version, from its start page to a reference number."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from consultation import services
from consultation.models import Response, Version
from tests.conftest import make_user
from tests.consultation.factories import ConsultationFactory, translate_all

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

YIDDISH = {
    "title": "דיגיטאלע ארבעט: זאגט אייער מיינונג",
    "introduction": "די קאמיסיע וויל הערן פון איינוואוינער.",
    "privacy_notice": "אייערע ענטפערס זענען אנאנים.",
}


def in_yiddish(text: str) -> str:
    with translation.override("yi"):
        return gettext(text)


def test_a_resident_answers_in_yiddish_on_a_phone(visitors):
    consultation = ConsultationFactory(title="Digital jobs: have your say")
    reviewer = make_user("translator@example.org")
    for part, text in YIDDISH.items():
        services.translation_save(
            consultation=consultation, language="yi", part=part, text=text, reviewed_by=reviewer
        )
    # The shipped drafts of its answer lists and news topics, checked by a fluent speaker.
    for draft in consultation.translations.filter(language="yi", status="draft"):
        services.translation_review(translation=draft, reviewed_by=reviewer)

    resident = visitors(width=320)
    page = resident.page
    page.goto(consultation.get_absolute_url())
    resident.follow(page.locator(".portal-language-switcher").get_by_role("link", name="ייִדיש"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "yi")
    expect(page.get_by_role("heading", level=1)).to_have_text(YIDDISH["title"])

    page.get_by_role("button", name=in_yiddish("Start now")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(in_yiddish("Barriers"))
    resident.check()
    page.locator("fieldset").first.get_by_role("checkbox").first.check()
    page.get_by_role("button", name=in_yiddish("Save and continue")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        in_yiddish("Changes you would ask for")
    )
    resident.check()
    page.locator("fieldset").first.get_by_role("checkbox").first.check()
    page.get_by_role("button", name=in_yiddish("Save and continue")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(in_yiddish("Support and interest"))
    resident.check()
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name=in_yiddish("Save and continue")).click()

    for title in (
        "Anything else",
        "About you",
        "Your circumstances",
        "Hearing about opportunities",
    ):
        expect(page.get_by_role("heading", level=1)).to_have_text(in_yiddish(title))
        resident.check()
        page.get_by_role("button", name=in_yiddish("Save and continue")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        in_yiddish("Check your answers before sending them")
    )
    resident.check()
    page.get_by_role("button", name=in_yiddish("Send my answers")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        in_yiddish("Your answers have been sent")
    )
    resident.check()
    reference = page.locator(".reference").inner_text()
    response = Response.objects.get(consultation=consultation)
    assert response.reference == reference
    assert response.language == "yi"
    assert resident.problems == []


def test_a_resident_answers_the_easy_read_version(visitors):
    consultation = ConsultationFactory(title="Digital jobs: have your say")
    resident = visitors()
    page = resident.page
    page.goto(consultation.get_absolute_url())
    resident.follow(
        page.get_by_role("link", name="Easy Read version: short sentences and pictures")
    )
    expect(page.get_by_role("img", name="A person sits at a computer.")).to_be_visible()
    page.get_by_role("button", name="Start").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Things that make it hard")
    expect(
        page.get_by_role("img", name=re.compile("^A person stands in front of a wall"))
    ).to_be_visible()
    resident.check()
    page.get_by_role("button", name="Save and continue").click()  # nothing ticked
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    page.get_by_role("checkbox", name="Not knowing anyone who works in tech").check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("What should change")
    resident.check()
    page.get_by_role("checkbox", name="More apprenticeships").check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Help you would like")
    resident.check()
    page.get_by_role("group", name="Would you like a job in digital tech?").get_by_role(
        "radio"
    ).first.check()
    page.get_by_role("button", name="Save and continue").click()

    for title in ("Anything else", "About you", "Your life", "Hear from us"):
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        expect(page.locator(".portal-easy-read__picture")).to_have_count(1)
        resident.check()
        page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending them"
    )
    resident.check()
    expect(page.get_by_role("heading", level=2, name="Things that make it hard")).to_be_visible()
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers have been sent")
    resident.check()
    response = Response.objects.get(consultation=consultation)
    assert response.reference == page.locator(".reference").inner_text()
    assert response.version == Version.EASY_READ
    assert [o.label for o in response.options.all()] == [
        "Not knowing anyone who works in tech",
        "More apprenticeships",
    ]
    assert resident.problems == []


def test_enter_in_a_box_saves_and_continues_rather_than_switching_language(visitors):
    consultation = ConsultationFactory(title="Digital jobs: have your say")
    reviewer = make_user("translator@example.org")
    translate_all(consultation, "tr", reviewer)
    resident = visitors()
    page = resident.page
    page.goto(f"/consultation/{consultation.slug}/answer/contact/")
    expect(
        page.locator(".portal-language-switcher").get_by_role("button", name="Türkçe")
    ).to_be_visible()
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_role("checkbox").first.check()
    with page.expect_navigation():
        page.get_by_label("Email address").press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    expect(page.get_by_role("heading", level=1)).to_have_text("Barriers")
    assert resident.problems == []
