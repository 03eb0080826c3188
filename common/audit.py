"""Audit history: who changed what, and when, on everything staff and admins edit.

django-auditlog records each save and delete of the models each app registers (at the end
of its ``models.py``), with the signed-in person as the actor; admins read it in the admin,
on each object's "Audit log" page and under "Log entries". It does not see bulk
``update()`` calls, so services that change audited rows in bulk, or only if they are still
in some state, use ``audited_update``.
"""

from auditlog.mixins import AuditlogHistoryAdminMixin
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.encoding import smart_str


class AuditHistoryAdminMixin(AuditlogHistoryAdminMixin):
    """django-auditlog's "Audit log" page for a row, which for an id with no row (deleted,
    or typed by hand) sends the admin back with "doesn't exist", as Django's own history
    page does, where django-auditlog fails with a server error."""

    def auditlog_history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().auditlog_history_view(request, object_id, extra_context)


class AuditedAdmin(AuditHistoryAdminMixin, admin.ModelAdmin):
    """A model admin with a link to each row's audit history."""

    show_auditlog_history_link = True


def forget(model, pks) -> None:
    """Erase the audit history of these rows: it names someone who has asked to be
    forgotten (a member leaving the network)."""
    content_type = ContentType.objects.get_for_model(model)
    LogEntry.objects.filter(
        content_type=content_type, object_pk__in=[str(pk) for pk in pks]
    ).delete()


def audited_update(queryset, **values) -> int:
    """``queryset.update(**values)``, recording for each row it changes the audit entry a
    save would have made: who (the signed-in person, as for saves), when, and the old and
    new value of each audited field. The rows are locked first, so what is recorded is what
    changed. Returns how many rows changed. Give the queryset the ``select_related`` its
    rows' names need: each entry is labelled with its row's name."""
    model = queryset.model
    with transaction.atomic():
        rows = list(queryset.select_for_update(of=("self",)))
        before = {row.pk: {name: _stored(row, name) for name in values} for row in rows}
        after = {name: _stored_value(model, name, value) for name, value in values.items()}
        changed = [row for row in rows if before[row.pk] != after]
        if not changed:
            return 0
        model._default_manager.filter(pk__in=[row.pk for row in changed]).update(**values)
        if auditlog.contains(model):
            audited = _audited_fields(model)
            for row in changed:
                _record(row, before[row.pk], after, audited)
    return len(changed)


def _stored(row, name):
    return getattr(row, row._meta.get_field(name).attname)


def _stored_value(model, name, value):
    field = model._meta.get_field(name)
    return value.pk if field.is_relation and value is not None else value


def _audited_fields(model) -> set[str]:
    fields = auditlog.get_model_fields(model)
    names = {f.name for f in model._meta.concrete_fields}
    if fields["include_fields"]:
        names &= set(fields["include_fields"])
    return names - set(fields["exclude_fields"])


def _record(row, old: dict, new: dict, audited: set[str]) -> None:
    changes = {
        name: [smart_str(old[name]), smart_str(new[name])]
        for name in new
        if name in audited and old[name] != new[name]
    }
    if changes:
        # One by one, as django-auditlog records saves: its own hook names the actor.
        LogEntry.objects.log_create(row, action=LogEntry.Action.UPDATE, changes=changes)
