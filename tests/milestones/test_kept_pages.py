"""The home page's "Coming up" and the roadmap page are kept ready-rendered between
requests. Whatever changes them, by staff, in the admin or by the passing of time, shows on
the very next request in the process that made it, and within a second in every other."""

import datetime
import uuid

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from common import revisions
from common.models import Revision
from milestones import selectors, services
from milestones.models import Activity, Partner, Precision
from tests.milestones.factories import ActivityFactory, AdvisoryMeetingFactory

pytestmark = pytest.mark.django_db

LONDON_NOON = datetime.datetime(2031, 3, 10, 12, 0, tzinfo=datetime.UTC)


def _page(client, name="milestones:roadmap") -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


def test_a_page_kept_ready_is_served_with_one_query(client, django_assert_num_queries):
    """One query (the roadmap's revision) at most once a second in a process; none in
    between."""
    ActivityFactory(title="Tech careers fair")
    AdvisoryMeetingFactory(title="Spring advisory meeting")
    with time_machine.travel(timezone.now(), tick=False) as clock:  # not across a midnight
        first = _page(client)
        for name in ("milestones:roadmap", "home"):
            _page(client, name)
            with django_assert_num_queries(0):  # the revision read less than a second ago
                _page(client, name)
            clock.shift(datetime.timedelta(seconds=revisions.HELD_SECONDS))
            with django_assert_num_queries(1):  # the roadmap's revision, nothing more
                again = _page(client, name)
            assert "Spring advisory meeting" in again
        assert _page(client) == first


def test_another_process_s_change_shows_within_a_second(client):
    """A change made elsewhere (another web process, the admin on another server) moves
    the revision in the database only: this process sees it once its copy is a second
    old."""
    ActivityFactory(title="Tech careers fair")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = _page(client)
        Activity.objects.filter(title="Tech careers fair").update(title="Digital careers fair")
        Revision.objects.filter(name=revisions.PUBLIC).update(token=uuid.uuid4())
        assert _page(client) == first
        clock.shift(datetime.timedelta(seconds=revisions.HELD_SECONDS))
        html = _page(client)
    assert "Digital careers fair" in html
    assert "Tech careers fair" not in html


def test_a_page_rendered_across_midnight_is_not_kept_into_the_next_day():
    just_before = timezone.make_aware(datetime.datetime(2031, 3, 10, 23, 59, 59, 900000))

    assert selectors.next_change([], now=just_before) == timezone.make_aware(
        datetime.datetime(2031, 3, 11)
    )


def test_marking_the_pages_changed_is_one_query(django_assert_num_queries):
    revisions.changed()
    before = revisions.current()

    with django_assert_num_queries(1):
        revisions.changed()

    assert revisions.current() not in ("", before)


def test_a_staff_edit_shows_at_once(client):
    activity = ActivityFactory(title="Tech careers fair", deliverables=["Stalls"])
    assert "Tech careers fair" in _page(client)

    services.activity_update(
        activity=activity, title="Digital careers fair", deliverables=["Stalls", "Talks"]
    )

    html = _page(client)
    assert "Digital careers fair" in html
    assert "Tech careers fair" not in html
    assert "<li>Talks</li>" in html


def test_an_admin_edit_shows_at_once(client, admin):
    activity = ActivityFactory(partners=[Partner.objects.create(name="Hackney CVS")])
    partner = activity.partners.get()
    assert "Hackney CVS" in _page(client)
    admin_client = Client()  # apart, so the admin's "changed" message is not on the page read
    admin_client.force_login(admin)

    response = admin_client.post(
        reverse("admin:milestones_partner_change", args=[partner.pk]),
        {"name": "Hackney Council for Voluntary Service", "website": ""},
    )

    assert response.status_code == 302
    assert "Hackney Council for Voluntary Service" in _page(client)


def test_partners_added_hidden_and_deleted_activities_show_at_once(client):
    activity = ActivityFactory(title="Tech careers fair")
    other = ActivityFactory(title="Coding club launch")
    _page(client)

    activity.partners.add(Partner.objects.create(name="Google"))
    assert "Google" in _page(client)

    services.activity_update(activity=activity, is_public=False)
    assert "Tech careers fair" not in _page(client)

    Activity.objects.filter(pk=other.pk).get().delete()
    assert "Coding club launch" not in _page(client)


def test_meetings_scheduled_and_cancelled_show_at_once_on_the_home_page(client):
    assert "Spring advisory meeting" not in _page(client, "home")

    meeting = AdvisoryMeetingFactory(title="Spring advisory meeting")
    assert "Spring advisory meeting" in _page(client, "home")

    services.meeting_cancel(meeting=meeting)
    assert "Spring advisory meeting" not in _page(client, "home")


