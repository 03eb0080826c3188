from django.db import migrations

from accounts.roles import COMMISSION_STAFF, NETWORK_COORDINATORS, grant_model_permissions


def grant(apps, schema_editor):
    # The commission tells residents of opportunities; coordinators tell the network.
    for group in (COMMISSION_STAFF, NETWORK_COORDINATORS):
        grant_model_permissions(apps, group, "news", ["opportunity"], ["add", "change", "view"])


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
