"""iCalendar (RFC 5545) for the roadmap: month-precision activities become all-day events
spanning their month(s); advisory meetings become timed events."""

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.ical import new_calendar, timed_event

from .models import Activity, AdvisoryMeeting


def activity_event(activity: Activity, *, base_url: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{activity.calendar_uid}@{settings.CALENDAR_UID_DOMAIN}")
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("last-modified", activity.updated_at.astimezone(datetime.UTC))
    event.add("summary", activity.title)
    # All-day events: DTEND is exclusive, so the day after the last day covered.
    event.add("dtstart", activity.starts_on)
    event.add("dtend", activity.last_day + datetime.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    lines = [activity.description] if activity.description else []
    lines += [f"• {d.text}" for d in activity.deliverables.all()]
    if lines:
        event.add("description", "\n".join(lines))
    event.add("url", base_url + activity.get_absolute_url())
    return event


def meeting_event(meeting: AdvisoryMeeting, *, base_url: str) -> icalendar.Event:
    """A meeting for the public feed: the place, but not the online link, which only
    invitees receive (in their reminders)."""
    return timed_event(
        uid=str(meeting.uid),
        sequence=meeting.sequence,
        summary=meeting.title,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        location=meeting.location,
        description=meeting.agenda,
        cancelled=meeting.is_cancelled,
        url=base_url + meeting.get_absolute_url(),
    )


def roadmap_calendar(
    activities: list[Activity], meetings: list[AdvisoryMeeting], *, base_url: str
) -> bytes:
    cal = new_calendar(name=str(_("Diversity in Tech roadmap")), method="PUBLISH")
    for activity in activities:
        cal.add_component(activity_event(activity, base_url=base_url))
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, base_url=base_url))
    return cal.to_ical()
