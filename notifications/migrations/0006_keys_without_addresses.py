import hashlib
import hmac

from django.conf import settings
from django.db import migrations

TOPICS = [
    "reminders.invitation",
    "reminders.reminder",
    "reminders.update",
    "reminders.cancel",
    "reminders.removal",
]


def person_key(email: str) -> str:
    # As notifications.reminders.person_key: a migration keeps its own copy, so that it
    # does the same whatever the code becomes.
    return hmac.new(
        settings.SECRET_KEY.encode(), f"person:{email.lower()}".encode(), hashlib.sha256
    ).hexdigest()[:32]


def hide_addresses(apps, schema_editor):
    """Keys of the messages about meetings, sessions and events ended with the address
    (kept for ever, and searchable in the admin, after the address itself was erased from
    the message): each ends with its keyed hash instead. The key still names one message,
    so nothing is posted twice."""
    Message = apps.get_model("notifications", "Message")
    changed = []
    for message in Message.objects.filter(topic__in=TOPICS).only("pk", "key").iterator():
        head, _sep, tail = message.key.rpartition(":")
        if "@" in tail:
            message.key = f"{head}:{person_key(tail)}"
            changed.append(message)
        if len(changed) >= 1000:
            Message.objects.bulk_update(changed, ["key"])
            changed = []
    Message.objects.bulk_update(changed, ["key"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_calendar_feed")]

    operations = [migrations.RunPython(hide_addresses, migrations.RunPython.noop)]
