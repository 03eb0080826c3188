"""Sign-up confirmations queued but not yet sent before the outbox become outbox messages,
under the keys the outbox gives them now (notifications 0003 explains the move)."""

from django.db import migrations

TASK = "consultation.tasks.send_contact_confirmation"
TOPIC = "consultation.contact_confirmation"


def forwards(apps, schema_editor):
    PendingTask = apps.get_model("notifications", "PendingTask")
    Message = apps.get_model("notifications", "Message")
    Contact = apps.get_model("consultation", "Contact")
    ids = [task.args[0] for task in PendingTask.objects.filter(task=TASK)]
    owed = Contact.objects.filter(
        pk__in=ids, withdrawn_at__isnull=True, confirmation_sent_on__isnull=True
    )
    Message.objects.bulk_create(
        [
            Message(
                key=f"{TOPIC}:{contact.pk}",
                topic=TOPIC,
                recipient=contact.email,
                params={"contact_id": contact.pk},
            )
            for contact in owed
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("consultation", "0006_questionnaire_base"),
        ("notifications", "0003_outbox"),
    ]
    run_before = [("notifications", "0004_old_outbox_tables")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
