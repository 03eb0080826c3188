"""Public pages kept whole (``common.kept_pages.whole``): a visitor to whom a page is the
same as to everyone gets it without its being rendered again, with forms that work for them,
and never a page older than what it shows: a change by anyone, anywhere in the portal, or
the moment a questionnaire opens or closes, shows on the very next visit."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from common import kept_pages, revisions
from consultation import services as consultation_services
from consultation.forms import STEPS
from consultation.models import OptionKind
from recommendations import services as recommendation_services
from tests.consultation.factories import ConsultationFactory, option_ids, submit
from tests.employers.factories import SurveyFactory
from tests.milestones.factories import ActivityFactory
from tests.recommendations.factories import published_consultation, recommendation

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _step_url(consultation, step=STEPS[0].slug):
    return reverse("consultation:step", args=[consultation.slug, step])


def test_a_form_kept_whole_gives_each_visitor_their_own_working_token(
    django_assert_num_queries,
):
    consultation = ConsultationFactory()
    url = _step_url(consultation)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    with time_machine.travel(timezone.now(), tick=False):  # the revision held meanwhile
        first_page = first.get(url)
        with django_assert_num_queries(0):  # kept whole; the revision read just before
            second_page = second.get(url)

    tokens = [TOKEN.findall(page.content.decode()) for page in (first_page, second_page)]
    assert all(tokens)
    assert tokens[0] != tokens[1]
    assert kept_pages.CSRF_HOLE not in second_page.content.decode()
    assert "ETag" not in second_page  # a form is never answered 304 from a browser's copy
    for client, found in zip((first, second), tokens, strict=True):
        ticked = option_ids(consultation, OptionKind.BARRIER, 0)
        sent = client.post(url, {"barriers": ticked, "csrfmiddlewaretoken": found[0]})
        assert sent.status_code == 302, "the token on the kept page was refused"
        # Their answers are theirs: the page they come back to shows their own tick.
        again = client.get(url).content.decode()
        assert f'value="{ticked[0]}" checked' in again


def test_a_visitor_with_a_session_gets_the_page_made_for_them(client, member):
    consultation = ConsultationFactory()
    kept = client.get(_step_url(consultation))
    client.force_login(member)

    theirs = client.get(_step_url(consultation))

    assert "Sign out" in theirs.content.decode()
    assert "Sign out" not in kept.content.decode()


def test_the_form_closes_when_the_consultation_does_without_an_edit(client):
    consultation = ConsultationFactory()
    with time_machine.travel(consultation.closes_at - datetime.timedelta(minutes=1), tick=False):
        assert client.get(_step_url(consultation)).status_code == 200
    with time_machine.travel(consultation.closes_at, tick=False):
        assert client.get(_step_url(consultation)).status_code == 403


def test_the_start_page_says_open_when_a_consultation_opens_without_an_edit(client):
    opens = timezone.now() + datetime.timedelta(days=2)
    consultation = ConsultationFactory(opens_at=opens)
    activity = ActivityFactory(title="Have your say on tech")
    consultation_services.consultation_update(consultation=consultation, activity=activity)
    with time_machine.travel(opens - datetime.timedelta(seconds=1), tick=False):
        assert "open now" not in client.get(activity.get_absolute_url()).content.decode()
    with time_machine.travel(opens, tick=False):
        assert "open now" in client.get(activity.get_absolute_url()).content.decode()


def test_an_employer_survey_opening_shows_on_its_activity_without_an_edit(client):
    opens = timezone.now() + datetime.timedelta(days=2)
    activity = ActivityFactory(title="Employers and skills")
    SurveyFactory(opens_at=opens, activity=activity)
    with time_machine.travel(opens - datetime.timedelta(seconds=1), tick=False):
        page = client.get(activity.get_absolute_url()).content.decode()
        assert "open now to invited employers" not in page
    with time_machine.travel(opens, tick=False):
        page = client.get(activity.get_absolute_url()).content.decode()
        assert "open now to invited employers" in page


def test_changes_in_other_apps_show_at_once_on_pages_that_show_them(client):
    activity = ActivityFactory(title="Tech careers fair")
    assert (
        "Recommendations it serves" not in client.get(activity.get_absolute_url()).content.decode()
    )
    assert client.get(reverse("recommendations:index")).status_code == 200

    made = recommendation(title="Evening coding courses")
    recommendation_services.action_add(recommendation=made, activity=activity)
    consultation = ConsultationFactory(title="Digital tech: have your say")
    consultation_services.consultation_update(consultation=consultation, activity=activity)

    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Evening coding courses" in page
    assert "Digital tech: have your say" in page
    assert "Evening coding courses" in client.get(reverse("recommendations:index")).content.decode()


def test_residents_answers_do_not_make_the_pages_again():
    consultation = ConsultationFactory()
    before = revisions.current()

    Client().post(_step_url(consultation), {"barriers": option_ids(consultation, "barrier", 0)})
    submit(consultation)

    caches["pages"].delete(revisions.HELD_KEY)  # as once this process's copy is old
    assert revisions.current() == before


def test_a_page_that_took_a_csrf_token_itself_is_not_kept(rf):
    rendered = []

    @kept_pages.whole
    def view(request):
        rendered.append(request.path)
        return HttpResponse(f"A form for {get_token(request)}")

    for _ in range(2):
        request = rf.get("/a-form/")
        request.user = AnonymousUser()
        assert "ETag" not in view(request)
    assert len(rendered) == 2  # rendered for each visitor, with their own token


def test_pages_with_no_form_are_answered_304_on_a_repeat_visit(client):
    consultation = ConsultationFactory()
    for url in (consultation.get_absolute_url(), reverse("recommendations:index")):
        first = client.get(url)
        assert first.status_code == 200
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304


def test_a_session_cookie_alone_is_enough_to_be_rendered_for(client):
    consultation = ConsultationFactory()
    client.get(consultation.get_absolute_url())
    client.cookies[settings.SESSION_COOKIE_NAME] = "someone-else-s-session"
    assert "ETag" not in client.get(consultation.get_absolute_url())


def test_a_resident_part_way_through_gets_the_next_page_kept_and_their_own_answers_shown(
    django_assert_num_queries,
):
    consultation = ConsultationFactory()
    first, second = (_step_url(consultation, step.slug) for step in STEPS[:2])
    ticked = option_ids(consultation, OptionKind.BARRIER, 1)
    someone, resident = Client(), Client()
    someone.post(first, {"barriers": option_ids(consultation, OptionKind.BARRIER, 0)})
    someone.get(second)  # kept whole for residents part way through
    resident.post(first, {"barriers": ticked})

    with (
        time_machine.travel(timezone.now(), tick=False),  # the revision held meanwhile
        django_assert_num_queries(1),  # their session (the consultation kept)
    ):
        kept = resident.get(second)
    assert kept.templates == []  # nothing rendered for them
    page = kept.content.decode()
    assert TOKEN.findall(page)
    assert kept_pages.CSRF_HOLE not in page
    # The page they answered shows their own answers, never the kept blank one.
    assert f'value="{ticked[0]}" checked' in resident.get(first).content.decode()


def test_a_signed_in_resident_part_way_through_gets_their_own_page(client, member):
    consultation = ConsultationFactory()
    first, second = (_step_url(consultation, step.slug) for step in STEPS[:2])
    Client().get(second)
    client.force_login(member)
    client.post(first, {"barriers": option_ids(consultation, OptionKind.BARRIER, 0)})
    assert "Sign out" in client.get(second).content.decode()


def test_an_empty_query_string_is_not_kept_either(client):
    """A page may echo its query string (the language switcher's links do): ``?&`` has no
    parameters, but it is not the page everyone asks for."""
    consultation = ConsultationFactory()
    assert "ETag" not in client.get(consultation.get_absolute_url() + "?&")
    assert "ETag" in client.get(consultation.get_absolute_url())


def test_each_host_gets_its_own_page(client, settings):
    """The open data API names its documents in full: a document asked for under another of
    the portal's names is not the one kept under the first."""
    settings.ALLOWED_HOSTS = ["portal.example.org", "dit.example.org"]
    consultation = published_consultation()
    url = f"/api/v1/findings/consultation/{consultation.slug}"
    first = client.get(url, HTTP_HOST="portal.example.org").json()
    other = client.get(url, HTTP_HOST="dit.example.org").json()
    assert first["url"].startswith("http://portal.example.org/")
    assert other["url"].startswith("http://dit.example.org/")
