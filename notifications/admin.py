from django.contrib import admin

from common.admin import RecordAdmin

from .models import PendingTask, ReminderDelivery, SentNotification


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
        return request.user.has_perm("notifications.delete_pendingtask")
