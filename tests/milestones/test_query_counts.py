"""Each roadmap page makes a fixed number of queries, however much there is on it."""

import datetime

import pytest
from django.core.cache import caches
from django.urls import reverse

from milestones import services
from milestones.models import Partner
from tests.milestones.factories import (
    ActivityFactory,
    AdvisoryMeetingFactory,
    AdvisoryMemberFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def assert_fixed_queries(django_assert_max_num_queries, django_assert_num_queries):
    """``assert_fixed_queries(client, url, at_most, grow)``: the page stays within
    ``at_most`` queries, and makes exactly as many again after ``grow()`` adds rows."""

    def check(client, url, at_most, grow):
        # A first visit fills caches (content types, say) that are not the page's cost;
        # each visit measured renders the page (none kept whole, ``kept_pages.whole``).
        client.get(url)
        caches["pages"].clear()
        with django_assert_max_num_queries(at_most) as few:
            assert client.get(url).status_code == 200
        grow()
        caches["pages"].clear()
        with django_assert_num_queries(len(few.captured_queries)):
            assert client.get(url).status_code == 200

    return check


def _more_roadmap(n=10):
    workstream = WorkstreamFactory()
    partners = [Partner.objects.create(name=f"Partner {i}") for i in range(3)]
    for i in range(n):
        ActivityFactory(
            workstream=workstream,
            kind="event",
            starts_on=datetime.date(2031 + i % 3, 1 + i % 12, 1),
            partners=partners,
            deliverables=[f"Outcome {j}" for j in range(4)],
        )
    AdvisoryMeetingFactory.create_batch(n // 2, members=AdvisoryMemberFactory.create_batch(3))


def test_home(client, django_assert_num_queries):
    """The public pages' revision, when the page may next change by itself (the next
    meeting, consultation and survey opening or closing), then, unless "Coming up" is kept
    ready for it, the upcoming meetings and events (tests/milestones/test_kept_pages.py)."""
    ActivityFactory()
    with django_assert_num_queries(6):
        assert client.get(reverse("home")).status_code == 200
    _more_roadmap()
    with django_assert_num_queries(6):
        assert client.get(reverse("home")).status_code == 200


def test_activity_page(client, assert_fixed_queries):
    activity = ActivityFactory(kind="advisory_meeting", partners=[Partner.objects.create(name="A")])
    AdvisoryMeetingFactory(activity=activity)

    def grow():
        services.activity_update(
            activity=activity,
            deliverables=[f"Outcome {i}" for i in range(10)],
            partners=[Partner.objects.create(name=f"Partner {i}") for i in range(5)],
        )
        AdvisoryMeetingFactory.create_batch(4, activity=activity)

    # One of them: the recommendations the activity serves (common.related).
    # The revision and when the page may next change by itself (4), and the page's own 7.
    assert_fixed_queries(client, activity.get_absolute_url(), 11, grow)


def test_meeting_page_for_staff(client_for, commission_staff, assert_fixed_queries):
    meeting = AdvisoryMeetingFactory(
        members=[AdvisoryMemberFactory()], papers=[("Agenda pack", "https://example.org/a.pdf")]
    )

    def grow():
        services.meeting_update(
            meeting=meeting,
            members=AdvisoryMemberFactory.create_batch(8),
            papers=[(f"Paper {i}", f"https://example.org/{i}.pdf") for i in range(6)],
        )

    assert_fixed_queries(client_for(commission_staff), meeting.get_absolute_url(), 9, grow)


def test_meeting_page_for_an_invited_member(client_for, member, assert_fixed_queries):
    adviser = AdvisoryMemberFactory(user=member, email=member.email)
    meeting = AdvisoryMeetingFactory(members=[adviser])

    def grow():
        services.meeting_set_invitees(
            meeting=meeting, members=[adviser, *AdvisoryMemberFactory.create_batch(8)]
        )

    assert_fixed_queries(client_for(member), meeting.get_absolute_url(), 8, grow)


def test_staff_roadmap(client_for, commission_staff, assert_fixed_queries):
    ActivityFactory()
    AdvisoryMeetingFactory()
    assert_fixed_queries(
        client_for(commission_staff), reverse("milestones:staff_roadmap"), 8, _more_roadmap
    )


def test_roadmap_json(client, assert_fixed_queries):
    ActivityFactory()
    AdvisoryMeetingFactory()
    assert_fixed_queries(client, reverse("milestones:roadmap_json"), 4, _more_roadmap)
