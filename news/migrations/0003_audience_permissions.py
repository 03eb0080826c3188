from django.db import migrations

from accounts.roles import COMMISSION_STAFF, NETWORK_COORDINATORS


def grant(apps, schema_editor):
    """Residents agreed to hear from the commission; members asked for the network's news:
    each side writes to its own audience."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("news")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codename in (
        (COMMISSION_STAFF, "send_to_residents"),
        (NETWORK_COORDINATORS, "send_to_members"),
    ):
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            Permission.objects.get(content_type__app_label="news", codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [("news", "0002_permissions")]

    operations = [
        migrations.AlterModelOptions(
            name="opportunity",
            options={
                "ordering": ["-sent_at", "-created_at", "-pk"],
                "permissions": [
                    ("send_to_residents", "Can send opportunities to residents"),
                    ("send_to_members", "Can send opportunities to network members"),
                ],
                "verbose_name": "opportunity",
                "verbose_name_plural": "opportunities",
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
