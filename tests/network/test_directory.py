"""The member directory: filtered by organisation, topic and mentors only, without the
filters showing anything a member chose to keep to themselves."""

import re

import pytest
from django.urls import reverse

from network.models import Topic
from tests.network.factories import member, organisation

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return re.findall(
        r'<h3 class="govuk-summary-card__title">(.*?)</h3>', response.content.decode()
    )


@pytest.fixture
def directory():
    """A viewer and a few listed members."""
    viewer = member("Viewer Vi", org="Hackney")
    member("Ada Camden", org="Camden", offers=True, topics=["Leadership"], seniority=7)
    member("Bo Camden", org="Camden", seeks=True, topics=["Data"])
    member("Cy Brent", org="Brent", offers=True, topics=["Data"], seniority=6)
    member("Di Hidden", org="Camden", show_organisation=False, offers=True, topics=["Data"])
    member("Ed Seeker", org="Brent", seeks=True, topics=["Leadership"])
    return viewer


def test_filters_narrow_the_directory(client_for, directory):
    client = client_for(directory.user)
    url = reverse("network:members")
    camden, brent = organisation("Camden"), organisation("Brent")
    data, leadership = Topic.objects.get(name="Data"), Topic.objects.get(name="Leadership")

    everyone = client.get(url)
    assert len(names(everyone)) == 6
    assert "Clear filters" not in everyone.content.decode()

    by_camden = client.get(url, {"organisation": camden.pk})
    assert names(by_camden) == ["Ada Camden", "Bo Camden"]  # not Di, who hides hers
    html = by_camden.content.decode()
    assert f'<option value="{camden.pk}" selected>Camden</option>' in html
    assert f'<a class="govuk-link" href="{url}">Clear filters</a>' in html

    # A topic finds those who mentor in it: nobody's wish to be mentored is shown.
    assert names(client.get(url, {"topic": data.pk})) == ["Cy Brent", "Di Hidden"]
    assert names(client.get(url, {"topic": leadership.pk})) == ["Ada Camden"]
    assert names(client.get(url, {"mentors": "on"})) == ["Ada Camden", "Cy Brent", "Di Hidden"]
    assert names(client.get(url, {"organisation": brent.pk, "mentors": "on"})) == ["Cy Brent"]

    nobody = client.get(url, {"organisation": brent.pk, "topic": leadership.pk})
    assert names(nobody) == []
    assert "No listed members match these filters." in nobody.content.decode()


def test_the_filters_offer_only_what_the_directory_shows(client_for, directory):
    member("Una Unlisted", org="Sutton", listed=False, offers=True, topics=["Cyber security"])
    member("Pat Private", org="Ealing", show_organisation=False)
    form = client_for(directory.user).get(reverse("network:members")).context["filters"].form

    organisations = {o.name for o in form.fields["organisation"].queryset}
    assert organisations == {"Hackney", "Camden", "Brent"}
    assert {t.name for t in form.fields["topic"].queryset} == {"Leadership", "Data"}


def test_a_filter_value_that_is_not_in_the_lists_is_said_so(client_for, directory):
    response = client_for(directory.user).get(
        reverse("network:members"), {"organisation": "99999999999999999999", "topic": "x"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select an organisation from the list" in html
    assert "Select a topic from the list" in html
    assert len(names(response)) == 6


def test_the_directory_takes_the_same_queries_however_many_members(
    client_for, directory, django_assert_max_num_queries
):
    for n in range(30):
        member(f"Extra {n}", org="Camden" if n % 2 else "Brent", offers=True, topics=["Data"])
    client = client_for(directory.user)
    url = reverse("network:members")
    filters = {
        "organisation": organisation("Camden").pk,
        "topic": Topic.objects.get(name="Data").pk,
    }
    client.get(url)
    with django_assert_max_num_queries(10):
        assert len(names(client.get(url))) == 36
    with django_assert_max_num_queries(10):
        assert len(names(client.get(url, {**filters, "mentors": "on"}))) == 15


def test_who_may_see_the_directory_is_unchanged(client_for, directory):
    applicant = member("Ann Applicant", approve=False)
    url = reverse("network:members")
    assert client_for(None).get(url, {"mentors": "on"}).status_code == 302
    assert client_for(applicant.user).get(url, {"mentors": "on"}).status_code == 403
