"""The user moved from dit_portal to accounts without a new table: a database from before
the move migrates forward and keeps every account, its roles and its audit history."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from accounts import roles
from tests.conftest import make_user


def _as_before_the_move():
    """What a deployment of the previous release has: dit_portal's migrations recorded, no
    accounts ones, and the user's content type under dit_portal; the user table as the
    move took it over (accounts' later migrations undone)."""
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0003_input_limits_and_constraint_messages")])
    MigrationRecorder.Migration.objects.filter(app="accounts").delete()
    ContentType.objects.filter(app_label="accounts", model="user").update(app_label="dit_portal")
    ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_every_account():
    staff = make_user("staff@example.org", groups=(roles.COMMISSION_STAFF,))
    staff.is_active = False
    staff.save()
    history = LogEntry.objects.get_for_object(staff).count()
    content_type = ContentType.objects.get_for_model(staff).pk
    _as_before_the_move()

    executor = MigrationExecutor(connection)
    executor.loader.check_consistent_history(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    assert [migration.name for migration, _ in plan] == [
        "0002_user_content_type",
        "0003_input_limits_and_constraint_messages",
        "0004_access_stamp",
    ]
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    assert ContentType.objects.get(app_label="accounts", model="user").pk == content_type
    assert not ContentType.objects.filter(app_label="dit_portal", model="user").exists()
    moved = type(staff).objects.get(pk=staff.pk)
    assert (moved.email, moved.is_active) == ("staff@example.org", False)
    assert len(moved.access_stamp) == 16
    assert moved.groups.get() == Group.objects.get(name=roles.COMMISSION_STAFF)
    assert LogEntry.objects.get_for_object(moved).count() == history > 0
