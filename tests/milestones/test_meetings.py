"""Advisory group meeting pages: what staff and invited members see when something is
wrong with what they sent."""

import html
import re

import pytest
from django.urls import reverse

from milestones import services
from milestones.models import AdvisoryMeeting, Rsvp
from tests.milestones.factories import AdvisoryMeetingFactory, AdvisoryMemberFactory

pytestmark = pytest.mark.django_db

LONG_LINK = "https://example.org/papers/" + "a" * 200
TOO_LONG = (
    "Line 1: the link is 227 characters long; it can be at most 200. "
    "Use a shorter link to the paper."
)


def _error_summary(html):
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    return found.group(0) if found else ""


def test_a_paper_link_too_long_is_explained_and_nothing_is_scheduled(client_for, commission_staff):
    response = client_for(commission_staff).post(
        reverse("milestones:meeting_create"),
        {
            "title": "Advisory Group Meeting",
            "starts_at": "2027-01-20T14:00",
            "ends_at": "2027-01-20T16:00",
            "location": "Hackney Town Hall",
            "papers": f"Progress report | {LONG_LINK}",
        },
    )

    assert response.status_code == 200
    assert TOO_LONG in _error_summary(response.content.decode())
    assert not AdvisoryMeeting.objects.exists()


@pytest.mark.parametrize(
    ("papers", "online_url", "message"),
    [
        (
            "Progress report | http://example.org/report.pdf",
            "",
            "Line 1: give the paper's link starting with https://",
        ),
        ("", "http://meet.example.org/x", "Enter a full link that starts with https://"),
    ],
)
def test_meeting_links_must_be_https(client_for, commission_staff, papers, online_url, message):
    response = client_for(commission_staff).post(
        reverse("milestones:meeting_create"),
        {
            "title": "Advisory Group Meeting",
            "starts_at": "2027-01-20T14:00",
            "ends_at": "2027-01-20T16:00",
            "location": "Hackney Town Hall",
            "papers": papers,
            "online_url": online_url,
        },
    )
    assert response.status_code == 200
    assert message in html.unescape(_error_summary(response.content.decode()))
    assert not AdvisoryMeeting.objects.exists()


def test_an_edit_with_a_paper_link_too_long_changes_nothing(client_for, commission_staff):
    meeting = AdvisoryMeetingFactory(papers=[("Agenda pack", "https://example.org/pack.pdf")])
    client = client_for(commission_staff)
    url = reverse("milestones:meeting_edit", args=[meeting.pk])
    initial = client.get(url).context["form"].initial

    response = client.post(
        url,
        {
            "title": "Moved meeting",
            "starts_at": initial["starts_at"].strftime("%Y-%m-%dT%H:%M"),
            "ends_at": initial["ends_at"].strftime("%Y-%m-%dT%H:%M"),
            "location": "Online",
            "papers": f"Agenda pack | {LONG_LINK}",
        },
    )

    assert TOO_LONG in _error_summary(response.content.decode())
    meeting.refresh_from_db()
    assert (meeting.title, meeting.location) == ("Advisory Group Meeting", "Hackney Town Hall")
    assert [p.url for p in meeting.papers.all()] == ["https://example.org/pack.pdf"]


@pytest.fixture
def invitation(member):
    adviser = AdvisoryMemberFactory(user=member, email=member.email)
    return AdvisoryMeetingFactory(members=[adviser]).attendance.get()


def test_a_reply_without_a_choice_is_explained_at_the_top_and_beside_the_question(
    client_for, member, invitation
):
    response = client_for(member).post(
        reverse("milestones:meeting_rsvp", args=[invitation.meeting_id]), {}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_rsvp_0">Choose whether you will attend.</a>' in _error_summary(html)
    # The question's fieldset is described by its error message, shown beside it.
    assert re.search(
        r'<fieldset class="govuk-fieldset" aria-describedby="\s*id_rsvp_1_error">', html
    )
    assert (
        '<p id="id_rsvp_1_error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> Choose whether you will attend.</p>'
    ) in html
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.NO_REPLY


def test_a_reply_to_a_cancelled_meeting_is_explained(client_for, member, invitation):
    services.meeting_cancel(meeting=invitation.meeting)

    response = client_for(member).post(
        reverse("milestones:meeting_rsvp", args=[invitation.meeting_id]), {"rsvp": "yes"}
    )

    assert "This meeting has been cancelled." in _error_summary(response.content.decode())
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.NO_REPLY
