"""The network and the staff at work, in a real browser: a member applies, is approved,
RSVPs and is matched with a mentor; a coordinator signs in with a second factor, runs a
course cohort and the matching; commission staff code free-text answers and export them."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import roles
from consultation.models import ResponseTheme
from network import services as network
from network.models import Event, EventRsvp, MatchStatus, MentoringMatch, Place
from tests.conftest import PASSWORD, make_user, totp_code
from tests.consultation.factories import ConsultationFactory, submit
from tests.network.factories import member

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sign_in(visitor, user, *, second_factor=None):
    """Through the sign-in page, by keyboard, as a person would. Staff roles land on their
    dashboard of what needs doing, straight after the second factor."""
    page = visitor.page
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    if second_factor:
        page.get_by_label("Code").fill(second_factor())
        page.get_by_label("Code").press("Enter")
        expect(page).to_have_url(re.compile(r"/staff/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("What needs doing")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def error_summary(page) -> list[str]:
    """The messages of the page's GOV.UK error summary, in order."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    return summary.get_by_role("listitem").all_inner_texts()


def _event():
    start = timezone.now() + datetime.timedelta(days=20)
    return network.event_save(
        title="Data careers meet-up",
        description="An unconference.",
        mode=Event.Mode.ONLINE,
        format=Event.Format.UNCONFERENCE,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        online_url="https://meet.example.org/wdln",
        capacity=20,
    )


