from django.contrib import admin

from dit_portal.audit import AuditedAdmin

from .models import (
    Cohort,
    Event,
    EventRsvp,
    Membership,
    MentoringMatch,
    Organisation,
    Place,
    ReflectionSession,
    Topic,
)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "is_member"]
    list_filter = ["kind", "is_member"]
    list_editable = ["is_member"]
    search_fields = ["name"]


@admin.register(Topic)
class TopicAdmin(AuditedAdmin):
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["name", "organisation", "status", "seniority", "discipline", "applied_at"]
    list_filter = [
        "status",
        "discipline",
        "seniority",
        "organisation",
        "offers_mentoring",
        "seeks_mentoring",
    ]
    search_fields = ["name", "role", "user__email"]
    list_select_related = ["organisation"]
    raw_id_fields = ["user", "decided_by"]
    filter_horizontal = ["topics"]


class PlaceInline(admin.TabularInline):
    model = Place
    extra = 0
    raw_id_fields = ["member"]


class SessionInline(admin.TabularInline):
    model = ReflectionSession
    extra = 0


@admin.register(Cohort)
class CohortAdmin(AuditedAdmin):
    list_display = [
        "course_name",
        "starts_on",
        "capacity",
        "network_funded_places",
        "cost_per_place",
    ]
    inlines = [SessionInline, PlaceInline]


@admin.register(Place)
class PlaceAdmin(AuditedAdmin):
    list_display = ["member", "organisation", "cohort", "status", "funder"]
    list_filter = ["cohort", "status", "funder", "organisation"]
    list_select_related = ["member", "organisation", "cohort"]
    search_fields = ["member__name", "organisation__name"]


@admin.register(Event)
class EventAdmin(AuditedAdmin):
    list_display = ["title", "starts_at", "mode", "format", "capacity", "is_cancelled"]
    list_filter = ["mode", "format", "is_cancelled"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_at"


@admin.register(EventRsvp)
class EventRsvpAdmin(admin.ModelAdmin):
    list_display = ["member", "event", "status", "attended", "created_at"]
    list_filter = ["status", "event"]
    list_select_related = ["member", "event"]


@admin.register(MentoringMatch)
class MentoringMatchAdmin(AuditedAdmin):
    list_display = ["mentor", "mentee", "status", "score", "created_at"]
    list_filter = ["status"]
    list_select_related = ["mentor", "mentee"]
    search_fields = ["mentor__name", "mentee__name"]
