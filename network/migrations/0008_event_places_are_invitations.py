from django.db import migrations


def settle_event_place_emails(apps, schema_editor):
    """An event place is now told by its calendar invitation: a "place came free" email
    still waiting from before would name a topic no longer registered, and be tried until
    it failed. It is settled, saying why; the invitation is not sent for it (the member has
    the place, shown on the event's page, and the reminders still go)."""
    Message = apps.get_model("notifications", "Message")
    Message.objects.filter(topic="network.event_place", status__in=["pending", "sending"]).update(
        status="skipped",
        claim="",
        note="Replaced by calendar invitations; the place stands and its reminders go.",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0007_place_funding_reason"),
        ("notifications", "0004_old_outbox_tables"),
    ]

    operations = [migrations.RunPython(settle_event_place_emails, migrations.RunPython.noop)]
