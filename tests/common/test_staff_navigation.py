"""Every staff page carries one staff navigation, listing what the signed-in role may open
and marking where the page belongs; public pages do not carry it."""

import re

import pytest
from django.urls import reverse

from common.context_processors import staff_section
from tests.conftest import make_user


def _staff_nav(html: str) -> str:
    found = re.search(r'<nav class="portal-staff-nav".*?</nav>', html, re.S)
    return found.group(0) if found else ""


def _items(nav: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li.*?</li>", nav, re.S)]


@pytest.mark.parametrize(
    ("path", "section"),
    [
        ("/staff/", "dashboard"),
        ("/staff/consultation/wards/", "consultation"),
        ("/staff/network/cohorts/3/", "network/cohorts"),
        ("/staff/network/sessions/9/", "network/cohorts"),
        ("/staff/email/", "email"),
        ("/consultation/", None),
        ("/", None),
    ],
)
def test_each_staff_page_belongs_to_one_item(path, section):
    assert staff_section(path) == section


@pytest.mark.django_db
def test_commission_staff_see_their_items_with_the_current_one_marked(client_for, commission_staff):
    html = client_for(commission_staff).get(reverse("consultation_staff:list")).content.decode()
    nav = _staff_nav(html)

    assert _items(nav) == [
        "Dashboard",
        "Roadmap and meetings",
        "Consultations",
        "Employer surveys",
        "Recommendations",
        "News",
        "Emails",
    ]
    assert re.search(r'aria-current="page">Consultations</a>', nav)
    assert nav.count("aria-current") == 1


@pytest.mark.django_db
def test_coordinators_see_the_network_items_and_not_the_commission_ones(client_for, coordinator):
    nav = _staff_nav(client_for(coordinator).get(reverse("network:cohorts")).content.decode())

    assert _items(nav) == [
        "Dashboard", "Applications", "Cohorts", "Events", "Mentoring", "News", "Emails",
    ]  # fmt: skip
    assert re.search(r'aria-current="page">Cohorts</a>', nav)


@pytest.mark.django_db
def test_public_pages_have_no_staff_navigation(client_for, commission_staff):
    html = client_for(commission_staff).get(reverse("consultation:index")).content.decode()

    assert _staff_nav(html) == ""


@pytest.mark.django_db
def test_the_header_links_to_the_workspace_only_for_those_it_lets_in(client_for, coordinator):
    admin_site_only = make_user("clerk@example.org", mfa=True)
    admin_site_only.is_staff = True
    admin_site_only.save()
    link = f'href="{reverse("staff_home")}">Staff workspace</a>'

    assert link in client_for(coordinator).get(reverse("home")).content.decode()
    client = client_for(admin_site_only)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert link not in home.content.decode()
    assert client.get(reverse("staff_home")).status_code == 403
