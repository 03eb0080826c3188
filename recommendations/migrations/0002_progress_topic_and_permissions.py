from django.db import migrations

from accounts.roles import COMMISSION_STAFF, grant_model_permissions

PROGRESS_TOPIC = "recommendation-progress"
MODELS = ["recommendation", "progressupdate", "evidence", "quote", "action", "document"]


def forwards(apps, schema_editor):
    # The commission writes its recommendations, their evidence and its library.
    grant_model_permissions(
        apps, COMMISSION_STAFF, "recommendations", MODELS, ["add", "change", "delete", "view"]
    )
    # Residents choose to hear of progress as they choose any other news.
    NewsTopic = apps.get_model("consultation", "NewsTopic")
    if not NewsTopic.objects.filter(key=PROGRESS_TOPIC).exists():
        name = "What the commission did: progress on its recommendations"
        topic = NewsTopic.objects.filter(name=name).first() or NewsTopic(name=name)
        topic.key, topic.position = PROGRESS_TOPIC, 100
        topic.save()


def backwards(apps, schema_editor):
    apps.get_model("consultation", "NewsTopic").objects.filter(key=PROGRESS_TOPIC).update(key=None)


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0001_initial"),
        ("consultation", "0010_newstopic_key"),
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
