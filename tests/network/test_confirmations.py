"""Withdrawing a place, removing someone from a waiting list, rejecting a pair and
cancelling an event each ask first: a page that says what will happen, with a warning
button that does it and a way back that does nothing."""

import re

import pytest
from django.urls import reverse

from network import services
from network.models import MatchStatus, MentoringMatch, PlaceStatus
from tests.network.factories import cohort, event, member

pytestmark = pytest.mark.django_db


def asks_first(response, *, question, button, back):
    """The page asks ``question``, posts to itself with a warning button, and links back."""
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(rf'<h1 class="govuk-heading-l">{re.escape(question)}</h1>', html)
    form = re.search(r'<form method="post" novalidate>(.*?)</form>', html, re.S).group(1)
    assert (
        f'<button type="submit" class="govuk-button govuk-button--warning" '
        f'data-module="govuk-button">{button}</button>'
    ) in form
    assert f'href="{back}"' in form
    assert "govuk-warning-text" in html


@pytest.fixture
def course():
    course = cohort(capacity=1, network_funded_places=1)
    services.place_nominate(cohort=course, member=member("Nell", org="Brent"))
    services.place_nominate(cohort=course, member=member("Wyn", org="Camden"))
    return course


def test_withdrawing_a_place_asks_first(client_for, coordinator, course, mailoutbox):
    client = client_for(coordinator)
    page = client.get(course.get_absolute_url()).content.decode()
    place = course.places.get(member__name="Nell")
    url = reverse("network:place_withdraw", args=[place.pk])
    # On the cohort page, a link to the question, not a button that acts.
    assert f'<a class="govuk-link" href="{url}">Withdraw' in page
    assert f'action="{url}"' not in page

    asks_first(
        client.get(url),
        question="Withdraw Nell&#x27;s place?",
        button="Withdraw the place",
        back=course.get_absolute_url(),
    )
    place.refresh_from_db()
    assert place.status == PlaceStatus.NOMINATED

    followed = client.post(url, follow=True)
    place.refresh_from_db()
    assert place.status == PlaceStatus.WITHDRAWN
    html = followed.content.decode()
    assert "Nell&#x27;s place has been withdrawn." in html
    assert "Wyn, first on the waiting list, has been offered the place." in html
    assert course.places.get(member__name="Wyn").status == PlaceStatus.NOMINATED

    # Asked again, once there is nothing to withdraw: back to the cohort, with why.
    again = client.get(url, follow=True)
    assert "This place cannot be withdrawn now." in again.content.decode()


def test_removing_someone_from_the_waiting_list_asks_first(client_for, coordinator, course):
    client = client_for(coordinator)
    waiting = course.places.get(member__name="Wyn")
    url = reverse("network:place_withdraw", args=[waiting.pk])
    assert (
        f'<a class="govuk-link" href="{url}">Remove'
        in client.get(course.get_absolute_url()).content.decode()
    )

    asks_first(
        client.get(url),
        question="Remove Wyn from the waiting list?",
        button="Remove from the waiting list",
        back=course.get_absolute_url(),
    )
    waiting.refresh_from_db()
    assert waiting.status == PlaceStatus.WAITING

    followed = client.post(url, follow=True)
    waiting.refresh_from_db()
    assert waiting.status == PlaceStatus.WITHDRAWN
    assert "Wyn has been removed from the waiting list." in followed.content.decode()


def test_rejecting_a_pair_asks_first(client_for, coordinator):
    member("Mae", org="Brent", seniority=7, offers=True, topics=["Leadership"])
    member("Nia", org="Camden", seniority=2, seeks=True, topics=["Leadership"])
    client = client_for(coordinator)
    client.post(reverse("network:mentoring"))
    match = MentoringMatch.objects.get()
    url = reverse("network:match_reject", args=[match.pk])
    page = client.get(reverse("network:mentoring")).content.decode()
    assert f'<a href="{url}" role="button"' in page
    assert f'action="{url}"' not in page

    asks_first(
        client.get(url),
        question="Reject Mae to mentor Nia?",
        button="Reject the pair",
        back=reverse("network:mentoring"),
    )
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED

    followed = client.post(url, follow=True)
    match.refresh_from_db()
    assert match.status == MatchStatus.REJECTED
    assert "Pair rejected: Mae will not be proposed to mentor Nia again." in (
        followed.content.decode()
    )
    assert "Only a proposed pair can be rejected." in client.get(url, follow=True).content.decode()


def test_cancelling_an_event_asks_first(client_for, coordinator):
    party = event()
    client = client_for(coordinator)
    attendance = reverse("network:event_attendance", args=[party.slug])
    url = reverse("network:event_cancel", args=[party.slug])
    assert f'<a href="{url}" role="button"' in client.get(attendance).content.decode()

    response = client.get(url)
    asks_first(
        response, question="Cancel “Unconference: data in councils”?", button="Cancel the event",
        back=attendance,
    )  # fmt: skip
    assert "Keep the event" in response.content.decode()
    # A form from before this page came in asks too, and cancels nothing.
    assert client.post(attendance, {"action": "cancel_event"})["Location"] == url
    party.refresh_from_db()
    assert not party.is_cancelled

    client.post(url)
    party.refresh_from_db()
    assert party.is_cancelled
    assert "This event is already cancelled." in client.get(url, follow=True).content.decode()


@pytest.mark.parametrize("who", ["member", "commission_staff"])
def test_only_coordinators_are_asked(who, client_for, request, coordinator, course):
    party = event()
    member("Mae", org="Brent", seniority=7, offers=True, topics=["Leadership"])
    member("Nia", org="Camden", seniority=2, seeks=True, topics=["Leadership"])
    (match,) = services.matching_run(run_by=coordinator)
    place = course.places.get(member__name="Nell")
    user = request.getfixturevalue(who)
    if who == "member":
        member("Fay", user=user)
    client = client_for(user)
    for url in (
        reverse("network:place_withdraw", args=[place.pk]),
        reverse("network:match_reject", args=[match.pk]),
        reverse("network:event_cancel", args=[party.slug]),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url
    place.refresh_from_db()
    match.refresh_from_db()
    party.refresh_from_db()
    assert (place.status, match.status, party.is_cancelled) == (
        PlaceStatus.NOMINATED,
        MatchStatus.PROPOSED,
        False,
    )
