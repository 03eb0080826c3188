from django.contrib import admin

from common.audit import AuditedAdmin

from .models import Action, Document, Evidence, ProgressUpdate, Quote, Recommendation


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    autocomplete_fields = ["activity"]


@admin.register(Recommendation)
class RecommendationAdmin(AuditedAdmin):
    """Recommendations, drafts and published. Evidence is added on the staff pages, which
    find it in the published releases; here it can be read and taken off."""

    list_display = ["number", "title", "status", "owner", "published_at", "is_example"]
    list_filter = ["status", "is_example"]
    search_fields = ["title", "text", "owner"]
    readonly_fields = ["slug", "status_changed_at"]
    inlines = [ActionInline]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(AuditedAdmin):
    list_display = ["recommendation", "written_on", "status_from", "status_to"]
    list_filter = ["status_to"]
    readonly_fields = ["status_from", "status_to", "posted_by", "posted_at"]


@admin.register(Evidence)
class EvidenceAdmin(AuditedAdmin):
    """Evidence is a row of a published release, an activity or a document: it can be
    corrected in words here, but only the staff pages add it, from what was published."""

    list_display = ["recommendation", "kind", "label"]
    list_filter = ["kind"]
    readonly_fields = [
        "kind",
        "release",
        "table",
        "row_key",
        "label",
        "theme",
        "activity",
        "document",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(Quote)
class QuoteAdmin(AuditedAdmin):
    list_display = ["text", "evidence", "fit_to_publish", "checked_at"]
    list_filter = ["fit_to_publish"]
    # The words are changed on the staff page, which takes the check away with the change.
    readonly_fields = [
        "evidence",
        "response",
        "text",
        "checked_by",
        "checked_at",
        "fit_to_publish",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(Document)
class DocumentAdmin(AuditedAdmin):
    list_display = ["title", "kind", "published_on", "is_published", "is_example"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "summary"]
    readonly_fields = ["slug"]
