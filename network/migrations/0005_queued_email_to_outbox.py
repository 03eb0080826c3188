"""The network's emails queued but not yet sent before the outbox (decisions, course and
event places, mentoring pairs) become outbox messages, under the keys the outbox gives
them now (notifications 0003 explains the move); one already sent keeps its record and is
not sent again."""

from django.db import migrations


def _ids(PendingTask, name):
    return [task.args[0] for task in PendingTask.objects.filter(task=f"network.tasks.{name}")]


def forwards(apps, schema_editor):
    PendingTask = apps.get_model("notifications", "PendingTask")
    Message = apps.get_model("notifications", "Message")
    Membership = apps.get_model("network", "Membership")
    Place = apps.get_model("network", "Place")
    EventRsvp = apps.get_model("network", "EventRsvp")
    MentoringMatch = apps.get_model("network", "MentoringMatch")
    rows = []
    for membership in Membership.objects.filter(
        pk__in=_ids(PendingTask, "send_decision"), user__isnull=False, decided_at__isnull=False
    ).select_related("user"):
        stamp = f"{membership.decided_at:%Y%m%dT%H%M%S.%f}"
        rows.append(
            Message(
                key=f"membership-decision:{membership.pk}:{membership.status}:{stamp}",
                topic="network.decision",
                recipient=membership.user.email,
                params={"membership_id": membership.pk, "decided_at": stamp},
            )
        )
    for place in Place.objects.filter(
        pk__in=_ids(PendingTask, "send_place_offer"), member__user__isnull=False
    ).select_related("member__user"):
        rows.append(
            Message(
                key=f"place-offer:{place.pk}",
                topic="network.place_offer",
                recipient=place.member.user.email,
                params={"place_id": place.pk},
            )
        )
    for rsvp in EventRsvp.objects.filter(
        pk__in=_ids(PendingTask, "send_event_place"), member__user__isnull=False
    ).select_related("member__user"):
        rows.append(
            Message(
                key=f"event-place:{rsvp.pk}",
                topic="network.event_place",
                recipient=rsvp.member.user.email,
                params={"rsvp_id": rsvp.pk},
            )
        )
    for match in MentoringMatch.objects.filter(
        pk__in=_ids(PendingTask, "send_match")
    ).select_related("mentor__user", "mentee__user"):
        for role, person in (("mentor", match.mentor), ("mentee", match.mentee)):
            if person.user_id is not None:
                rows.append(
                    Message(
                        key=f"match:{match.pk}:{role}",
                        topic="network.match",
                        recipient=person.user.email,
                        params={"match_id": match.pk, "role": role},
                    )
                )
    Message.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0004_cohort_weeks"),
        ("notifications", "0003_outbox"),
    ]
    run_before = [("notifications", "0004_old_outbox_tables")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
