from django.db import migrations

from accounts.roles import COMMISSION_STAFF, grant_model_permissions

MODELS = [
    "employer",
    "survey",
    "surveyoption",
    "skill",
    "invitation",
    "employerresponse",
    "skillrank",
]


def grant(apps, schema_editor):
    grant_model_permissions(
        apps, COMMISSION_STAFF, "employers", MODELS, ["add", "change", "delete", "view"]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0001_initial"),
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
