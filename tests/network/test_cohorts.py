import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from network import selectors, services
from network.models import Cohort, Funder, FundingReason, Organisation, PlaceStatus
from tests.conftest import date_input
from tests.network.factories import cohort, commitment, member

pytestmark = pytest.mark.django_db


def test_a_cohort_comes_with_three_fortnightly_sessions_within_six_weeks():
    course = cohort(starts_on=datetime.date(2027, 3, 1))
    sessions = list(course.sessions.all())
    days = [timezone.localtime(s.starts_at).date() for s in sessions]
    assert [s.number for s in sessions] == [1, 2, 3]
    assert days == [
        datetime.date(2027, 3, 12),
        datetime.date(2027, 3, 26),
        datetime.date(2027, 4, 9),
    ]
    assert all(d < datetime.date(2027, 3, 1) + datetime.timedelta(weeks=6) for d in days)
    assert days[1] - days[0] == days[2] - days[1] == datetime.timedelta(days=14)


def test_the_first_place_per_organisation_is_network_funded_and_the_second_is_not():
    course = cohort()
    first, second = member(org="Camden"), member(org="Camden")
    other = member(org="Brent")
    assert (
        services.place_nominate(cohort=course, member=first, commitment=commitment()).funder
        == Funder.NETWORK
    )
    assert (
        services.place_nominate(cohort=course, member=second, commitment=commitment()).funder
        == Funder.ORGANISATION
    )
    assert (
        services.place_nominate(cohort=course, member=other, commitment=commitment()).funder
        == Funder.NETWORK
    )


def test_the_network_funds_no_more_than_its_budget():
    course = cohort(network_funded_places=2, capacity=10)
    places = [
        services.place_nominate(cohort=course, member=member(org=o), commitment=commitment())
        for o in ("Brent", "Camden", "Ealing")
    ]
    assert [p.funder for p in places] == [Funder.NETWORK, Funder.NETWORK, Funder.ORGANISATION]


def test_beyond_capacity_members_go_on_the_waiting_list():
    course = cohort(capacity=2, network_funded_places=2)
    a, b, c = (member(org=o) for o in ("Brent", "Camden", "Ealing"))
    services.place_nominate(cohort=course, member=a, commitment=commitment())
    services.place_nominate(cohort=course, member=b, commitment=commitment())
    waiting = services.place_nominate(cohort=course, member=c, commitment=commitment())
    assert (waiting.status, waiting.funder) == (PlaceStatus.WAITING, "")


def test_a_member_cannot_take_two_places_in_a_cohort():
    course, someone = cohort(), member()
    services.place_nominate(cohort=course, member=someone, commitment=commitment())
    with pytest.raises(services.NotAllowed):
        services.place_nominate(cohort=course, member=someone, commitment=commitment())


def test_a_withdrawn_place_goes_to_the_first_on_the_waiting_list(
    mailoutbox, django_capture_on_commit_callbacks
):
    course = cohort(capacity=2, network_funded_places=2)
    brent, camden = member(org="Brent"), member(org="Camden")
    first_waiting, second_waiting = member(org="Ealing", name="Esi"), member(org="Enfield")
    brent_place = services.place_nominate(cohort=course, member=brent, commitment=commitment())
    services.place_confirm(place=brent_place)
    services.place_nominate(cohort=course, member=camden, commitment=commitment())
    services.place_nominate(cohort=course, member=first_waiting, commitment=commitment())
    services.place_nominate(cohort=course, member=second_waiting, commitment=commitment())

    with django_capture_on_commit_callbacks(execute=True):
        offered = services.place_withdraw(place=brent_place)

    assert offered.member == first_waiting
    assert (offered.status, offered.funder) == (PlaceStatus.NOMINATED, Funder.NETWORK)
    assert course.places.get(member=second_waiting).status == PlaceStatus.WAITING
    assert "A place has come free" in mailoutbox[0].body


def test_a_promoted_place_is_funded_by_the_rules_as_they_stand():
    course = cohort(capacity=2, network_funded_places=2)
    camden_one = services.place_nominate(
        cohort=course, member=member(org="Camden"), commitment=commitment()
    )
    services.place_nominate(
        cohort=course, member=member(org="Camden"), commitment=commitment()
    )  # organisation-funded
    services.place_nominate(
        cohort=course, member=member(org="Camden"), commitment=commitment()
    )  # waiting
    offered = services.place_withdraw(place=course.places.get(funder=Funder.ORGANISATION))
    assert offered.funder == Funder.ORGANISATION  # Camden still has its network place
    camden_one.refresh_from_db()
    assert camden_one.funder == Funder.NETWORK


