"""A member's whole part in the network on one page (``/network/me/``): their membership,
requests and places, reflection sessions with calendar files, mentoring, events and what
they share; and asking for a place from it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from network import services
from network.models import NominationStatus
from notifications.models import Message
from tests.network.factories import cohort, event, lead, member

pytestmark = pytest.mark.django_db


def test_my_network_shows_the_whole_of_a_members_part(
    client_for, coordinator, django_assert_max_num_queries
):
    course, later = cohort(), cohort(starts_on=datetime.date(2027, 9, 6))
    mina = member("Mina", org="Hackney", seeks=True, topics=["Leadership"], show_email=False)
    mentor = member("Priya", org="Camden", seniority=8, offers=True, topics=["Leadership"])
    services.place_nominate(cohort=course, member=mina, by=coordinator)
    services.event_rsvp(event=event(), member=mina)
    for match in services.matching_run(run_by=coordinator):
        services.match_confirm(match=match, decided_by=coordinator)
    client = client_for(mina.user)
    client.get(reverse("home"))  # her first page reads what her account may do, once
    with django_assert_max_num_queries(14):
        page = client.get(reverse("network:me"))
    html = page.content.decode()
    assert "Nominated · funded by: The network" in html
    for session in course.sessions.all():
        assert reverse("network:session_ics", args=[session.pk]) in html
    assert f"{mentor.name} mentors you" in html
    assert "Unconference: data in councils" in html
    assert reverse("network:ask", args=[later.pk]) in html  # the other cohort: ask for it
    assert reverse("network:ask", args=[course.pk]) not in html
    assert 'Email address</dt><dd class="govuk-summary-list__value">Not shown' in html


def test_a_sessions_calendar_file_is_for_those_with_a_place_on_its_course(client_for, coordinator):
    course = cohort()
    mina, other = member(org="Hackney"), member(org="Camden")
    services.place_nominate(cohort=course, member=mina, by=coordinator)
    session = course.sessions.first()
    url = reverse("network:session_ics", args=[session.pk])
    ics = client_for(mina.user).get(url)
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    assert f"UID:session-{session.uid}" in ics.content.decode()
    assert client_for(other.user).get(url).status_code == 404


def test_a_member_asks_for_a_place_from_my_network(client_for):
    course, hackney = cohort(), lead("Hackney")
    mina = member("Mina", org="Hackney")
    client = client_for(mina.user)
    url = reverse("network:ask", args=[course.pk])
    assert "Your request goes to your organisation's leads" in client.get(url).content.decode()
    sent = client.post(url, {"note": "Ready to lead"}, follow=True)
    assert escape("Your request has been sent to Hackney's leads.") in sent.content.decode()
    assert "Asked, waiting for the organisation" in sent.content.decode()
    nomination = mina.nominations.get()
    assert (nomination.status, nomination.note) == (NominationStatus.REQUESTED, "Ready to lead")
    again = client.post(url, {"note": "Again"}, follow=True)
    assert "already been put forward" in again.content.decode()
    assert mina.nominations.count() == 1
    assert Message.objects.filter(topic="network.nomination_request", recipient=hackney.email)


def test_someone_not_a_member_has_no_my_network(client_for):
    applicant = member(approve=False)
    assert client_for(applicant.user).get(reverse("network:me")).status_code == 403


def test_a_sessions_agenda_and_shared_notes_reach_those_on_the_course_only(client_for, coordinator):
    course = cohort()
    mina, other = member("Mina", org="Hackney"), member(org="Camden")
    services.place_nominate(cohort=course, member=mina, by=coordinator)
    session = course.sessions.first()
    staff = client_for(coordinator)
    saved = staff.post(
        reverse("network:session", args=[session.pk]),
        {
            "form": "notes",
            "agenda": "Speaking up in meetings",
            "shared_notes": "Try the two-minute pause",
            "coordinator_notes": "Mina asked for a quieter room",
        },
        follow=True,
    )
    assert "Agenda and notes saved." in saved.content.decode()
    session.refresh_from_db()
    assert session.sequence == 0  # no calendar update for notes
    html = client_for(mina.user).get(reverse("network:me")).content.decode()
    assert "Speaking up in meetings" in html
    assert "Try the two-minute pause" in html
    assert "quieter room" not in html
    elsewhere = client_for(other.user).get(reverse("network:me")).content.decode()
    assert "Try the two-minute pause" not in elsewhere


def test_asking_without_a_note_still_asks(client_for):
    course, quiet = cohort(), member(org="Brent")
    client_for(quiet.user).post(reverse("network:ask", args=[course.pk]), {})
    assert quiet.nominations.get().status == NominationStatus.REQUESTED


def test_the_network_page_leads_members_to_my_network_and_leads_to_their_nominations(client_for):
    mina, hackney = member("Mina", org="Hackney"), lead("Hackney")
    page = client_for(mina.user).get(reverse("network:index")).content.decode()
    assert reverse("network:me") in page
    assert reverse("network:organisation") not in page
    page = client_for(hackney).get(reverse("network:index")).content.decode()
    assert reverse("network:organisation") in page
    assert "Nominations for the confidence course: Hackney" in page


def test_my_network_costs_the_same_queries_with_more_places(client_for, coordinator):
    mina = member("Mina", org="Hackney")
    client = client_for(mina.user)
    client.get(reverse("home"))  # her first page reads what her account may do, once
    counts = []
    for starts in (datetime.date(2027, 3, 1), datetime.date(2027, 9, 6), datetime.date(2028, 3, 6)):
        services.place_nominate(cohort=cohort(starts_on=starts), member=mina, by=coordinator)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("network:me"))
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]
