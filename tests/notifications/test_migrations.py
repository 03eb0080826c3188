"""A database from before the outbox (and from before the outbox's move out of dit_portal)
migrates forward and keeps every record of what was sent or is waiting: nothing sent is
sent again, nothing waiting is lost."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from consultation.models import Contact
from employers import services as employer_services
from notifications import reminders
from notifications.models import Message
from tests.consultation.factories import ConsultationFactory
from tests.employers.factories import EmployerFactory, SurveyFactory
from tests.network.factories import member

# Each app as it was before the outbox.
BEFORE = [
    ("notifications", "0002_content_types"),
    ("consultation", "0006_questionnaire_base"),
    ("employers", "0003_questionnaire_base"),
    ("network", "0004_cohort_weeks"),
]
OLD_MODELS = ["sentnotification", "pendingtask", "reminderdelivery"]


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_outbox_keeps_what_was_sent_and_what_waits(coordinator):
    # What the apps hold, in tables the move does not change.
    contact = Contact.objects.create(
        consultation=ConsultationFactory(), email="res@example.org", consent_text="Yes"
    )
    invitation = employer_services.invitation_create(
        survey=SurveyFactory(), employer=EmployerFactory(), email="hr@example.org", invited_by=None
    )
    applicant = member("Dee", approve=True)
    Message.objects.all().delete()  # as if the old release had sent nothing of these yet

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old_sent = old.get_model("notifications", "SentNotification")
    old_pending = old.get_model("notifications", "PendingTask")
    old_reminder = old.get_model("notifications", "ReminderDelivery")
    old_sent.objects.create(
        key=f"employers.invitation:{invitation.pk}:{invitation.token_hash}",
        recipient="hr@example.org",
        sent_at="2026-11-30T10:00:00Z",
    )
    # A worker was killed mid-send: claimed, never marked. The old claim never let it go.
    old_sent.objects.create(key="place-offer:41", recipient="pat@example.org")
    for task, pk in (
        ("consultation.tasks.send_contact_confirmation", contact.pk),
        ("employers.tasks.send_invitation", invitation.pk),  # sent already (above)
        ("network.tasks.send_decision", applicant.pk),
    ):
        old_pending.objects.create(key=f"{task}:[{pk}]", task=task, args=[pk])
    old_reminder.objects.create(
        kind="meeting",
        occurrence_id=3,
        recipient="b@example.org",
        purpose="reminder",
        offset_minutes=1440,
        sequence=2,
        status="sent",
        sent_at="2026-11-29T09:00:00Z",
    )
    # And from before the outbox moved out of dit_portal: only dit_portal's migrations
    # recorded, the content types under dit_portal.
    MigrationRecorder.Migration.objects.filter(app="notifications").delete()
    ContentType.objects.filter(app_label="notifications", model__in=OLD_MODELS).update(
        app_label="dit_portal"
    )
    ContentType.objects.clear_cache()

    executor = MigrationExecutor(connection)
    executor.loader.check_consistent_history(connection)
    plan = [
        (m.app_label, m.name)
        for m, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())
    ]
    outbox = [name for app, name in plan if app == "notifications"]
    assert plan[0] == ("notifications", "0002_content_types")
    assert outbox[-1] == executor.loader.graph.leaf_nodes("notifications")[0][1]
    executor.migrate(executor.loader.graph.leaf_nodes())

    messages = {m.key: m for m in Message.objects.all()}
    sent = messages[f"employers.invitation:{invitation.pk}:{invitation.token_hash}"]
    assert (sent.topic, sent.status, sent.params) == (
        "employers.invitation",
        "sent",
        {"invitation_id": invitation.pk, "token_hash": invitation.token_hash},
    )
    stuck = messages["place-offer:41"]
    assert (stuck.topic, stuck.status, stuck.params) == (
        "network.place_offer",
        "pending",
        {"place_id": 41},
    )
    confirmation = messages[f"consultation.contact_confirmation:{contact.pk}"]
    assert (confirmation.recipient, confirmation.status) == ("res@example.org", "pending")
    decision = next(m for m in messages.values() if m.topic == "network.decision")
    assert (decision.recipient, decision.status) == (applicant.user.email, "pending")
    # Its key ends with a keyed hash of the address since, not the address itself.
    reminder = messages[
        f"reminders.reminder:meeting:3:2:1440:{reminders.person_key('b@example.org')}"
    ]
    assert (reminder.about_kind, reminder.about_id, reminder.sequence, reminder.status) == (
        "meeting",
        3,
        2,
        "sent",
    )
    assert reminder.params == {"offset_minutes": 1440}
    # Five: the invitation's pending task found its email sent already, and adds none.
    assert len(messages) == 5


@pytest.mark.django_db(transaction=True)
def test_keys_of_messages_about_meetings_lose_their_addresses_and_every_row_stays():
    from tests.migrations import migrate, migrate_to_latest

    old = migrate([("notifications", "0005_calendar_feed")])
    message = old.get_model("notifications", "Message")
    message.objects.create(
        key="reminders.reminder:meeting:3:0:10080:ada@example.org",
        topic="reminders.reminder",
        recipient="ada@example.org",
        status="sent",
    )
    message.objects.create(key="network.match:1:mentor", topic="network.match", recipient="m@x.org")

    migrate_to_latest()

    keys = set(Message.objects.values_list("key", flat=True))
    assert keys == {
        f"reminders.reminder:meeting:3:0:10080:{reminders.person_key('ada@example.org')}",
        "network.match:1:mentor",
    }
    assert not any("ada@" in key for key in keys)
