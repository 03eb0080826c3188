from django.contrib import admin

from common.audit import AuditedAdmin

from .models import Opportunity


@admin.register(Opportunity)
class OpportunityAdmin(AuditedAdmin):
    """Opportunities, drafts and sent. Sending is on the staff pages, which say how many
    people each reaches and send a test first; here they can be read and corrected."""

    list_display = ["title", "sent_at", "reach_residents", "reach_members", "closes_on"]
    list_filter = ["to_residents", "to_members"]
    search_fields = ["title", "text"]
    readonly_fields = ["sent_at", "sent_by", "reach_residents", "reach_members", "created_by"]

    def get_readonly_fields(self, request, obj=None):
        # Once sent, it is what people were sent (the emails are written as they go).
        if obj is not None and obj.sent_at is not None:
            return [f.name for f in obj._meta.fields] + ["topics"]
        return super().get_readonly_fields(request, obj)
