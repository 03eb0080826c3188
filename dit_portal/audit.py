"""Audit history: who changed what, and when, on everything staff and admins edit.

django-auditlog records each save and delete of the models each app registers (at the end
of its ``models.py``), with the signed-in person as the actor; admins read it in the admin,
on each object's "Audit log" page and under "Log entries". Bulk ``update()`` calls are not
recorded, so services change audited rows with ``save()``.
"""

from auditlog.mixins import AuditlogHistoryAdminMixin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType


class AuditedAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    """A model admin with a link to each row's audit history."""

    show_auditlog_history_link = True


def forget(model, pks) -> None:
    """Erase the audit history of these rows: it names someone who has asked to be
    forgotten (a member leaving the network)."""
    content_type = ContentType.objects.get_for_model(model)
    LogEntry.objects.filter(
        content_type=content_type, object_pk__in=[str(pk) for pk in pks]
    ).delete()
