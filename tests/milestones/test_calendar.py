"""The roadmap's iCalendar feed, read back as a calendar program would."""

import datetime
import json

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from milestones.models import Activity
from tests.milestones.factories import ActivityFactory, AdvisoryMeetingFactory

pytestmark = pytest.mark.django_db


def _events(client):
    response = client.get(reverse("milestones:calendar"))
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_a_roadmap_entry_with_its_meeting_is_in_the_feed_once(client):
    entry = ActivityFactory(
        title="Spring advisory group meeting",
        kind="advisory_meeting",
        starts_on=timezone.localdate().replace(day=1),
    )
    meeting = AdvisoryMeetingFactory(title="Advisory Group Meeting", activity=entry)
    ActivityFactory(title="Showcase", starts_on=datetime.date(2030, 6, 1))

    events = _events(client)

    assert sorted(str(e["SUMMARY"]) for e in events) == ["Advisory Group Meeting", "Showcase"]
    (timed,) = [e for e in events if str(e["SUMMARY"]) == "Advisory Group Meeting"]
    assert str(timed["UID"]).startswith(str(meeting.uid))
    assert timed.decoded("DTSTART") == meeting.starts_at
    # The export is the whole roadmap: the entry is still there.
    exported = json.loads(client.get(reverse("milestones:roadmap_json")).content)
    assert [a["title"] for a in exported["activities"]] == [
        "Spring advisory group meeting",
        "Showcase",
    ]


def test_a_new_address_does_not_change_an_activity_in_subscribed_calendars(client):
    activity = ActivityFactory(title="Careers fair")
    (before,) = _events(client)

    Activity.objects.filter(pk=activity.pk).update(slug="jobs-fair")

    (after,) = _events(client)
    assert str(after["UID"]) == str(before["UID"])
    assert str(after["URL"]).endswith("/roadmap/jobs-fair/")


def test_calendar_programs_can_check_the_feed_with_head(client):
    ActivityFactory()

    response = client.head(reverse("milestones:calendar"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