def test_withdrawing_from_the_waiting_list_offers_nothing():
    course = cohort(capacity=1, network_funded_places=1)
    services.place_nominate(cohort=course, member=member(org="Brent"), commitment=commitment())
    waiting = services.place_nominate(
        cohort=course, member=member(org="Camden"), commitment=commitment()
    )
    assert services.place_withdraw(place=waiting) is None


def test_a_place_moves_through_its_states_in_order():
    course = cohort()
    place = services.place_nominate(cohort=course, member=member(), commitment=commitment())
    with pytest.raises(services.NotAllowed):
        services.place_complete(place=place)
    services.place_confirm(place=place)
    services.place_complete(place=place)
    with pytest.raises(services.NotAllowed):
        services.place_withdraw(place=place)
    assert place.status == PlaceStatus.COMPLETED


def test_the_cohort_page_shows_places_below_two_the_waiting_list_and_the_budget(
    client_for, coordinator, django_assert_max_num_queries
):
    course = cohort(capacity=3, network_funded_places=2)
    for org in ("Camden", "Camden", "Brent", "Ealing"):
        services.place_nominate(cohort=course, member=member(org=org), commitment=commitment())
    client = client_for(coordinator)
    client.get(course.get_absolute_url())
    with django_assert_max_num_queries(20):
        page = client.get(course.get_absolute_url())
    summary = page.context["summary"]

    assert (summary.network_places, summary.organisation_places, summary.active) == (2, 1, 3)
    assert summary.network_budget == Decimal("1180.00")
    assert summary.organisation_budget == Decimal("590.00")
    assert summary.total_budget == Decimal("1770.00")
    assert [p.organisation.name for p in summary.waiting] == ["Ealing"]
    below = {o.organisation.name for o in summary.below_target}
    assert "Camden" not in below
    assert {"Brent", "Ealing", "Hackney"} <= below
    assert len(below) == 32
    html = page.content.decode()
    assert "£1180.00" in html


def test_staff_set_up_a_cohort_and_nominate(client_for, coordinator):
    client = client_for(coordinator)
    response = client.post(
        reverse("network:cohorts"),
        {
            "course_name": "UPFRONT confidence course",
            "provider": "Lauren Currie",
            **date_input("starts_on", "2027-04-05"),
            "weeks": 6,
            "cost_per_place": "590.00",
            "capacity": 66,
            "network_funded_places": 40,
            "funded_per_organisation": 1,
            "target_per_organisation": 2,
        },
    )
    course = Cohort.objects.get()
    assert response["Location"] == course.get_absolute_url()
    assert course.sessions.count() == 3
    someone = member(org="Harrow")
    client.post(course.get_absolute_url(), {"member": someone.pk, "pays": "no"})
    assert course.places.get().funder == Funder.NETWORK


def test_cohort_rules_are_checked_on_input(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("network:cohorts"),
        {
            "course_name": "x",
            "provider": "y",
            **date_input("starts_on", "2027-04-05"),
            "weeks": 6,
            "cost_per_place": "590",
            "capacity": 10,
            "network_funded_places": 40,
            "funded_per_organisation": 1,
            "target_per_organisation": 2,
        },
    )
    assert "The network cannot fund more places than there are." in response.content.decode()


def test_session_attendance_is_recorded(coordinator, client_for):
    course = cohort()
    a, b = (
        services.place_nominate(cohort=course, member=member(org=o), commitment=commitment())
        for o in ("Brent", "Camden")
    )
    session = course.sessions.first()
    client_for(coordinator).post(
        reverse("network:session", args=[session.pk]),
        {"form": "attendance", "attended": [str(a.pk)]},
    )
    assert dict(session.attendance.values_list("place_id", "attended")) == {a.pk: True, b.pk: False}


def test_moving_a_session_bumps_its_calendar_sequence(coordinator, client_for):
    session = cohort().sessions.first()
    client_for(coordinator).post(
        reverse("network:session", args=[session.pk]),
        {
            "form": "session",
            "starts_at": "2027-03-12T13:00",
            "ends_at": "2027-03-12T14:00",
            "online_url": "meet.example.org/x",
        },
    )
    session.refresh_from_db()
    assert timezone.localtime(session.starts_at).hour == 13
    assert session.sequence == 1
    assert session.online_url == "https://meet.example.org/x"


def test_summary_counts_come_from_sql():
    course = cohort()
    services.place_nominate(cohort=course, member=member(org="Brent"), commitment=commitment())
    summary = selectors.cohort_summary(cohort=course)
    brent = next(o for o in summary.by_organisation if o.organisation.name == "Brent")
    assert (brent.places, brent.network_funded, brent.organisation_funded) == (1, 1, 0)


