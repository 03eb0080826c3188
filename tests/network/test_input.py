"""Coordinators' and members' forms refuse what the network cannot use, with a message
beside the field, and keep everything else as it was."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from network.models import Cohort, Event, Membership, Topic
from tests.conftest import date_input, make_user
from tests.network.factories import cohort, member, organisation
from tests.network.test_events import event_form

pytestmark = pytest.mark.django_db


def cohort_form(**changes):
    return {
        "course_name": "UPFRONT confidence course",
        "provider": "Lauren Currie",
        **date_input("starts_on", "2027-04-05"),
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
        (date_input("starts_on", "9999-12-31"), "starts_on", "Enter a date between 2000 and 2100"),
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


def topic(name="Leadership"):
    return Topic.objects.get_or_create(name=name)[0]


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


def _summary(html: str) -> list[str]:
    """The lines of the page's error summary, as a reader sees them."""
    found = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.S)
    assert found, "the page has no error summary"
    return [
        unescape(re.sub(r"<[^>]+>", "", item)).strip()
        for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    ]


def test_an_empty_application_names_each_missing_answer_once(client_for):
    response = client_for(make_user("ama@example.org")).post(
        reverse("network:apply"),
        dict.fromkeys(["name", "organisation", "role", "seniority", "discipline"], ""),
    )

    html = response.content.decode()
    assert _summary(html) == [
        "Enter your name",
        "Select your organisation",
        "Enter your job title",
        "Select your level",
        "Select your discipline",
        "Confirm that you are a woman, non-binary or gender-nonconforming",
    ]
    assert "This field is required" not in html
    assert not Membership.objects.exists()


def test_an_empty_cohort_names_each_missing_answer_once(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("network:cohorts"), dict.fromkeys(cohort_form(), "")
    )

    html = response.content.decode()
    assert _summary(html) == [
        "Enter the name of the course",
        "Enter who provides the course",
        "Enter the date the course starts",
        "Enter how many weeks the course runs",
        "Enter the cost per place",
        "Enter how many places there are in all",
        "Enter how many places the network funds",
        "Enter how many network-funded places each organisation can have",
        "Enter the aim: how many people from each member organisation",
    ]
    assert "This field is required" not in html
    assert not Cohort.objects.exists()


def test_every_question_a_coordinator_must_answer_says_which_it_is(client_for, coordinator):
    client = client_for(coordinator)
    event = client.post(reverse("network:event_create"), dict.fromkeys(event_form(), ""))
    nominate = client.post(cohort().get_absolute_url(), {"member": ""})
    for response in (event, nominate):
        html = response.content.decode()
        assert _summary(html)
        assert "This field is required" not in html
    assert "Select a member to nominate" in _summary(nominate.content.decode())


def test_the_profile_offers_no_empty_level_discipline_or_organisation(client_for):
    someone = member("Hana")
    response = client_for(someone.user).get(reverse("network:profile"))

    form = response.context["form"]
    assert [value for value, _ in form.fields["seniority"].choices] == list(range(1, 10))
    assert [value for value, _ in form.fields["discipline"].choices] == ["digital", "data", "it"]
    html = response.content.decode()
    assert "---------" not in html
    assert html.count('name="seniority"') == 9


def test_how_many_mentees_is_asked_only_of_mentors(client_for):
    someone = member("Hana", capacity=2)
    client = client_for(someone.user)
    page = client.get(reverse("network:profile")).content.decode()
    assert "How many mentees I can take (optional)" not in page
    assert 'data-aria-controls="conditional-mentee-capacity"' in page

    # Someone who does not mentor never hears about it, whatever is in the box (it shows
    # without JavaScript); the number she gave before stays.
    for typed in ("", "lots", "9"):
        response = client.post(reverse("network:profile"), _profile(mentee_capacity=typed))
        assert response.status_code == 302, typed
        someone.refresh_from_db()
        assert (someone.offers_mentoring, someone.mentee_capacity) == (False, 2)

    # A mentor must say how many, and is told so beside the box.
    for typed, message in (
        ("", "Enter how many mentees you can take"),
        ("0", "Enter how many mentees you can take, from 1 to 5"),
        ("lots", "Enter how many mentees you can take as a number, like 2"),
    ):
        response = client.post(
            reverse("network:profile"),
            _profile(offers_mentoring="on", topics=[topic().pk], mentee_capacity=typed),
        )
        assert response.context["form"].errors["mentee_capacity"] == [message], typed
        assert message in _summary(response.content.decode())
    someone.refresh_from_db()
    assert not someone.offers_mentoring

    client.post(
        reverse("network:profile"),
        _profile(offers_mentoring="on", topics=[topic().pk], mentee_capacity="3"),
    )
    someone.refresh_from_db()
    assert (someone.offers_mentoring, someone.mentee_capacity) == (True, 3)


def test_the_profile_page_asks_every_question_of_its_form(client_for):
    someone = member("Hana")
    response = client_for(someone.user).get(reverse("network:profile"))
    html = response.content.decode()
    for name in response.context["form"].fields:
        assert f'name="{name}"' in html, name
