"""iCalendar (RFC 5545) pieces shared by every app that publishes dates."""

import datetime
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.utils import timezone
from icalendar.parser import Contentline


def new_calendar(*, name: str, method: str | None = None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//DiT Portal//Diversity in Tech//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # One line: icalendar does not escape a line break in this (non-standard) property.
    cal.add("x-wr-calname", " ".join(str(name).split()))
    if method:
        cal.add("method", method)
    return cal


def timed_event(
    *,
    uid: str,
    sequence: int,
    summary: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    url: str,
    location: str = "",
    description: str = "",
    cancelled: bool = False,
    attendee: str = "",
) -> icalendar.Event:
    """A VEVENT in UTC. ``uid`` is the occurrence's own stable id; the domain is added.
    With an ``attendee`` (an invitation sent by email, RFC 5546) the portal is named as
    organiser and the attendee as the one invited; replies come back through the links in
    the email, not as calendar replies, which nobody reads (``RSVP=FALSE``)."""
    event = icalendar.Event()
    event.add("uid", f"{uid}@{settings.CALENDAR_UID_DOMAIN}")
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("sequence", sequence)
    event.add("summary", summary)
    event.add("dtstart", starts_at.astimezone(datetime.UTC))
    event.add("dtend", ends_at.astimezone(datetime.UTC))
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("url", url)
    if attendee:
        name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        organizer = icalendar.vCalAddress(f"mailto:{address}")
        organizer.params["cn"] = icalendar.vText(name or settings.COUNCIL_NAME)
        event.add("organizer", organizer)
        event.add("attendee", _invited(attendee))
    return event


def _invited(email: str) -> icalendar.vCalAddress:
    invited = icalendar.vCalAddress(f"mailto:{email}")
    invited.params.update({"role": "REQ-PARTICIPANT", "partstat": "NEEDS-ACTION", "rsvp": "FALSE"})
    return invited


# Whom a calendar written once for many is addressed to until ``addressed_to`` says.
ANYONE = "attendee@invalid"


def _written_attendee_line(email: str) -> bytes:
    """The ATTENDEE content line for ``email``, folded as in a whole calendar."""
    event = icalendar.Event()
    event.add("attendee", _invited(email))
    return event.to_ical().removeprefix(b"BEGIN:VEVENT\r\n").removesuffix(b"END:VEVENT\r\n")


_ANYONE_LINE = _written_attendee_line(ANYONE)
# The same line unfolded: any address written into it and folded again is what icalendar
# writes for that address (the address is the line's only part that differs).
_ANYONE_UNFOLDED = _ANYONE_LINE.decode().replace("\r\n ", "").removesuffix("\r\n")


def _attendee_line(email: str) -> bytes:
    line = _ANYONE_UNFOLDED.replace(f"mailto:{ANYONE}", f"mailto:{email}", 1)
    return Contentline(line).to_ical() + b"\r\n"


def addressed_to(calendar: bytes, email: str) -> bytes:
    """``calendar`` (one event, written once with ``attendee=ANYONE``) addressed to
    ``email``. Writing the whole calendar again for each of thousands of recipients was
    most of a reminder run's time; the line is the only difference."""
    return calendar.replace(_ANYONE_LINE, _attendee_line(email), 1)
