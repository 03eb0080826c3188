from django.contrib import admin

from common.admin import ReadOnlyAdminMixin
from common.audit import AuditedAdmin

from .models import (
    AdvertTerm,
    Employer,
    EmployerResponse,
    FindingsAnnouncement,
    Invitation,
    LinkedAccount,
    Skill,
    SkillRank,
    Survey,
    SurveyOption,
)


class SurveyOptionInline(admin.TabularInline):
    model = SurveyOption
    extra = 0


class SkillInline(admin.TabularInline):
    model = Skill
    extra = 0


@admin.register(Survey)
class SurveyAdmin(AuditedAdmin):
    list_display = ["title", "opens_at", "closes_at", "findings_published"]
    list_filter = ["findings_published"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SurveyOptionInline, SkillInline]


@admin.register(Employer)
class EmployerAdmin(AuditedAdmin):
    list_display = ["name", "sector", "size_band", "in_borough"]
    list_filter = ["sector", "size_band", "in_borough"]
    search_fields = ["name"]
    filter_horizontal = ["contacts"]


@admin.register(Invitation)
class InvitationAdmin(AuditedAdmin):
    list_display = ["employer", "survey", "email", "sent_at", "opened_at", "expires_at"]
    list_filter = ["survey"]
    search_fields = ["employer__name", "email"]
    list_select_related = ["employer", "survey"]
    readonly_fields = ["salt", "token_hash", "sent_at", "opened_at", "created_at"]


@admin.register(FindingsAnnouncement)
class FindingsAnnouncementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """When the organisations that took part were told of each release of a survey's
    findings: a record, written by the findings page."""

    list_display = ["survey", "release_number", "sent_at", "reach"]
    search_fields = ["survey__title"]
    list_select_related = ["survey"]


@admin.register(LinkedAccount)
class LinkedAccountAdmin(AuditedAdmin):
    """Accounts an invitation link linked while signed in: deleting one stops that account
    answering for the organisation (as "Remove" on the survey's staff page does)."""

    list_display = ["user", "invitation", "linked_at"]
    search_fields = ["user__email", "invitation__employer__name"]
    list_select_related = ["user", "invitation__employer"]
    readonly_fields = ["invitation", "user", "linked_at"]

    def has_add_permission(self, request):
        return False


class SkillRankInline(ReadOnlyAdminMixin, admin.TabularInline):
    """An employer's ranking is written only by the survey service, which checks it (no
    skill twice, no gaps): shown here, never changed by hand."""

    model = SkillRank
    extra = 0
    fields = ["rank", "skill", "other"]
    readonly_fields = fields


@admin.register(EmployerResponse)
class EmployerResponseAdmin(AuditedAdmin):
    """A submitted response is the organisation's answer as given: admins can read it but
    not change or delete it."""

    list_display = ["employer", "survey", "status", "updated_at", "submitted_at"]
    list_filter = ["survey", "status", "employer__sector", "employer__size_band"]
    search_fields = ["employer__name"]
    list_select_related = ["employer", "survey"]
    filter_horizontal = ["options"]
    inlines = [SkillRankInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_submitted:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_submitted:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(SurveyOption)
class SurveyOptionAdmin(AuditedAdmin):
    list_display = ["label", "kind", "survey", "position", "is_active"]
    list_filter = ["survey", "kind", "is_active"]
    search_fields = ["label"]


@admin.register(Skill)
class SkillAdmin(AuditedAdmin):
    list_display = ["name", "survey", "position", "is_active"]
    list_filter = ["survey", "is_active"]
    search_fields = ["name"]


@admin.register(SkillRank)
class SkillRankAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Part of an employer's answer: shown, never changed by hand."""

    list_display = ["response", "rank", "skill", "other"]
    list_filter = ["rank", "response__survey"]
    list_select_related = ["response__employer", "response__survey", "skill"]
    search_fields = ["response__employer__name", "skill__name", "other"]


@admin.register(AdvertTerm)
class AdvertTermAdmin(AuditedAdmin):
    """The job advert checker's lists: the council adds and edits their words here."""

    list_display = ["term", "kind", "plain"]
    list_filter = ["kind"]
    search_fields = ["term", "plain"]
