"""Personal calendar feeds: one secret address per person, to subscribe to in a calendar
program, holding everything they are invited to or have a place at (advisory meetings,
reflection sessions, network events) as the portal knows it now. The address carries a
signature of the account and the feed's nonce: nothing secret is kept in the database, and
making a new address retires the old one at once."""

import datetime
import secrets

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.links import absolute_url

from .ical import new_calendar
from .models import CalendarFeed
from .reminders import calendar_event, sources

SALT = "notifications.calendar-feed"
# How far back the feed reaches: recent past entries stay, so a calendar does not lose them
# the moment they end.
HISTORY = datetime.timedelta(days=90)


def _token(feed: CalendarFeed) -> str:
    return signing.dumps([feed.user_id, feed.nonce], salt=SALT, compress=True)


def address_of(user) -> str | None:
    """The person's feed address, or None if they have none."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        return None
    return absolute_url(reverse("calendar_feed", args=[_token(feed)]))


def feed_renew(*, user) -> str:
    """Give the person a feed address, or a new one in place of the old (which stops
    working at once). Returns the new address."""
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(
            user=user, defaults={"nonce": secrets.token_hex(16), "created_at": timezone.now()}
        )
    return address_of(user)


def feed_stop(*, user) -> None:
    """Stop the person's feed: its address no longer works."""
    CalendarFeed.objects.filter(user=user).delete()


def owner_of(token: str):
    """The account whose current feed ``token`` is, or None."""
    try:
        user_id, nonce = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(nonce, str):
        return None
    feed = CalendarFeed.objects.filter(user_id=user_id, nonce=nonce).select_related("user")
    found = feed.first()
    return found.user if found and found.user.is_active else None


def feed_ics(user) -> bytes:
    """The person's calendar: every occurrence they are invited to or hold a place at,
    from ``HISTORY`` ago on (cancelled ones marked so, so calendars drop them)."""
    since = timezone.now() - HISTORY
    calendar = new_calendar(name=_("Diversity in Tech: your meetings and events"), method="PUBLISH")
    for source in sources().values():
        for occurrence in source.occurrences_for(user.email, since=since):
            calendar.add_component(calendar_event(occurrence))
    return calendar.to_ical()
