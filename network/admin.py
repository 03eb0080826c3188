from django.contrib import admin

from common.audit import AuditedAdmin

from .models import (
    Cohort,
    EvaluationAnswer,
    Event,
    EventRsvp,
    Membership,
    MentoringCheckIn,
    MentoringFeedback,
    MentoringMatch,
    Nomination,
    Organisation,
    OrganisationLead,
    Pitch,
    PitchVote,
    Place,
    ReflectionSession,
    SessionAttendance,
    Topic,
    UnconferenceRoom,
    UnconferenceSlot,
)
from .services import session_update


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "is_member"]
    list_filter = ["kind", "is_member"]
    list_editable = ["is_member"]
    search_fields = ["name"]


@admin.register(OrganisationLead)
class OrganisationLeadAdmin(AuditedAdmin):
    """Coordinators name the people who decide nominations for a member organisation."""

    list_display = ["user", "organisation", "added_at"]
    list_filter = ["organisation"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    raw_id_fields = ["user"]


@admin.register(Nomination)
class NominationAdmin(AuditedAdmin):
    """Read only: nominations are asked for, approved and decided on the network's pages,
    which tell the people concerned."""

    list_display = ["member", "organisation", "cohort", "status", "funds_if_needed", "asked_at"]
    list_filter = ["cohort", "status", "funds_if_needed", "organisation"]
    list_select_related = ["member", "organisation", "cohort"]
    search_fields = ["member__name", "organisation__name", "commitment_reference"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
    """Shown here; changed on each session's own page, which tells those reminded."""

    model = ReflectionSession
    extra = 0
    fields = ["number", "starts_at", "ends_at", "location", "is_cancelled"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Cohort)
class CohortAdmin(AuditedAdmin):
    list_display = [
        "course_name",
        "starts_on",
        "capacity",
        "network_funded_places",
        "cost_per_place",
    ]
    search_fields = ["course_name", "provider"]
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
    search_fields = ["member__name", "event__title"]


@admin.register(MentoringMatch)
class MentoringMatchAdmin(AuditedAdmin):
    list_display = ["mentor", "mentee", "status", "score", "created_at"]
    list_filter = ["status"]
    list_select_related = ["mentor", "mentee"]
    search_fields = ["mentor__name", "mentee__name"]


@admin.register(ReflectionSession)
class ReflectionSessionAdmin(AuditedAdmin):
    list_display = ["__str__", "cohort", "starts_at", "location", "is_cancelled"]
    list_filter = ["cohort", "is_cancelled"]
    search_fields = ["cohort__course_name", "location"]
    fields = ["cohort", "number", "starts_at", "ends_at", "location", "online_url", "is_cancelled"]
    readonly_fields = ["cohort", "number", "is_cancelled"]

    def has_add_permission(self, request):
        return False  # a cohort creates its own sessions

    def save_model(self, request, obj, form, change):
        """Through the service, as the coordinators' page does: a new time or place bumps
        the calendar SEQUENCE, which sends the change to everyone already reminded."""
        session_update(
            session=ReflectionSession.objects.get(pk=obj.pk),
            **{name: form.cleaned_data[name] for name in form.changed_data},
        )
        obj.refresh_from_db()


@admin.register(SessionAttendance)
class SessionAttendanceAdmin(admin.ModelAdmin):
    list_display = ["session", "place", "attended"]
    list_filter = ["attended", "session__cohort"]
    list_select_related = ["session__cohort", "place__member"]
    search_fields = ["place__member__name", "place__organisation__name"]


@admin.register(MentoringCheckIn, MentoringFeedback, EvaluationAnswer)
class PairAndCourseAnswersAdmin(admin.ModelAdmin):
    """What members answered about their pairings and the course; the pages that count
    them are the coordinators' own."""

    search_fields = ["pk"]


@admin.register(UnconferenceRoom, UnconferenceSlot, Pitch, PitchVote)
class UnconferenceAdmin(AuditedAdmin):
    """An unconference's rooms, slots, pitches and votes (its timetable page builds and
    checks them)."""

    search_fields = ["pk"]
