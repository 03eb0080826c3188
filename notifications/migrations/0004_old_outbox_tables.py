"""The three tables the outbox replaces go, once every app has moved what was in them
(0003 here, and each app's own migration of its queued work, which runs before this)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_outbox"),
    ]

    operations = [
        migrations.DeleteModel(
            name="PendingTask",
        ),
        migrations.DeleteModel(
            name="ReminderDelivery",
        ),
        migrations.DeleteModel(
            name="SentNotification",
        ),
    ]
