from django.contrib import admin

from .models import Revision


class ReadOnlyAdminMixin:
    """Rows shown in the admin but never added, changed or deleted by hand there. For model
    admins and inlines alike."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What the portal sent, for admins to read. Rows are written only by the portal: a
    row edited or deleted by hand would let the same email go twice."""


@admin.register(Revision)
class RevisionAdmin(RecordAdmin):
    """When what a set of pages shows last changed. Written only by the portal, on every
    change."""

    list_display = ["name", "changed_at", "token"]
    search_fields = ["name", "token"]