def test_a_member_applies_is_approved_rsvps_and_is_matched(visitors, mailoutbox):
    mentor = member("Grace Mentor", org="Camden", seniority=7, offers=True, topics=["Data"])
    member("Bo Seeker", org="Brent", seeks=True, topics=["Procurement law"])
    _event()
    coordinator = make_user(
        "coordinator@example.org", groups=(roles.NETWORK_COORDINATORS,), mfa=True
    )
    applicant = make_user("ada@example.org")

    ada = visitors()
    sign_in(ada, applicant)
    page = ada.page
    page.goto("/network/")
    ada.check()
    page.get_by_role("button", name="Apply to join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply to join the network")
    ada.check()
    # Sent empty, each missing answer is named once, and links to its question.
    page.get_by_label("Your name").fill("")
    ada.follow(page.get_by_role("button").filter(has_text=re.compile("Apply|Send")).first)
    assert error_summary(page) == [
        "Enter your name",
        "Select your organisation",
        "Enter your job title",
        "Select your level",
        "Select your discipline",
        "Confirm that you are a woman, non-binary or gender-nonconforming",
    ]
    page.locator(".govuk-error-summary").get_by_role("link", name="Select your level").click()
    expect(page.get_by_role("group", name="Your level").get_by_role("radio").first).to_be_focused()
    page.get_by_label("Your name").fill("Ada Applicant")
    page.get_by_label("Your organisation").select_option(label="Hackney")
    page.get_by_label("Your job title").fill("Data analyst")
    page.get_by_role("group", name="Your level").get_by_role("radio").nth(2).check()
    page.get_by_role("group", name="Your discipline").get_by_role("radio").nth(1).check()
    page.get_by_label("I am a woman, non-binary or gender-nonconforming").check()
    ada.follow(page.get_by_role("button").filter(has_text=re.compile("Apply|Send")).first)

    cora = visitors()
    sign_in(cora, coordinator, second_factor=lambda: totp_code(coordinator.totp_secret))
    page = cora.page
    cora.check()
    applications = page.locator('[data-task="applications"]')
    expect(applications).to_contain_text("1 to do")
    cora.follow(applications.get_by_role("link"))
    cora.follow(page.get_by_role("link", name=re.compile("Ada Applicant")))
    page.get_by_role("radio", name=re.compile("Approve")).check()
    page.get_by_role("button").filter(has_text=re.compile("Save|Decide|Send")).first.click()
    assert any("ada@example.org" in m.to for m in mailoutbox)

    # Approved: she says she would like a mentor in data, and RSVPs to the meet-up.
    page = ada.page
    page.goto("/network/profile/")
    ada.check()
    # No placeholder radio for level or discipline.
    expect(page.get_by_text("---------")).to_have_count(0)
    expect(page.locator('input[type="radio"][value=""]')).to_have_count(0)
    # Only mentors are asked how many mentees they can take.
    capacity = page.get_by_label("How many mentees I can take")
    expect(capacity).to_be_hidden()
    page.get_by_label("I can mentor").check()
    expect(capacity).to_be_visible()
    page.get_by_label("I can mentor").uncheck()
    page.get_by_label("I would like a mentor").check()
    page.get_by_role("group", name="Mentoring topics").get_by_role(
        "checkbox", name="Data", exact=True
    ).check()
    page.get_by_role("button").filter(has_text=re.compile("Save")).first.click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)

    # The directory filters down to the mentors.
    page.goto("/network/members/")
    ada.check()
    page.get_by_label("Mentors only").check()
    ada.follow(page.get_by_role("button", name="Apply filters"))
    expect(page.get_by_role("heading", name="1 member")).to_be_visible()
    expect(page.get_by_text("Grace Mentor")).to_be_visible()

    page.goto("/network/events/")
    ada.check()
    ada.follow(page.get_by_role("link", name="Data careers meet-up"))
    page.get_by_role("button", name=re.compile("going|place|RSVP|come", re.I)).first.click()
    # Giving the place up asks first; keeping it changes nothing.
    ada.follow(page.get_by_role("button", name="I can no longer come"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Give up your place at Data careers meet-up?"
    )
    ada.follow(page.get_by_role("link", name="Keep my place"))
    expect(page.get_by_role("button", name="I can no longer come")).to_be_visible()
    assert EventRsvp.objects.filter(member__name="Ada Applicant", status="going").exists()

    # The coordinator proposes pairs for the whole network, and confirms hers.
    page = cora.page
    page.goto("/staff/network/mentoring/")
    cora.check()
    cora.follow(page.get_by_role("button", name="Propose pairs"))
    # Each pair's fit is the sum of its parts; whoever is left out is named, with why.
    proposal = page.locator(".govuk-summary-card").filter(
        has_text="Grace Mentor to mentor Ada Applicant"
    )
    expect(proposal).to_contain_text("1 shared topic")
    expect(proposal).to_contain_text("mentor 4 levels more senior")
    left_out = page.get_by_role("row").filter(has_text="Bo Seeker")
    expect(left_out).to_contain_text(
        "No mentor shares a topic with them (they chose Procurement law)."
    )
    page.get_by_role("button", name=re.compile("Confirm and email")).first.click()
    match = MentoringMatch.objects.get(mentee__name="Ada Applicant")
    assert (match.mentor, match.status) == (mentor, MatchStatus.CONFIRMED)

    page = ada.page
    page.goto("/network/profile/")
    expect(page.get_by_text("Grace Mentor")).to_be_visible()
    assert ada.problems + cora.problems == []


def test_a_coordinator_runs_a_cohort(visitors):
    coordinator = make_user(
        "coordinator@example.org", groups=(roles.NETWORK_COORDINATORS,), mfa=True
    )
    people = [
        member(f"Member {n}", org=org) for n, org in enumerate(("Hackney", "Hackney", "Camden"))
    ]
    cora = visitors(user=coordinator)
    page = cora.page

    page.goto("/staff/network/cohorts/")
    cora.check()
    starts = timezone.localdate() + datetime.timedelta(days=40)
    starting = page.get_by_role("group", name="Starts")
    for part, value in (("Day", starts.day), ("Month", starts.month), ("Year", starts.year)):
        starting.get_by_label(part).fill(str(value))
    page.get_by_role("button", name="Set up the cohort").click()
    expect(page.get_by_role("heading", name="Reflection sessions")).to_be_visible()
    cora.check()
    for person in people:
        choice = page.get_by_label("Nominate a member")
        choice.select_option(choice.locator("option", has_text=person.name).get_attribute("value"))
        # The organisation's commitment, for a place the network may not fund.
        page.get_by_label("Yes: the organisation has agreed to pay").check()
        page.get_by_label("Who agreed the spend (name and job title)").fill("Dee Director")
        page.get_by_label("Budget code or purchase order").fill("PO-1")
        agreed = page.get_by_role("group", name="Agreed on")
        for part, value in (("Day", 20), ("Month", 11), ("Year", 2026)):
            agreed.get_by_label(part).fill(str(value))
        page.get_by_role("button", name=re.compile("^Nominate")).click()
    cora.check()
    places = Place.objects.order_by("pk")
    assert [p.funder for p in places] == ["network", "organisation", "network"]
    # The summary and the budget first, then the people, then the organisations with places
    # (the rest behind "Show all").
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert (
        headings.index("Summary")
        < headings.index("Budget")
        < headings.index("People with places")
        < headings.index("Organisations with places")
    )
    organisations = page.get_by_role("table", name="Places by organisation and funder")
    assert organisations.get_by_role("rowheader").all_inner_texts() == ["Camden", "Hackney"]
    expect(page.get_by_text(re.compile(r"^Show all \d+ organisations$"))).to_be_visible()
    # Each funding decision in words: why Member 1 pays and Member 2 does not.
    people = page.get_by_role("table", name=re.compile("People with places"))
    expect(people.get_by_role("row").filter(has_text="Member 1")).to_contain_text(
        "Paid by organisation: Hackney's network-funded place is taken by Member 0"
    )
    expect(people.get_by_role("row").filter(has_text="Member 2")).to_contain_text(
        "Network-funded: first nominee from Camden"
    )
    page.get_by_role("button", name=re.compile("Confirm")).first.click()
    assert Place.objects.filter(status="confirmed").count() == 1

    # Withdrawing asks first, and says what follows.
    cora.follow(page.get_by_role("link", name="Withdraw Member 2"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw Member 2's place?")
    cora.follow(page.get_by_role("button", name="Withdraw the place"))
    assert Place.objects.get(member__name="Member 2").status == "withdrawn"
    assert cora.problems == []


def test_staff_code_free_text_and_export(visitors):
    consultation = ConsultationFactory(title="Have your say")
    submit(consultation, comments="Courses in the evening would help me most.")
    for _ in range(5):
        submit(consultation, age_band="55_64")
    staff = make_user("staff@example.org", groups=(roles.COMMISSION_STAFF,), mfa=True)
    sam = visitors()
    sign_in(sam, staff, second_factor=lambda: totp_code(staff.totp_secret))
    page = sam.page
    sam.check()
    coding = page.locator('[data-task="coding"]')
    expect(coding).to_contain_text("1 to do")

    # Results: a chart comparing the groups, and the same figures in a table.
    page.goto(f"/staff/consultation/{consultation.slug}/results/?by=age_band")
    sam.check()
    chart = page.locator("h2", has_text="Barriers residents face").locator(
        "xpath=following-sibling::*[1][local-name()='svg']"
    )
    for group in ("All respondents", "25 to 34", "55 to 64"):
        expect(chart.get_by_text(group, exact=True).first).to_be_attached()
    table = page.get_by_role("table", name=re.compile("^Barriers, by Age"))
    expect(table.get_by_role("columnheader", name="55 to 64")).to_be_visible()

    # The dashboard's task leads straight to the answers waiting to be coded.
    page.goto("/staff/")
    sam.follow(coding.get_by_role("link"))
    expect(page.get_by_text("Courses in the evening would help me most.")).to_be_visible()
    page.get_by_label("Add a new theme and apply it (optional)").fill("Course times")
    sam.follow(page.get_by_role("button").filter(has_text=re.compile("Save|Code")).first)
    assert ResponseTheme.objects.filter(theme__name="Course times").count() == 1

    page.goto(f"/staff/consultation/{consultation.slug}/")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Download every answer")).click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Courses in the evening would help me most." in text
    assert "Course times" in text
    # Each coded answer as its label and its code, for analysts.
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {(r["age_band"], r["age_band_code"]) for r in rows} == {
        ("25 to 34", "25_34"),
        ("55 to 64", "55_64"),
    }
    assert sam.problems == []
