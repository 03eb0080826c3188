"""One outbox for every email: the records of what was sent (one-off emails and reminders)
move into it, and keep their keys, so nothing sent before is sent again.

A one-off email whose claim was never marked sent (a worker killed mid-send, which the old
claim never retried) becomes a message waiting to send: its builder decides, from the
database as it is now, whether it is still owed. Work queued but not yet run (the old
pending tasks) is moved by each app's own migration, which runs before the old tables go
(0004). Going back leaves the old tables empty and the messages in place.
"""

import django.utils.timezone
from django.db import migrations, models

# What each one-off key said, before the outbox: (key prefix, topic, parameter names of the
# parts after the prefix, in order).
ONE_OFF = [
    ("employers.invitation", "employers.invitation", ["invitation_id", "token_hash"]),
    ("membership-decision", "network.decision", ["membership_id", None, "decided_at"]),
    ("place-offer", "network.place_offer", ["place_id"]),
    ("event-place", "network.event_place", ["rsvp_id"]),
    ("match", "network.match", ["match_id", "role"]),
]
REMINDER_TOPICS = {
    "reminder": "reminders.reminder",
    "update": "reminders.update",
    "cancel": "reminders.cancel",
}


def _one_off(key: str):
    prefix, _, rest = key.partition(":")
    for known, topic, names in ONE_OFF:
        if prefix == known:
            parts = rest.split(":", len(names) - 1)
            params = {
                name: int(part) if name.endswith("_id") else part
                for name, part in zip(names, parts, strict=False)
                if name is not None
            }
            return topic, params
    return prefix, {}


def forwards(apps, schema_editor):
    Message = apps.get_model("notifications", "Message")
    SentNotification = apps.get_model("notifications", "SentNotification")
    ReminderDelivery = apps.get_model("notifications", "ReminderDelivery")
    rows = []
    for sent in SentNotification.objects.iterator():
        topic, params = _one_off(sent.key)
        rows.append(
            Message(
                key=sent.key,
                topic=topic,
                recipient=sent.recipient,
                params=params,
                status="sent" if sent.sent_at else "pending",
                sent_at=sent.sent_at,
                created_at=sent.claimed_at,
                note="" if sent.sent_at else "Claimed before the outbox and never marked sent.",
            )
        )
    for old in ReminderDelivery.objects.iterator():
        topic = REMINDER_TOPICS[old.purpose]
        rows.append(
            Message(
                key=f"{topic}:{old.kind}:{old.occurrence_id}:{old.sequence}:"
                f"{old.offset_minutes}:{old.recipient}",
                topic=topic,
                recipient=old.recipient,
                params={"offset_minutes": old.offset_minutes} if old.purpose == "reminder" else {},
                about_kind=old.kind,
                about_id=old.occurrence_id,
                sequence=old.sequence,
                status=old.status,
                attempts=old.attempts,
                next_attempt_at=old.next_attempt_at,
                claimed_at=old.claimed_at,
                claim=old.claim,
                sent_at=old.sent_at,
                note=old.note,
                created_at=old.created_at,
            )
        )
    Message.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_content_types"),
    ]

    operations = [
        migrations.CreateModel(
            name="Message",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(editable=False, max_length=300, unique=True)),
                ("topic", models.CharField(max_length=60, verbose_name="kind")),
                ("recipient", models.EmailField(max_length=254, verbose_name="to")),
                ("params", models.JSONField(blank=True, default=dict)),
                ("about_kind", models.CharField(blank=True, max_length=20)),
                ("about_id", models.PositiveBigIntegerField(blank=True, null=True)),
                (
                    "sequence",
                    models.PositiveIntegerField(
                        default=0,
                        help_text="The version (SEQUENCE) of the occurrence this email is about.",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting to send"),
                            ("sending", "Sending"),
                            ("sent", "Sent"),
                            ("failed", "Failed"),
                            ("skipped", "Not needed"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("claimed_at", models.DateTimeField(blank=True, null=True)),
                ("claim", models.CharField(blank=True, db_index=True, max_length=32)),
                ("subject", models.CharField(blank=True, max_length=300, verbose_name="subject")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent")),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="note")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="created"),
                ),
            ],
            options={
                "verbose_name": "email",
                "verbose_name_plural": "emails",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                fields=["status", "next_attempt_at"], name="notificatio_status_6a7b94_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                fields=["about_kind", "about_id"], name="notificatio_about_k_580f8c_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(fields=["topic", "created_at"], name="notificatio_topic_ff94e7_idx"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
