"""Data migrations of the consultation, run for real against the test database."""

import datetime

import pytest

from tests.migrations import migrate, migrate_to_latest

BEFORE = [("consultation", "0003_figures_version")]
AFTER = [("consultation", "0004_contact_dates_and_census_wording")]


@pytest.mark.django_db(transaction=True)
def test_contact_times_become_london_dates():
    old = migrate(BEFORE)
    Contact = old.get_model("consultation", "Contact")
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST): the day is London's.
    late = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    confirmed = Contact.objects.create(
        email="a@example.org",
        consent_text="I agree",
        consented_at=late,
        confirmation_sent_at=late + datetime.timedelta(seconds=2),
    )
    unconfirmed = Contact.objects.create(
        email="b@example.org",
        consent_text="I agree",
        consented_at=datetime.datetime(2026, 1, 15, 9, 0, tzinfo=datetime.UTC),
    )
    try:
        new = migrate(AFTER)
        Contact = new.get_model("consultation", "Contact")
        first, second = (Contact.objects.get(pk=c.pk) for c in (confirmed, unconfirmed))
        assert (first.consented_on, first.confirmation_sent_on) == (
            datetime.date(2026, 7, 1),
            datetime.date(2026, 7, 1),
        )
        assert (second.consented_on, second.confirmation_sent_on) == (
            datetime.date(2026, 1, 15),
            None,
        )
    finally:
        migrate_to_latest()
