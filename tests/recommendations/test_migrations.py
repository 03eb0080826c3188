"""The recommendations app's data migration, run for real: residents' existing topics and
choices are kept, and the progress topic is added (or an existing one of its name kept)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migrations import migrate, migrate_to_latest

BEFORE = [("consultation", "0010_newstopic_key"), ("recommendations", "0001_initial")]
AFTER = [("recommendations", "0002_progress_topic_and_permissions")]


@pytest.mark.django_db(transaction=True)
def test_the_progress_topic_joins_the_residents_topics_and_keeps_theirs():
    MigrationExecutor(connection).migrate([("recommendations", None)])  # before the app
    old = migrate(BEFORE[:1])
    NewsTopic = old.get_model("consultation", "NewsTopic")
    Contact = old.get_model("consultation", "Contact")
    NewsTopic.objects.filter(name__startswith="What the commission did").delete()
    training = NewsTopic.objects.get(name="Training and courses")
    contact = Contact.objects.create(email="a@example.org", consent_text="Yes")
    contact.topics.add(training)
    try:
        migrate(BEFORE)
        new = migrate(AFTER)
        NewsTopic = new.get_model("consultation", "NewsTopic")
        Contact = new.get_model("consultation", "Contact")
        progress = NewsTopic.objects.get(key="recommendation-progress")
        assert progress.name == "What the commission did: progress on its recommendations"
        assert progress.is_active
        kept = Contact.objects.get(pk=contact.pk)
        assert list(kept.topics.values_list("name", flat=True)) == ["Training and courses"]
        assert NewsTopic.objects.filter(key__isnull=True).count() == 5

        migrate(BEFORE)  # and back: the topic stays a topic, no longer the app's
        migrate(AFTER)  # forward again: the same topic, not a second
        assert (
            new.get_model("consultation", "NewsTopic")
            .objects.filter(name__startswith="What the commission did")
            .count()
            == 1
        )
    finally:
        migrate_to_latest()
