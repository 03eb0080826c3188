"""The borough's wards as the starting area list (Hackney's 21 wards since 2014), and the
commission staff's permissions on the consultation."""

from django.db import migrations

from accounts.roles import COMMISSION_STAFF, grant_model_permissions

HACKNEY_WARDS = [
    "Brownswood",
    "Cazenove",
    "Clissold",
    "Dalston",
    "De Beauvoir",
    "Hackney Central",
    "Hackney Downs",
    "Hackney Wick",
    "Haggerston",
    "Homerton",
    "Hoxton East & Shoreditch",
    "Hoxton West",
    "King's Park",
    "Lea Bridge",
    "London Fields",
    "Shacklewell",
    "Springfield",
    "Stamford Hill West",
    "Stoke Newington",
    "Victoria",
    "Woodberry Down",
]

MODELS = ["consultation", "option", "ward", "response", "theme", "responsetheme", "contact"]


def load(apps, schema_editor):
    Ward = apps.get_model("consultation", "Ward")
    for position, name in enumerate(HACKNEY_WARDS):
        Ward.objects.get_or_create(name=name, defaults={"position": position})
    grant_model_permissions(
        apps, COMMISSION_STAFF, "consultation", MODELS, ["add", "change", "delete", "view"]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("consultation", "0001_initial"),
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
