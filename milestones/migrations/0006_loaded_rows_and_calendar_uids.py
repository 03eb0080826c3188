import django.utils.timezone
from django.db import migrations, models

# The workstreams of the roadmap document (milestones/data/roadmap.json) when this
# migration was written, by the key the loader gives them.
ROADMAP_WORKSTREAM_KEYS = (
    "research-and-evidence",
    "governance",
    "engagement-and-events",
    "skills-and-training",
)


def record_what_was_loaded(apps, schema_editor):
    Activity = apps.get_model("milestones", "Activity")
    LoadedRoadmapRow = apps.get_model("milestones", "LoadedRoadmapRow")
    Workstream = apps.get_model("milestones", "Workstream")
    LoadedRoadmapRow.objects.bulk_create(
        LoadedRoadmapRow(key=key)
        for key in Activity.objects.filter(source_key__isnull=False).values_list(
            "source_key", flat=True
        )
    )
    # Until now the loader found its workstreams by slug.
    for workstream in Workstream.objects.filter(slug__in=ROADMAP_WORKSTREAM_KEYS):
        workstream.source_key = workstream.slug
        workstream.save(update_fields=["source_key"])


def keep_the_uids_subscribers_have(apps, schema_editor):
    """The feed built each UID from the slug: existing activities keep exactly that UID, so
    subscribed calendars do not show them twice."""
    Activity = apps.get_model("milestones", "Activity")
    for activity in Activity.objects.all():
        activity.calendar_uid = f"activity-{activity.slug}"
        activity.save(update_fields=["calendar_uid"])


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0005_link_validators"),
    ]

    operations = [
        migrations.CreateModel(
            name="LoadedRoadmapRow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "key",
                    models.SlugField(max_length=80, unique=True, verbose_name="roadmap source key"),
                ),
                (
                    "loaded_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="loaded"),
                ),
            ],
            options={
                "verbose_name": "loaded roadmap row",
                "verbose_name_plural": "loaded roadmap rows",
                "ordering": ["loaded_at", "key"],
            },
        ),
        migrations.AddField(
            model_name="workstream",
            name="source_key",
            field=models.SlugField(
                blank=True,
                editable=False,
                help_text="Set for workstreams of the commission's roadmap document.",
                max_length=80,
                null=True,
                unique=True,
                verbose_name="roadmap source key",
            ),
        ),
        migrations.RunPython(record_what_was_loaded, migrations.RunPython.noop),
        migrations.AddField(
            model_name="activity",
            name="calendar_uid",
            field=models.CharField(
                editable=False, max_length=220, null=True, verbose_name="calendar UID"
            ),
        ),
        migrations.RunPython(keep_the_uids_subscribers_have, migrations.RunPython.noop),
    ]
