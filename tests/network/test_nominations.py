"""Nominations through organisations: a member asks, their organisation's lead approves
with its commitment to pay for a place the network does not fund, the coordinators give
the place; funded places not taken by the release day go to further nominees in the order
the page states, so a cohort's 40 network-funded places can all be used."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from network import selectors, services
from network.models import (
    Funder,
    FundingReason,
    Nomination,
    NominationStatus,
    Organisation,
    PlaceStatus,
)
from notifications.models import Message
from tests.conftest import date_input
from tests.network.factories import cohort, commitment, lead, member

pytestmark = pytest.mark.django_db


def approved(course, person, by, *, pays=True):
    """``person`` asks; their lead ``by`` approves, committing to pay or not."""
    asked = services.nomination_ask(cohort=course, member=person)
    return services.nomination_approve(
        nomination=asked, by=by, commitment=commitment() if pays else None
    )


def test_a_member_asks_their_lead_approves_and_the_coordinators_give_the_place(coordinator):
    course, hackney = cohort(), lead("Hackney")
    lead("Hackney", email="second.lead@example.org")
    mina = member("Mina", org="Hackney")
    asked = services.nomination_ask(cohort=course, member=mina, note="To lead with confidence")
    assert asked.status == NominationStatus.REQUESTED
    to_leads = Message.objects.filter(topic="network.nomination_request")
    assert sorted(to_leads.values_list("recipient", flat=True)) == [
        hackney.email,
        "second.lead@example.org",
    ]
    services.nomination_approve(nomination=asked, by=hackney, commitment=commitment())
    asked.refresh_from_db()
    assert (asked.status, asked.approved_by, asked.funds_if_needed) == (
        NominationStatus.APPROVED,
        hackney,
        True,
    )
    assert asked.commitment_reference == "PO-4471"
    assert Message.objects.filter(topic="network.nomination_approved", recipient=mina.user.email)
    place = services.place_give(nomination=asked, by=coordinator)
    assert (place.status, place.funder, place.nomination) == (
        PlaceStatus.NOMINATED,
        Funder.NETWORK,
        asked,
    )
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == (NominationStatus.PLACED, coordinator)
    assert Message.objects.filter(topic="network.nomination_outcome", recipient=mina.user.email)


def test_a_place_the_network_does_not_fund_is_given_only_with_a_commitment(coordinator):
    course, hackney = cohort(), lead("Hackney")
    services.place_give(nomination=approved(course, member(org="Hackney"), hackney), by=coordinator)
    second = approved(course, member("Sade", org="Hackney"), hackney, pays=False)
    with pytest.raises(services.NotAllowed) as refused:
        services.place_give(nomination=second, by=coordinator)
    assert "Hackney's network-funded places on this cohort are taken" in str(refused.value)
    assert "1 February 2027" in str(refused.value)  # the release day, when it may be funded
    second.refresh_from_db()
    assert second.status == NominationStatus.APPROVED  # still waiting, nothing half-made
    assert not course.places.filter(member=second.member).exists()
    third = approved(course, member(org="Hackney"), hackney, pays=True)
    paid = services.place_give(nomination=third, by=coordinator)
    assert (paid.funder, paid.funding_reason) == (Funder.ORGANISATION, FundingReason.SHARE_TAKEN)


def test_a_coordinators_direct_nomination_records_the_commitment_too(coordinator):
    course = cohort()
    services.place_nominate(cohort=course, member=member(org="Brent"), by=coordinator)
    with pytest.raises(services.NotAllowed):
        services.place_nominate(cohort=course, member=member(org="Brent"), by=coordinator)
    paid = services.place_nominate(
        cohort=course, member=member(org="Brent"), commitment=commitment("BR-77"), by=coordinator
    )
    assert paid.funder == Funder.ORGANISATION
    assert paid.nomination.commitment_reference == "BR-77"


def test_all_40_network_funded_places_are_used_when_organisations_nominate_enough(coordinator):
    """Seed 001: 33 member organisations, 40 funded places, one each before the release."""
    course = cohort()  # 66 places, 40 funded by the network, 1 per organisation
    organisations = list(Organisation.objects.filter(is_member=True))
    assert len(organisations) == 33
    for organisation in organisations:
        by = lead(organisation.name)
        for _ in range(2):
            nomination = approved(course, member(org=organisation.name), by)
            services.place_give(nomination=nomination, by=coordinator)
    summary = selectors.cohort_summary(cohort=course)
    assert (summary.network_places, summary.organisation_places) == (33, 33)
    with time_machine.travel(datetime.datetime(2027, 2, 1, 9, tzinfo=datetime.UTC)):
        services.release_due()
    summary = selectors.cohort_summary(cohort=course)
    assert (summary.network_places, summary.organisation_places) == (40, 26)
    released = [p for p in summary.places if p.funding_reason == FundingReason.RELEASED]
    assert len(released) == 7
    # Every organisation had one network-funded place: the first seven approved go first.
    seconds = sorted(
        (p for p in summary.places if p.funding_reason != FundingReason.NETWORK_SHARE),
        key=lambda p: p.nomination.approved_at,
    )
    assert {p.pk for p in seconds[:7]} == {p.pk for p in released}
    assert "released to" in released[0].funding_explanation
    # Every place an organisation pays for has its commitment recorded.
    assert all(
        p.nomination.funds_if_needed for p in summary.places if p.funder == Funder.ORGANISATION
    )
    told = Message.objects.filter(topic="network.place_released")
    assert told.count() == 7 * 2  # the member and their organisation's lead


def test_released_places_go_first_to_organisations_with_the_fewest(coordinator):
    course = cohort(network_funded_places=2, capacity=10)
    brent, camden, ealing = lead("Brent"), lead("Camden"), lead("Ealing")
    for who, org in ((brent, "Brent"), (camden, "Camden")):
        services.place_give(nomination=approved(course, member(org=org), who), by=coordinator)
    brent_second = approved(course, member(org="Brent"), brent)  # approved first
    services.place_give(nomination=brent_second, by=coordinator)
    ealing_first = approved(course, member(org="Ealing"), ealing)
    place = services.place_give(nomination=ealing_first, by=coordinator)
    assert place.funding_reason == FundingReason.BUDGET_SPENT
    camden_place = course.places.get(organisation__name="Camden")
    services.place_withdraw(place=camden_place)
    released = services.funded_places_release(cohort=course)
    assert [p.organisation.name for p in released] == ["Ealing"]  # none yet, so first


def test_a_nominee_for_a_network_place_only_is_placed_by_the_release(coordinator):
    course, hackney = cohort(), lead("Hackney")
    services.place_give(nomination=approved(course, member(org="Hackney"), hackney), by=coordinator)
    waiting = approved(course, member("Sade", org="Hackney"), hackney, pays=False)
    released = services.funded_places_release(cohort=course)
    assert [p.nomination for p in released] == [waiting]
    assert (released[0].funder, released[0].status) == (Funder.NETWORK, PlaceStatus.NOMINATED)
    waiting.refresh_from_db()
    assert waiting.status == NominationStatus.PLACED
    # After the release, a further nominee takes a place still left as they are placed.
    later = approved(course, member(org="Hackney"), hackney, pays=False)
    assert services.place_give(nomination=later, by=coordinator).funder == Funder.NETWORK


def test_the_release_runs_once_on_its_day(coordinator):
    course, hackney = cohort(), lead("Hackney")
    services.place_give(nomination=approved(course, member(org="Hackney"), hackney), by=coordinator)
    services.place_give(nomination=approved(course, member(org="Hackney"), hackney), by=coordinator)
    day = datetime.datetime(2027, 2, 1, 0, 30, tzinfo=datetime.UTC)
    with time_machine.travel(day - datetime.timedelta(hours=1)):
        services.release_due()
    course.refresh_from_db()
    assert course.released_at is None
    with time_machine.travel(day):
        services.release_due()
        services.release_due()  # the next scan: nothing more
    course.refresh_from_db()
    assert course.released_at is not None
    assert course.places.filter(funding_reason=FundingReason.RELEASED).count() == 1
    assert Message.objects.filter(topic="network.place_released").count() == 2


def test_a_lead_decides_for_their_own_organisation_only():
    course = cohort()
    asked = services.nomination_ask(cohort=course, member=member(org="Camden"))
    with pytest.raises(services.NotAllowed):
        services.nomination_approve(nomination=asked, by=lead("Hackney"), commitment=None)
    with pytest.raises(services.NotAllowed):
        services.nomination_nominate(
            cohort=course, member=member(org="Camden"), by=lead("Brent"), commitment=None
        )
    asked.refresh_from_db()
    assert asked.status == NominationStatus.REQUESTED


def test_a_decline_tells_the_member_why_and_they_may_ask_again():
    course, hackney = cohort(), lead("Hackney")
    person = member(org="Hackney")
    asked = services.nomination_ask(cohort=course, member=person)
    with pytest.raises(services.NotAllowed):
        services.nomination_decline(nomination=asked, by=hackney, reason="  ")
    services.nomination_decline(nomination=asked, by=hackney, reason="Budget is frozen")
    asked.refresh_from_db()
    assert (asked.status, asked.reason) == (NominationStatus.DECLINED, "Budget is frozen")
    assert Message.objects.filter(topic="network.nomination_outcome").exists()
    again = services.nomination_ask(cohort=course, member=person)
    assert again.status == NominationStatus.REQUESTED
    with pytest.raises(services.NotAllowed):  # but not twice at once
        services.nomination_ask(cohort=course, member=person)


def test_a_cohort_that_has_started_takes_no_more_requests():
    course = cohort(starts_on=timezone.localdate())
    with pytest.raises(services.NotAllowed):
        services.nomination_ask(cohort=course, member=member())


def test_the_lead_page_approves_with_a_commitment_and_says_what_is_missing(client_for):
    course, hackney = cohort(), lead("Hackney")
    asked = services.nomination_ask(cohort=course, member=member("Mina", org="Hackney"))
    client = client_for(hackney)
    page = client.get(reverse("network:organisation"))
    assert "Mina, for" in page.content.decode()
    assert "first to those whose organisation has the fewest network-funded places" in (
        page.content.decode()
    )
    url = reverse("network:organisation_nomination", args=[asked.pk])
    refused = client.post(url, {"decision": "approve", "pays": "yes", "agreed_by": "Dee"})
    assert refused.status_code == 200
    assert "Enter the budget code or purchase order" in refused.content.decode()
    assert 'value="Dee"' in refused.content.decode()  # nothing typed is lost
    asked.refresh_from_db()
    assert asked.status == NominationStatus.REQUESTED
    done = client.post(
        url,
        {
            "decision": "approve",
            "pays": "yes",
            "agreed_by": "Dee Director",
            "reference": "PO-1",
            **date_input("agreed_on", "2026-11-20"),
        },
    )
    assert done.status_code == 302
    asked.refresh_from_db()
    assert (asked.status, asked.commitment_reference) == (NominationStatus.APPROVED, "PO-1")
    other = services.nomination_ask(cohort=course, member=member(org="Camden"))
    assert (
        client.get(reverse("network:organisation_nomination", args=[other.pk])).status_code == 404
    )


def test_coordinators_give_a_place_from_the_cohort_page(client_for, coordinator):
    course, hackney = cohort(), lead("Hackney")
    nomination = approved(course, member("Mina", org="Hackney"), hackney)
    client = client_for(coordinator)
    page = client.get(course.get_absolute_url()).content.decode()
    assert "Pays if needed: agreed by Dee Director, Director of Digital, PO-4471" in page
    client.post(reverse("network:nomination_place", args=[nomination.pk]))
    assert course.places.get().nomination == nomination
    declined = approved(course, member(org="Brent"), lead("Brent"))
    url = reverse("network:nomination_decline", args=[declined.pk])
    assert "Say why" in client.post(url, {"reason": ""}).content.decode()
    client.post(url, {"reason": "No budget this year"})
    declined.refresh_from_db()
    assert declined.status == NominationStatus.DECLINED


def test_withdrawing_a_place_lets_the_member_be_put_forward_again(coordinator):
    course, hackney = cohort(), lead("Hackney")
    person = member(org="Hackney")
    place = services.place_give(nomination=approved(course, person, hackney), by=coordinator)
    services.place_withdraw(place=place)
    assert Nomination.objects.get(pk=place.nomination_id).status == NominationStatus.WITHDRAWN
    assert services.nomination_ask(cohort=course, member=person).status == "requested"


def test_someone_with_a_place_already_cannot_be_put_forward_again(coordinator):
    course, hackney = cohort(), lead("Hackney")
    person = member(org="Hackney")
    services.place_nominate(cohort=course, member=person, by=coordinator)
    with pytest.raises(services.NotAllowed, match="already"):
        services.nomination_nominate(cohort=course, member=person, by=hackney, commitment=None)


def test_a_cohort_under_way_is_never_released(coordinator):
    course, hackney = cohort(), lead("Hackney")
    services.place_give(nomination=approved(course, member(org="Hackney"), hackney), by=coordinator)
    services.place_give(nomination=approved(course, member(org="Hackney"), hackney), by=coordinator)
    with time_machine.travel(datetime.datetime(2027, 3, 2, 9, tzinfo=datetime.UTC)):
        services.release_due()
    course.refresh_from_db()
    assert course.released_at is None
    assert not course.places.filter(funding_reason=FundingReason.RELEASED).exists()
