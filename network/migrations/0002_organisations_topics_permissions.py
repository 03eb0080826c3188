"""The 32 London boroughs and the City of London as the starting list of organisations
(all flagged as members; coordinators change the flags), starting mentoring topics, and
the network coordinators' permissions."""

from django.db import migrations

from accounts.roles import NETWORK_COORDINATORS, grant_model_permissions

BOROUGHS = [
    "Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley", "Camden", "Croydon",
    "Ealing", "Enfield", "Greenwich", "Hackney", "Hammersmith and Fulham", "Haringey",
    "Harrow", "Havering", "Hillingdon", "Hounslow", "Islington", "Kensington and Chelsea",
    "Kingston upon Thames", "Lambeth", "Lewisham", "Merton", "Newham", "Redbridge",
    "Richmond upon Thames", "Southwark", "Sutton", "Tower Hamlets", "Waltham Forest",
    "Wandsworth", "Westminster",
]  # fmt: skip

TOPICS = [
    "Leadership", "Confidence", "Career progression", "Managing teams", "Data and analytics",
    "Product management", "User research and design", "Technical architecture",
    "Cyber security", "Agile delivery", "Procurement and suppliers",
    "Working with councillors", "Public speaking", "Returning to work",
]  # fmt: skip

MODELS = [
    "organisation", "topic", "membership", "cohort", "place", "reflectionsession",
    "sessionattendance", "event", "eventrsvp", "mentoringmatch",
]  # fmt: skip


def load(apps, schema_editor):
    Organisation = apps.get_model("network", "Organisation")
    Topic = apps.get_model("network", "Topic")
    for name in BOROUGHS:
        Organisation.objects.get_or_create(name=name, defaults={"kind": "borough"})
    Organisation.objects.get_or_create(name="City of London", defaults={"kind": "city"})
    for name in TOPICS:
        Topic.objects.get_or_create(name=name)
    grant_model_permissions(
        apps, NETWORK_COORDINATORS, "network", MODELS, ["add", "change", "delete", "view"]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
