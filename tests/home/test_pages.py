import re

import pytest
from django.template import loader
from django.test import Client
from django.urls import reverse

MAIN = '<main class="govuk-main-wrapper" id="main-content">'
SKIP_LINK = (
    '<a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">'
    "Skip to main content</a>"
)
SCRIPT = '<script type="module" src="/static/js/portal.js">'

PUBLIC_PAGES = [
    "home",
    "privacy_notice",
    "accessibility_statement",
    "milestones:roadmap",
    "consultation:index",
    "employers:index",
    "network:index",
    "account_login",
    "account_signup",
    "account_reset_password",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_have_the_accessible_layout(client, name):
    response = client.get(reverse(name))

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<html lang="en-gb"[ >]', html)
    assert len(re.findall(r"<h1[ >]", html)) == 1
    for landmark in ("<header", "<nav", MAIN, '<footer class="govuk-footer"'):
        assert landmark in html
    assert SKIP_LINK in html
    # Every page works without JavaScript: the only script is the portal's own file of
    # GOV.UK Frontend's enhancements, and nothing is written into the page.
    assert re.findall(r"<script[^>]*>", html) == [SCRIPT]
    assert "//cdn" not in html
    assert "googleapis" not in html
    assert "bootstrap" not in html.lower()


@pytest.mark.django_db
def test_home_leads_into_every_part_of_the_programme(client):
    html = client.get(reverse("home")).content.decode()
    for name in ("milestones:roadmap", "consultation:index", "employers:index", "network:index"):
        assert f'href="{reverse(name)}"' in html


@pytest.mark.django_db
def test_current_section_is_marked_in_the_navigation(client):
    """One after another, as the navigation is kept ready-rendered for each section."""
    sections = {
        "home": ("Home", "/"),
        "milestones:roadmap": ("Roadmap", "/roadmap/"),
        "consultation:index": ("Consultation", "/consultation/"),
        "employers:index": ("Employers", "/employers/"),
        "network:index": ("Network", "/network/"),
        "privacy_notice": (None, "/privacy/"),
    }
    for _round in range(2):
        for name, (marked, path) in sections.items():
            assert reverse(name) == path
            html = client.get(path).content.decode()
            assert html.count('aria-current="page"') == (1 if marked else 0), path
            assert html.count("govuk-service-navigation__item--active") == (1 if marked else 0)
            if marked:
                assert (
                    '<li class="govuk-service-navigation__item '
                    'govuk-service-navigation__item--active">'
                    f'<a class="govuk-service-navigation__link" href="{path}" aria-current="page">'
                    f'<strong class="govuk-service-navigation__active-fallback">{marked}</strong>'
                    "</a></li>"
                ) in html


@pytest.mark.django_db
def test_not_found_page_uses_the_layout(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in response.content.decode()
    assert SKIP_LINK in response.content.decode()


@pytest.mark.django_db
def test_forbidden_page_uses_the_layout(client_for, member):
    response = client_for(member).get(reverse("staff_home"))
    assert response.status_code == 403
    assert (
        '<h1 class="govuk-heading-l">You do not have access to this page</h1>'
        in response.content.decode()
    )


def test_server_error_page_renders_without_a_request_or_database():
    # Django renders 500.html with no context at all; it must still show the layout.
    html = loader.get_template("500.html").render()
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>' in html
    assert MAIN in html


@pytest.mark.django_db
def test_staff_home_links_to_what_each_role_manages(client_for, commission_staff, coordinator):
    staff_page = client_for(commission_staff).get(reverse("staff_home")).content.decode()
    assert reverse("milestones:staff_roadmap") in staff_page
    coordinator_page = client_for(coordinator).get(reverse("staff_home")).content.decode()
    assert reverse("milestones:staff_roadmap") not in coordinator_page


@pytest.mark.django_db
def test_staff_home_is_for_staff_roles_and_admins_only(
    client_for, member, commission_staff, coordinator, admin
):
    url = reverse("staff_home")
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"{reverse('account_login')}?next=/staff/"
    assert client_for(member).get(url).status_code == 403
    for user in (commission_staff, coordinator, admin):
        assert client_for(user).get(url).status_code == 200


@pytest.mark.django_db
def test_load_balancers_can_check_health_with_head(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert client.head(reverse("healthz")).status_code == 200


@pytest.mark.django_db
def test_an_expired_form_is_explained_in_the_layout(member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)

    response = browser.post(reverse("account_change_password"), {"oldpassword": "x"})

    html = response.content.decode()
    assert response.status_code == 403
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert '<h1 class="govuk-heading-l">The form has expired</h1>' in html
    assert "Go back, reload the page and try again." in html
    assert MAIN in html
    assert "CSRF" not in html


@pytest.mark.django_db
def test_the_dashboard_is_marked_in_the_staff_navigation(client_for, coordinator):
    html = client_for(coordinator).get(reverse("staff_home")).content.decode()
    assert html.count('aria-current="page"') == 1
    assert (
        '<li class="portal-staff-nav__item portal-staff-nav__item--active">'
        f'<a class="portal-staff-nav__link" href="{reverse("staff_home")}" aria-current="page">'
        "Dashboard</a></li>"
    ) in html
    assert "govuk-service-navigation__item--active" not in html
