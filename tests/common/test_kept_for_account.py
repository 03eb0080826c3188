"""Staff pages kept for each account (``common.kept_pages.served_to_account``): a repeat
visit by the same person is not rendered again, yet the access check runs every time, each
person gets their own layout and token, and any change to what the page shows shows on
the very next visit."""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts import roles
from common import kept_pages
from consultation import services
from consultation.models import OptionKind
from employers.models import Sector, SizeBand
from tests.conftest import make_user
from tests.consultation.factories import ConsultationFactory, submit
from tests.employers.factories import SurveyFactory
from tests.employers.test_staff import _respond

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FIGURES = "consultation/staff/_results_figures.html"


@pytest.fixture
def consultation():
    return ConsultationFactory()


def _results(consultation):
    return reverse("consultation_staff:results", args=[consultation.slug])


def _signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_a_repeat_visit_is_not_rendered_again_and_counts_nothing(
    commission_staff, consultation, django_assert_max_num_queries
):
    submit(consultation)
    client = _signed_in(commission_staff)
    url = _results(consultation)
    first = client.get(url)
    with django_assert_max_num_queries(3) as again:  # session, account, figures version
        repeat = client.get(url)

    assert first.templates
    assert not repeat.templates
    assert not any("consultation_option" in q["sql"] for q in again.captured_queries)
    assert repeat.content.count(b"<table") == first.content.count(b"<table") > 0
    assert "1 response:" in repeat.content.decode()


def test_each_account_gets_its_own_layout_and_a_working_token(
    commission_staff, admin, consultation
):
    url = _results(consultation)
    pages = {}
    for user in (commission_staff, admin):
        client = _signed_in(user)
        client.get(url)
        pages[user] = (client, client.get(url).content.decode())

    admin_link = f'href="{reverse("admin:index")}"'
    assert admin_link in pages[admin][1]
    assert admin_link not in pages[commission_staff][1]
    tokens = [TOKEN.findall(page)[0] for _client, page in pages.values()]
    assert tokens[0] != tokens[1]
    for (client, page), token in zip(pages.values(), tokens, strict=True):
        assert kept_pages.CSRF_HOLE not in page
        signed_out = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
        assert signed_out.status_code == 302, "the token on the kept page was refused"


def test_the_access_check_runs_on_every_visit(commission_staff, consultation):
    client = _signed_in(commission_staff)
    url = _results(consultation)
    client.get(url)
    Group.objects.get(name=roles.COMMISSION_STAFF).user_set.remove(commission_staff)
    assert client.get(url).status_code == 403


def test_a_new_answer_a_code_and_a_relabelled_option_show_on_the_next_visit(
    commission_staff, consultation
):
    client = _signed_in(commission_staff)
    url = _results(consultation)
    submit(consultation)
    assert "1 response:" in client.get(url).content.decode()
    response = submit(consultation, comments="Evening courses")
    assert "2 responses:" in client.get(url).content.decode()

    theme = services.theme_create(consultation=consultation, name="Timing of courses")
    assert "Timing of courses" in client.get(url).content.decode()
    services.response_code(response=response, themes=[theme], coded_by=commission_staff)
    assert "1 coded," in client.get(url).content.decode()

    option = consultation.options.filter(kind=OptionKind.BARRIER).first()
    option.label = "Courses are too far away"
    option.save()
    assert "Courses are too far away" in client.get(url).content.decode()


def test_each_grouping_is_kept_apart(commission_staff, consultation):
    client = _signed_in(commission_staff)
    url = _results(consultation)
    client.get(url)
    by_sex = client.get(url, {"by": "sex"}).content.decode()
    assert 'value="sex" selected' in by_sex
    assert 'value="sex" selected' not in client.get(url).content.decode()