def test_a_longer_course_spreads_its_sessions_to_its_end():
    course = cohort(starts_on=datetime.date(2027, 3, 1), weeks=8)
    days = [timezone.localtime(s.starts_at).date() for s in course.sessions.all()]
    assert days == [
        datetime.date(2027, 3, 26),
        datetime.date(2027, 4, 9),
        datetime.date(2027, 4, 23),
    ]
    assert days[-1] < datetime.date(2027, 3, 1) + datetime.timedelta(weeks=8)


def test_a_course_too_short_for_three_fortnightly_sessions_is_refused(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("network:cohorts"),
        {
            "course_name": "Short course",
            "provider": "y",
            **date_input("starts_on", "2027-04-05"),
            "weeks": 4,
            "cost_per_place": "590",
            "capacity": 10,
            "network_funded_places": 5,
            "funded_per_organisation": 1,
            "target_per_organisation": 2,
        },
    )
    assert (
        "A cohort runs for at least five weeks, to fit its three fortnightly reflection "
        "sessions." in response.content.decode()
    )
    assert not Cohort.objects.exists()


def test_the_network_funds_places_for_its_member_organisations_only():
    Organisation.objects.create(
        name="Partner trust", kind=Organisation.Kind.PARTNER, is_member=False
    )
    course = cohort()
    partner_place = services.place_nominate(
        cohort=course, member=member(org="Partner trust"), commitment=commitment()
    )
    borough_place = services.place_nominate(
        cohort=course, member=member(org="Brent"), commitment=commitment()
    )
    assert (partner_place.funder, borough_place.funder) == (Funder.ORGANISATION, Funder.NETWORK)


def test_a_new_nominee_does_not_jump_the_waiting_list():
    course = cohort(capacity=1, network_funded_places=1)
    services.place_nominate(cohort=course, member=member(org="Brent"), commitment=commitment())
    waiting = services.place_nominate(
        cohort=course, member=member(org="Camden"), commitment=commitment()
    )
    # A coordinator makes room for one more in the admin.
    Cohort.objects.filter(pk=course.pk).update(capacity=2, network_funded_places=2)

    late = services.place_nominate(
        cohort=course, member=member(org="Ealing"), commitment=commitment()
    )

    waiting.refresh_from_db()
    assert (waiting.status, waiting.funder) == (PlaceStatus.NOMINATED, Funder.NETWORK)
    assert late.status == PlaceStatus.WAITING


def test_attendance_is_saved_in_a_fixed_number_of_queries(django_assert_num_queries):
    course = cohort()
    places = [
        services.place_nominate(cohort=course, member=member(org="Brent"), commitment=commitment())
        for _ in range(6)
    ]
    session = course.sessions.first()
    services.attendance_record(session=session, attended_place_ids={places[0].pk})

    came = {p.pk for p in places[1:4]}
    with django_assert_num_queries(2):
        services.attendance_record(session=session, attended_place_ids=came)

    assert dict(session.attendance.values_list("place_id", "attended")) == {
        p.pk: p.pk in came for p in places
    }


def test_a_move_from_a_copy_read_before_a_cancellation_keeps_the_session_cancelled():
    """Two coordinators at once: one cancels while the other's move is on its way."""
    from network.models import ReflectionSession

    session = cohort().sessions.get(number=1)
    read_before = ReflectionSession.objects.get(pk=session.pk)
    services.session_cancel(session=session)

    services.session_update(session=read_before, location="Camden Town Hall")

    stored = ReflectionSession.objects.get(pk=session.pk)
    assert stored.is_cancelled
    assert stored.location == "Camden Town Hall"
    assert stored.sequence == 2
    assert read_before.is_cancelled


def test_confirming_and_completing_a_place_is_in_the_audit_history(coordinator):
    from auditlog.context import set_actor
    from auditlog.models import LogEntry

    place = services.place_nominate(
        cohort=cohort(), member=member("Ola", org="Brent"), commitment=commitment()
    )

    with set_actor(coordinator):
        services.place_confirm(place=place)
        services.place_complete(place=place)

    changes = [
        (entry.actor, entry.changes_dict["status"])
        for entry in LogEntry.objects.get_for_object(place).order_by("timestamp", "pk")
        if entry.action == LogEntry.Action.UPDATE
    ]
    assert changes == [
        (coordinator, ["nominated", "confirmed"]),
        (coordinator, ["confirmed", "completed"]),
    ]


