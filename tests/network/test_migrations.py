"""The network's data migrations keep what the database holds."""

import datetime

import pytest

from network.models import Cohort, Membership
from notifications.models import Message
from tests.migrations import migrate, migrate_to_latest


@pytest.mark.django_db(transaction=True)
def test_event_place_emails_waiting_from_before_invitations_are_settled_and_kept():
    """ "A place came free" emails became calendar invitations: one still waiting is marked
    not needed, with the reason, rather than tried until it fails; sent ones stay as sent."""
    old = migrate([("network", "0007_place_funding_reason")])
    message = old.get_model("notifications", "Message")
    for status in ("pending", "sending", "sent"):
        message.objects.create(
            key=f"event-place:{status}",
            topic="network.event_place",
            recipient=f"{status}@example.org",
            status=status,
        )
    message.objects.create(key="other", topic="network.match", recipient="m@example.org")

    migrate_to_latest()

    rows = dict(Message.objects.filter(key__startswith="event-place:").values_list("key", "status"))
    rows["other"] = Message.objects.get(key="other").status
    assert rows == {
        "event-place:pending": "skipped",
        "event-place:sending": "skipped",
        "event-place:sent": "sent",
        "other": "pending",
    }
    assert Message.objects.get(key="event-place:pending").note.startswith(
        "Replaced by calendar invitations"
    )
    assert Message.objects.get(key="event-place:sent").recipient == "sent@example.org"


@pytest.mark.django_db(transaction=True)
def test_network_news_becomes_opt_in_and_every_membership_is_kept():
    old = migrate([("network", "0009_replies")])
    organisation = old.get_model("network", "Organisation").objects.get(name="Hackney")
    membership = old.get_model("network", "Membership")
    for name, news in (("Ada", True), ("Bea", False)):
        membership.objects.create(
            name=name,
            organisation=organisation,
            seniority=3,
            discipline="data",
            receives_optional_email=news,
        )

    migrate_to_latest()

    assert dict(Membership.objects.values_list("name", "receives_optional_email")) == {
        "Ada": False,
        "Bea": False,
    }


@pytest.mark.django_db(transaction=True)
def test_cohorts_from_before_nominations_release_their_places_four_weeks_before_they_start():
    old = migrate([("network", "0010_network_news_is_opt_in")])
    cohort = old.get_model("network", "Cohort")
    made = cohort.objects.create(starts_on=datetime.date(2027, 3, 1))

    migrate_to_latest()

    kept = Cohort.objects.get(pk=made.pk)
    assert kept.release_on == datetime.date(2027, 2, 1)
    assert kept.released_at is None
    assert kept.places.count() == 0
