"""The user's content type follows it from dit_portal to accounts, so its permissions and
its audit history stay attached to it."""

from django.db import migrations


def rename(apps, schema_editor, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label=target, model="user").exists():
        return
    ContentType.objects.filter(app_label=source, model="user").update(app_label=target)


def forwards(apps, schema_editor):
    rename(apps, schema_editor, "dit_portal", "accounts")


def backwards(apps, schema_editor):
    rename(apps, schema_editor, "accounts", "dit_portal")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
