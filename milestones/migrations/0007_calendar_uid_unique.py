from django.db import migrations, models

import milestones.models


# Apart from 0006 so that PostgreSQL adds the constraint after the rows were filled in, not
# in the same transaction.
class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0006_loaded_rows_and_calendar_uids"),
    ]

    operations = [
        migrations.AlterField(
            model_name="activity",
            name="calendar_uid",
            field=models.CharField(
                default=milestones.models.new_calendar_uid,
                editable=False,
                max_length=220,
                unique=True,
                verbose_name="calendar UID",
            ),
        ),
        migrations.AlterField(
            model_name="activity",
            name="slug",
            field=models.SlugField(
                max_length=200,
                unique=True,
                validators=[milestones.models.validate_not_reserved],
                verbose_name="slug",
            ),
        ),
    ]