def test_the_cohort_page_puts_the_summary_first_then_people_then_organisations_once(
    client_for, coordinator
):
    course = cohort(capacity=3, network_funded_places=2)
    for name, org in (("Ann", "Camden"), ("Bea", "Camden"), ("Cy", "Brent"), ("Di", "Ealing")):
        services.place_nominate(
            cohort=course, member=member(name, org=org), commitment=commitment()
        )

    html = client_for(coordinator).get(course.get_absolute_url()).content.decode()

    headings = re.findall(r'<h2 class="govuk-heading-m"[^>]*>(.*?)</h2>', html)
    assert headings == [
        "Summary",
        "Budget",
        "People with places",
        "Waiting list",
        "Nominations to decide",
        "Nominate",
        "Organisations with places",
        "Course evaluation",
        "Reflection sessions",
    ]
    summary = html[html.index(">Summary</h2>") : html.index(">Budget</h2>")]
    assert "3 of 3 taken, 0 free; 1 person waiting" in summary
    assert "2 of 2 places, 0 left" in summary
    assert "1 place" in summary
    # The organisations with places in a table, the other 30 behind "Show all".
    organisations = html[html.index(">Organisations with places</h2>") :]
    table, rest = organisations.split('<details class="govuk-details">')
    assert re.findall(r'<th scope="row" class="govuk-table__header">(.*?)</th>', table) == [
        "Brent",
        "Camden",
        "Ealing",
    ]
    assert "Show all 33 organisations" in rest
    assert "These 30 member organisations have nobody on the cohort yet" in rest
    assert "Sutton" in rest
    assert "Camden" not in rest
    assert html.count("Sutton") == 1  # listed once, never twice


def test_each_funding_decision_is_explained_from_the_rule_that_made_it(client_for, coordinator):
    Organisation.objects.create(
        name="Partner trust", kind=Organisation.Kind.PARTNER, is_member=False
    )
    course = cohort(capacity=10, network_funded_places=3)
    nominate = {}
    for name, org in (
        ("Ann", "Camden"),
        ("Bea", "Camden"),
        ("Cy", "Brent"),
        ("Pat", "Partner trust"),
        ("Di", "Ealing"),
        ("Ed", "Enfield"),
    ):
        nominate[name] = services.place_nominate(
            cohort=course, member=member(name, org=org), commitment=commitment()
        )
    services.place_withdraw(place=nominate["Ann"])
    # Camden's network-funded place is free again: a later nominee from Camden takes it,
    # while Bea, nominated earlier, still pays.
    nominate["Fay"] = services.place_nominate(
        cohort=course, member=member("Fay", org="Camden"), commitment=commitment()
    )

    reasons = {p.member.name: p.funding_reason for p in course.places.exclude(status="withdrawn")}
    assert reasons == {
        "Bea": FundingReason.SHARE_TAKEN,
        "Cy": FundingReason.NETWORK_SHARE,
        "Pat": FundingReason.NOT_A_MEMBER,
        "Di": FundingReason.NETWORK_SHARE,
        "Ed": FundingReason.BUDGET_SPENT,
        "Fay": FundingReason.NETWORK_SHARE,
    }
    page = client_for(coordinator).get(course.get_absolute_url())
    said = {p.member.name: p.funding_explanation for p in page.context["summary"].places}
    assert said == {
        "Bea": "Paid by organisation: when this place was given, Camden's network-funded place "
        "was taken by Ann (withdrawn since)",
        "Cy": "Network-funded: first nominee from Brent",
        "Pat": "Paid by organisation: Partner trust is not a member of the network, which funds "
        "places for its member organisations only",
        "Di": "Network-funded: first nominee from Ealing",
        "Ed": "Paid by organisation: when this place was given, the network's funded places "
        "were all taken",
        "Fay": "Network-funded: when this place was given, nobody from Camden had a "
        "network-funded place",
    }
    html = page.content.decode()
    for words in said.values():
        assert escape(words) in html


def test_a_second_nominee_is_told_who_holds_the_network_place():
    course = cohort()
    ann = services.place_nominate(
        cohort=course, member=member("Ann", org="Camden"), commitment=commitment()
    )
    bea = services.place_nominate(
        cohort=course, member=member("Bea", org="Camden"), commitment=commitment()
    )
    assert (bea.funder, bea.funding_holders) == (Funder.ORGANISATION, [ann.pk])
    places = {p.member.name: p for p in selectors.cohort_summary(cohort=course).places}
    assert places["Bea"].funding_explanation == (
        "Paid by organisation: Camden's network-funded place is taken by Ann"
    )
    assert places["Ann"].funding_explanation == "Network-funded: first nominee from Camden"
