from django.contrib import admin

from dit_portal.audit import AuditedAdmin

from .models import (
    Activity,
    AdvisoryMeeting,
    AdvisoryMember,
    Deliverable,
    MeetingAttendance,
    MeetingPaper,
    Partner,
    Workstream,
)


@admin.register(Workstream)
class WorkstreamAdmin(AuditedAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Partner)
class PartnerAdmin(AuditedAdmin):
    list_display = ["name", "website"]
    search_fields = ["name"]


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    extra = 1


@admin.register(Activity)
class ActivityAdmin(AuditedAdmin):
    list_display = [
        "title",
        "kind",
        "workstream",
        "starts_on",
        "starts_precision",
        "ends_on",
        "status_override",
        "is_public",
    ]
    list_filter = ["kind", "workstream", "is_public", "status_override", "starts_precision"]
    search_fields = ["title", "description", "deliverables__text", "partners__name"]
    list_select_related = ["workstream"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["partners"]
    readonly_fields = ["source_key", "created_at", "updated_at"]
    date_hierarchy = "starts_on"
    inlines = [DeliverableInline]


@admin.register(AdvisoryMember)
class AdvisoryMemberAdmin(AuditedAdmin):
    list_display = ["name", "organisation", "role", "email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "email", "organisation", "role"]
    raw_id_fields = ["user"]


class MeetingPaperInline(admin.TabularInline):
    model = MeetingPaper
    extra = 1


class MeetingAttendanceInline(admin.TabularInline):
    model = MeetingAttendance
    extra = 0
    raw_id_fields = ["member"]


@admin.register(AdvisoryMeeting)
class AdvisoryMeetingAdmin(AuditedAdmin):
    list_display = ["title", "starts_at", "location", "is_cancelled", "minutes_published"]
    list_filter = ["is_cancelled", "minutes_published"]
    search_fields = ["title", "agenda", "minutes", "location"]
    list_select_related = ["activity"]
    date_hierarchy = "starts_at"
    readonly_fields = ["uid", "sequence"]
    inlines = [MeetingPaperInline, MeetingAttendanceInline]


@admin.register(MeetingAttendance)
class MeetingAttendanceAdmin(AuditedAdmin):
    list_display = ["member", "meeting", "rsvp", "attended", "replied_at"]
    list_filter = ["rsvp", "attended"]
    search_fields = ["member__name", "meeting__title"]
    list_select_related = ["member", "meeting"]
