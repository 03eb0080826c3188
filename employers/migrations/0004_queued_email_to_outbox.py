"""Invitations queued but not yet sent before the outbox become outbox messages, under the
keys the outbox gives them now (notifications 0003 explains the move); one already sent
keeps its record and is not sent again."""

from django.db import migrations

TASK = "employers.tasks.send_invitation"
TOPIC = "employers.invitation"


def forwards(apps, schema_editor):
    PendingTask = apps.get_model("notifications", "PendingTask")
    Message = apps.get_model("notifications", "Message")
    Invitation = apps.get_model("employers", "Invitation")
    ids = [task.args[0] for task in PendingTask.objects.filter(task=TASK)]
    Message.objects.bulk_create(
        [
            Message(
                key=f"{TOPIC}:{invitation.pk}:{invitation.token_hash}",
                topic=TOPIC,
                recipient=invitation.email,
                params={"invitation_id": invitation.pk, "token_hash": invitation.token_hash},
            )
            for invitation in Invitation.objects.filter(pk__in=ids)
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0003_questionnaire_base"),
        ("notifications", "0003_outbox"),
    ]
    run_before = [("notifications", "0004_old_outbox_tables")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