def test_employer_results_are_kept_and_a_new_answer_shows(commission_staff):
    survey = SurveyFactory()
    client = _signed_in(commission_staff)
    url = reverse("employers:results", args=[survey.slug])
    _respond(survey, Sector.TECH, SizeBand.SMALL, [0])
    first = client.get(url)
    repeat = client.get(url)
    assert first.templates
    assert not repeat.templates
    _respond(survey, Sector.TECH, SizeBand.SMALL, [0])
    later = client.get(url)
    assert later.templates
    assert re.search(r"<td[^>]*>\s*2\s*</td>", later.content.decode())


@pytest.fixture
def staff_request(commission_staff):
    """A GET for a staff page by commission staff, as the middleware leaves it."""

    def make(path="/staff/page/", **query):
        request = RequestFactory().get(path, query)
        request.user = commission_staff
        request.session = SessionStore()
        request._messages = FallbackStorage(request)
        return request

    return make


def _rendered(*requests, **options) -> int:
    """How many times the page is rendered for ``requests``, one after the other."""
    rendered = []

    def render():
        rendered.append(1)
        return HttpResponse("<p>A staff page</p>")

    for request in requests:
        kept_pages.served_to_account(request, render, shows="1", **options)
    return len(rendered)


def test_a_page_is_kept_only_when_nothing_else_changes_it(staff_request, settings):
    assert _rendered(staff_request("/a/"), staff_request("/a/")) == 1
    by_sex = [staff_request("/b/", by="sex") for _ in range(2)]
    assert _rendered(*by_sex, reads=("by",)) == 1
    # A query string naming what the view does not say it reads.
    assert _rendered(staff_request("/c/", page="2"), staff_request("/c/", page="2")) == 2
    # A message waiting: the page shows it, so it is neither kept nor served from what is.
    waiting = staff_request("/d/")
    waiting._messages.add(constants.SUCCESS, "Saved.")
    assert _rendered(staff_request("/d/"), waiting) == 2
    settings.DEBUG = True
    assert _rendered(staff_request("/e/"), staff_request("/e/")) == 2


def test_accounts_given_the_same_stamp_by_one_change_keep_their_own_pages(commission_staff):
    """A change to a group gives all its members one new stamp: still one page each."""
    other = make_user("other.staff@example.org", groups=(roles.COMMISSION_STAFF,), mfa=True)
    staff_group = Group.objects.get(name=roles.COMMISSION_STAFF)
    staff_group.permissions.remove(staff_group.permissions.get(codename="add_theme"))
    commission_staff.refresh_from_db()
    other.refresh_from_db()
    assert commission_staff.access_stamp == other.access_stamp

    def page_for(user):
        request = RequestFactory().get("/staff/page/")
        request.user, request.session = user, SessionStore()
        request._messages = FallbackStorage(request)
        return kept_pages.served_to_account(
            request, lambda: HttpResponse(f"<p>{request.user.email}</p>"), shows="1"
        )

    for user in (commission_staff, other, commission_staff):
        assert page_for(user).content.decode() == f"<p>{user.email}</p>"


def test_a_kept_page_follows_a_change_made_around_the_signals_once_read_again(
    commission_staff, consultation
):
    """A permission taken away without a signal (through the membership table) is read
    again within minutes by the access check, and the kept page's layout follows it."""
    client = _signed_in(commission_staff)
    url = _results(consultation)
    surveys_link = f'href="{reverse("employers:staff_list")}"'
    client.get(url)
    assert surveys_link in client.get(url).content.decode()
    Group.permissions.through.objects.filter(
        group__name=roles.COMMISSION_STAFF, permission__codename="view_employerresponse"
    ).delete()
    caches["access"].clear()  # as after ACCESS_KEPT_SECONDS
    assert surveys_link not in client.get(url).content.decode()


def test_each_grouping_stays_kept_beside_the_others(staff_request):
    by = [staff_request("/g/", by=key) for key in ("sex", "age_band", "sex", "age_band")]
    rendered = []

    def render():
        rendered.append(1)
        return HttpResponse("<p>A staff page</p>")

    for request in by:
        kind = request.GET["by"]
        kept_pages.served_to_account(request, render, shows="1", reads=("by",), kind=kind)
    assert len(rendered) == 2
