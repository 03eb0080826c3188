from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import PendingTask, ReminderDelivery, SentNotification, User


@admin.register(User)
class UserAdmin(AuditlogHistoryAdminMixin, BaseUserAdmin):
    show_auditlog_history_link = True
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_superuser", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name",)}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


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


@admin.register(SentNotification)
class SentNotificationAdmin(RecordAdmin):
    list_display = ["key", "recipient", "claimed_at", "sent_at"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "claimed_at"]
    search_fields = ["recipient", "key"]
    date_hierarchy = "claimed_at"


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(RecordAdmin):
    list_display = [
        "recipient",
        "kind",
        "occurrence_id",
        "purpose",
        "offset_minutes",
        "sequence",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "kind", "purpose"]
    search_fields = ["recipient", "note"]
    date_hierarchy = "created_at"


@admin.register(PendingTask)
class PendingTaskAdmin(RecordAdmin):
    """One-off emails not yet sent: queued again every few minutes until they go, or until
    they have been queued PENDING_TASK_MAX_ATTEMPTS times. A row left for long tells of a
    broker or mail server down, or of a task that keeps failing (see the worker's log);
    an admin who has dealt with it may delete it."""

    list_display = ["task", "args", "created_at", "queued_at", "attempts"]
    list_filter = ["task"]
    search_fields = ["task"]

    def has_delete_permission(self, request, obj=None):
        # An admin who has dealt with one by hand may clear it.
        return request.user.has_perm("dit_portal.delete_pendingtask")
