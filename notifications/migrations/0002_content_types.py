"""The outbox models' content types follow them from dit_portal to notifications, so their
permissions (who may clear a pending task) stay attached."""

from django.db import migrations

MODELS = ["sentnotification", "pendingtask", "reminderdelivery"]


def rename(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor):
    rename(apps, "dit_portal", "notifications")


def backwards(apps, schema_editor):
    rename(apps, "notifications", "dit_portal")


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
