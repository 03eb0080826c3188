"""The portal's staff roles as groups. Each app grants its own models' permissions to
them in a migration of its own (see ``dit_portal.roles.grant_model_permissions``)."""

from django.db import migrations

ROLES = ["Commission staff", "Network coordinators"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dit_portal", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