def test_a_meeting_leaves_coming_up_as_it_starts(client):
    with time_machine.travel(LONDON_NOON, tick=False):
        meeting = AdvisoryMeetingFactory(
            title="Spring advisory meeting", starts_at=LONDON_NOON + datetime.timedelta(hours=2)
        )
        assert "Spring advisory meeting" in _page(client, "home")
        assert "Spring advisory meeting" in _page(client)

    with time_machine.travel(meeting.starts_at + datetime.timedelta(seconds=1), tick=False):
        assert "Spring advisory meeting" not in _page(client, "home")
        assert "Spring advisory meeting" not in _page(client)


def test_statuses_move_on_at_midnight_without_an_edit(client):
    with time_machine.travel(LONDON_NOON, tick=False):
        ActivityFactory(
            title="Tech careers fair",
            kind="event",
            starts_on=datetime.date(2031, 3, 11),
            starts_precision=Precision.DAY,
        )
        assert "0 done, 0 under way, 1 upcoming." in _page(client)
        assert "Tech careers fair" in _page(client, "home")

    tomorrow = timezone.make_aware(datetime.datetime(2031, 3, 11, 0, 0, 1))
    with time_machine.travel(tomorrow, tick=False):
        assert "0 done, 1 under way, 0 upcoming." in _page(client)

    with time_machine.travel(tomorrow + datetime.timedelta(days=1), tick=False):
        html = _page(client)
        assert "1 done, 0 under way, 0 upcoming." in html
        assert '<strong class="govuk-tag govuk-tag--green">Done</strong>' in html
        assert "Tech careers fair" not in _page(client, "home")


def test_a_page_rendered_later_is_not_served_to_an_earlier_clock(client):
    """Clocks set back (and tests travelling in time) get the page for their own time."""
    starts = LONDON_NOON + datetime.timedelta(hours=2)
    AdvisoryMeetingFactory(title="Spring advisory meeting", starts_at=starts)
    with time_machine.travel(starts + datetime.timedelta(minutes=1), tick=False):
        assert "Spring advisory meeting" not in _page(client, "home")
    with time_machine.travel(LONDON_NOON, tick=False):
        assert "Spring advisory meeting" in _page(client, "home")


# Whole pages for visitors who are not signed in: ETags and 304 Not Modified.


def test_a_repeat_visit_is_answered_304_with_one_query(client, django_assert_num_queries):
    AdvisoryMeetingFactory(title="Spring advisory meeting")
    for name in ("milestones:roadmap", "home"):
        first = client.get(reverse(name))
        assert first.status_code == 200
        assert "no-cache" in first["Cache-Control"]
        caches["pages"].delete(revisions.HELD_KEY)  # as once the process's copy is old
        with django_assert_num_queries(1):  # the roadmap's revision, nothing more
            again = client.get(reverse(name), HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == first["ETag"]
        # A page kept whole is the page rendered.
        assert client.get(reverse(name)).content == first.content


def test_a_change_to_the_roadmap_gives_a_new_page_and_etag(client):
    ActivityFactory(title="Tech careers fair")
    first = client.get(reverse("milestones:roadmap"))
    ActivityFactory(title="Code club showcase")
    again = client.get(reverse("milestones:roadmap"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "Code club showcase" in again.content.decode()
    assert again["ETag"] != first["ETag"]


def test_the_passing_of_time_gives_a_new_etag(client):
    with time_machine.travel(LONDON_NOON, tick=False):
        meeting = AdvisoryMeetingFactory(starts_at=LONDON_NOON + datetime.timedelta(hours=2))
        first = client.get(reverse("home"))
    with time_machine.travel(meeting.starts_at + datetime.timedelta(seconds=1), tick=False):
        again = client.get(reverse("home"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_a_signed_in_visitor_gets_their_own_page_and_no_etag(client, member):
    client.get(reverse("home"))  # kept for visitors not signed in
    client.force_login(member)
    page = client.get(reverse("home"))
    assert "ETag" not in page
    assert "Sign out" in page.content.decode()


def test_a_page_with_a_message_waiting_is_not_kept(client):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    storage = CookieStorage(RequestFactory().get("/"))
    response = Client().get("/")  # any response to carry the cookie
    storage.add(constants.SUCCESS, "Your answers are saved")
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    page = client.get(reverse("home"))
    assert "Your answers are saved" in page.content.decode()
    assert "ETag" not in page


def test_with_debug_on_pages_are_rendered_each_time_so_edited_templates_show(client, settings):
    settings.DEBUG = True
    assert "ETag" not in client.get(reverse("home"))


def test_an_address_with_a_query_string_is_not_kept(client):
    for n in range(3):
        assert "ETag" not in client.get(reverse("home"), {"utm_source": f"newsletter-{n}"})
    assert "ETag" in client.get(reverse("home"))
