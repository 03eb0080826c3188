"""Releases of the employer survey kept the skills ranking apart from their tables
(``Release.extra``); it is now one of them, a ranking the disclosure audit sees. Each
kept ranking moves into its release's tables, keyed by skill as new releases are, so
that later releases are audited against it. How many ranked each skill at each position
was not kept then, so the audit knows only its published figures."""

from django.db import migrations

RANKING = "skills|ranking"


def _figure(count):
    return {
        "count": count,
        "percent": None,
        "suppressed": False,
        "complementary": False,
        "percent_hidden": False,
    }


def rankings_into_tables(apps, schema_editor):
    Release = apps.get_model("reporting", "Release")
    Skill = apps.get_model("employers", "Skill")
    ContentType = apps.get_model("contenttypes", "ContentType")
    surveys = ContentType.objects.filter(app_label="employers", model="survey").first()
    if surveys is None:
        return
    for release in Release.objects.filter(questionnaire_type=surveys):
        skills = dict(
            Skill.objects.filter(survey_id=release.questionnaire_id).values_list("name", "pk")
        )
        ranking = release.extra.get("ranking") or []
        release.tables[RANKING] = {
            "kind": "ranking",
            "positions": 5,
            "respondents": _figure(release.extra.get("counted", 0)),
            "items": [
                {
                    "key": skills.get(item["name"], item["name"]),
                    "label": item["name"],
                    "points": _figure(item["points"]),
                    "in_top": _figure(item["in_top_five"]),
                    "at_rank": [],
                }
                for item in ranking
            ],
        }
        release.save(update_fields=["tables"])


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0004_queued_email_to_outbox"),
        ("reporting", "0002_publications"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    # Before the field it reads from goes.
    run_before = [("reporting", "0003_release_tables_hold_rankings")]

    operations = [migrations.RunPython(rankings_into_tables, migrations.RunPython.noop)]
