from django.contrib import admin

from common.admin import RecordAdmin

from .models import Message


@admin.register(Message)
class MessageAdmin(RecordAdmin):
    """The outbox: every email, sent, failed, waiting or not needed. A record, not to be
    edited; the staff email log shows the same, per role."""

    list_display = ["recipient", "topic", "about_kind", "about_id", "status", "attempts", "sent_at"]
    list_filter = ["status", "topic"]
    search_fields = ["recipient", "key", "subject", "note"]
    date_hierarchy = "created_at"
