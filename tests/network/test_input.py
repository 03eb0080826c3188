"""Coordinators' and members' forms refuse what the network cannot use, with a message
beside the field, and keep everything else as it was."""

import pytest
from django.urls import reverse
from django.utils import timezone

from network.models import Cohort, Event, Membership
from tests.network.factories import cohort, member, organisation
from tests.network.test_events import event_form

pytestmark = pytest.mark.django_db


def cohort_form(**changes):
    return {
        "course_name": "UPFRONT confidence course",
        "provider": "Lauren Currie",
        "starts_on": "2027-04-05",
        "weeks": 6,
        "cost_per_place": "590.00",
        "capacity": 66,
        "network_funded_places": 40,
        "funded_per_organisation": 1,
        "target_per_organisation": 2,
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        # Its sessions' dates overflowed: a server error, before.
        ({"starts_on": "9999-12-31"}, "starts_on", "Enter a date between 2000 and 2100"),
        ({"cost_per_place": "-5"}, "cost_per_place", "Enter a cost of £0 or more"),
        (
            {"capacity": 10},
            "network_funded_places",
            "The network cannot fund more places than there are.",
        ),
        ({"weeks": 4}, "weeks", "A cohort runs for at least five weeks"),
    ],
)
def test_a_cohort_that_cannot_run_is_refused_beside_its_field(
    client_for, coordinator, changes, field, message
):
    response = client_for(coordinator).post(reverse("network:cohorts"), cohort_form(**changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Cohort.objects.exists()


def test_a_reflection_session_cannot_move_to_year_9999(client_for, coordinator):
    session = cohort().sessions.first()
    before = session.starts_at
    response = client_for(coordinator).post(
        reverse("network:session", args=[session.pk]),
        {"form": "session", "starts_at": "9999-12-31T12:00", "ends_at": "9999-12-31T13:00"},
    )
    assert response.status_code == 200
    assert "Enter a date between 2000 and 2100" in response.content.decode()
    session.refresh_from_db()
    assert session.starts_at == before


def test_online_sessions_and_events_need_an_https_link(client_for, coordinator):
    client = client_for(coordinator)
    refused = client.post(
        reverse("network:event_create"), event_form(online_url="http://meet.example.org/x")
    )
    assert "Enter a full link that starts with https://" in " ".join(
        refused.context["form"].errors["online_url"]
    )
    assert not Event.objects.exists()

    session = cohort().sessions.first()
    start = timezone.localtime(session.starts_at)
    moved = client.post(
        reverse("network:session", args=[session.pk]),
        {
            "form": "session",
            "starts_at": f"{start:%Y-%m-%dT%H:%M}",
            "ends_at": f"{start.replace(hour=start.hour + 1):%Y-%m-%dT%H:%M}",
            "online_url": "http://meet.example.org/x",
        },
    )
    assert "Enter a full link that starts with https://" in moved.content.decode()
    session.refresh_from_db()
    assert session.online_url == ""


def _profile(**changes):
    return {
        "name": "Hana K",
        "role": "Lead developer",
        "organisation": organisation().pk,
        "seniority": 5,
        "discipline": "digital",
        "bio": "Hi",
        "listed": "on",
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"bio": "x" * 100_000}, "bio", "at most 2000 characters"),
        (
            {"offers_mentoring": "on", "mentee_capacity": 6, "topics": []},
            "mentee_capacity",
            "You can take at most five mentees.",
        ),
    ],
)
def test_a_profile_refuses_what_it_cannot_keep_beside_the_field(
    client_for, changes, field, message
):
    someone = member("Hana", bio="About me")
    response = client_for(someone.user).post(reverse("network:profile"), _profile(**changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Constraint" not in response.content.decode()
    someone.refresh_from_db()
    assert (someone.name, someone.bio) == ("Hana", "About me")
    assert Membership.objects.filter(mentee_capacity__gt=5).count() == 0
