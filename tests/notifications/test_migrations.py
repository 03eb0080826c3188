"""The outbox moved from dit_portal to notifications without new tables: a database from
before the move migrates forward and keeps every record of what was sent or is waiting."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from notifications.models import PendingTask, ReminderDelivery, SentNotification

MODELS = ["sentnotification", "pendingtask", "reminderdelivery"]


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_what_was_sent():
    sent = SentNotification.objects.create(key="decision:1", recipient="a@example.org")
    pending = PendingTask.objects.create(key="k", task="network.tasks.send_decision", args=[1])
    reminder = ReminderDelivery.objects.create(
        kind="meeting", occurrence_id=3, recipient="b@example.org", purpose="reminder"
    )
    types = {m: ContentType.objects.get(app_label="notifications", model=m).pk for m in MODELS}
    # As the previous release left it: dit_portal's migrations recorded, no notifications
    # ones, and the content types under dit_portal.
    MigrationRecorder.Migration.objects.filter(app="notifications").delete()
    ContentType.objects.filter(app_label="notifications").update(app_label="dit_portal")
    ContentType.objects.clear_cache()

    executor = MigrationExecutor(connection)
    executor.loader.check_consistent_history(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    assert [(m.app_label, m.name) for m, _ in plan] == [("notifications", "0002_content_types")]
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    assert {
        m: ContentType.objects.get(app_label="notifications", model=m).pk for m in MODELS
    } == types
    assert SentNotification.objects.get(pk=sent.pk).key == "decision:1"
    assert PendingTask.objects.get(pk=pending.pk).args == [1]
    assert ReminderDelivery.objects.get(pk=reminder.pk).recipient == "b@example.org"
