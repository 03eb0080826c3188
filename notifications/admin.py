from django.contrib import admin

from common.admin import RecordAdmin

from .models import CalendarFeed, Message


@admin.register(Message)
class MessageAdmin(RecordAdmin):
    """The outbox: every email, sent, failed, waiting or not needed. A record, not to be
    edited; the staff email log shows the same, per role."""

    list_display = ["recipient", "topic", "about_kind", "about_id", "status", "attempts", "sent_at"]
    list_filter = ["status", "topic"]
    search_fields = ["recipient", "key", "subject", "note"]
    date_hierarchy = "created_at"


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Who has a personal calendar address, made when. Each person makes, renews or stops
    their own from their profile; an admin can only stop one (delete it), say if an
    address has leaked."""

    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
