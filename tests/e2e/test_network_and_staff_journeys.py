"""The network and the staff at work, in a real browser: a member applies, is approved,
RSVPs and is matched with a mentor; a coordinator signs in with a second factor, runs a
course cohort and the matching; commission staff code free-text answers and export them."""

import datetime
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
    """Through the sign-in page, by keyboard, as a person would."""
    page = visitor.page
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    if second_factor:
        page.get_by_label("Code").fill(second_factor())
        page.get_by_label("Code").press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


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
    page.goto("/staff/network/applications/")
    cora.check()
    cora.follow(page.get_by_role("link", name=re.compile("Ada Applicant")))
    page.get_by_role("radio", name=re.compile("Approve")).check()
    page.get_by_role("button").filter(has_text=re.compile("Save|Decide|Send")).first.click()
    assert any("ada@example.org" in m.to for m in mailoutbox)

    # Approved: she says she would like a mentor in data, and RSVPs to the meet-up.
    page = ada.page
    page.goto("/network/profile/")
    ada.check()
    page.get_by_label("I would like a mentor").check()
    page.get_by_role("group", name="Mentoring topics").get_by_role(
        "checkbox", name="Data", exact=True
    ).check()
    page.get_by_role("button").filter(has_text=re.compile("Save")).first.click()
    page.goto("/network/events/")
    ada.check()
    ada.follow(page.get_by_role("link", name="Data careers meet-up"))
    page.get_by_role("button", name=re.compile("going|place|RSVP|come", re.I)).first.click()
    expect(page.get_by_role("button", name="I can no longer come")).to_be_visible()
    assert EventRsvp.objects.filter(member__name="Ada Applicant", status="going").exists()

    # The coordinator proposes pairs for the whole network, and confirms hers.
    page = cora.page
    page.goto("/staff/network/mentoring/")
    cora.check()
    cora.follow(page.get_by_role("button", name="Propose pairs"))
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
    page.get_by_label("Starts").fill(starts.isoformat())
    page.get_by_role("button", name="Set up the cohort").click()
    expect(page.get_by_role("heading", name="Reflection sessions")).to_be_visible()
    cora.check()
    for person in people:
        choice = page.get_by_label("Nominate a member")
        choice.select_option(choice.locator("option", has_text=person.name).get_attribute("value"))
        page.get_by_role("button", name=re.compile("Nominate")).click()
    cora.check()
    places = Place.objects.order_by("pk")
    assert [p.funder for p in places] == ["network", "organisation", "network"]
    expect(page.get_by_role("heading", name="Budget")).to_be_visible()
    page.get_by_role("button", name=re.compile("Confirm")).first.click()
    assert Place.objects.filter(status="confirmed").count() == 1
    assert cora.problems == []


def test_staff_code_free_text_and_export(visitors):
    consultation = ConsultationFactory(title="Have your say")
    submit(consultation, comments="Courses in the evening would help me most.")
    staff = make_user("staff@example.org", groups=(roles.COMMISSION_STAFF,), mfa=True)
    sam = visitors(user=staff)
    page = sam.page

    page.goto("/staff/consultation/")
    sam.check()
    sam.follow(page.get_by_role("link", name="Have your say").first)
    sam.follow(page.get_by_role("link", name=re.compile("Cod")).first)
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
    assert sam.problems == []
