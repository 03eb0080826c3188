from django.contrib import admin

from common.admin import ReadOnlyAdminMixin
from common.audit import AuditedAdmin, AuditHistoryAdminMixin

from .models import (
    Consultation,
    Contact,
    NewsTopic,
    Option,
    Response,
    ResponseOption,
    ResponseTheme,
    Theme,
    Translation,
    Ward,
)
from .services import figures_changed


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(AuditedAdmin):
    list_display = ["title", "opens_at", "closes_at", "findings_published"]
    list_filter = ["findings_published"]
    search_fields = ["title", "introduction"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "opens_at"
    inlines = [OptionInline]


class FiguresChangeAdmin(admin.ModelAdmin):
    """Deleting answers or codes here changes the figures, so their cache is moved on."""

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        figures_changed(consultation_id=self.consultation_id_of(obj))

    def delete_queryset(self, request, queryset):
        consultation_ids = {self.consultation_id_of(obj) for obj in queryset}
        super().delete_queryset(request, queryset)
        for consultation_id in consultation_ids:
            figures_changed(consultation_id=consultation_id)

    def consultation_id_of(self, obj):
        return obj.consultation_id


@admin.register(Response)
class ResponseAdmin(FiguresChangeAdmin):
    """Answers are read-only here: what a resident said is not edited after the fact."""

    list_display = ["reference", "consultation", "submitted_at", "channel", "coded_at"]
    list_filter = ["consultation", "channel"]
    search_fields = ["reference"]
    date_hierarchy = "submitted_at"
    list_select_related = ["consultation"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Theme)
class ThemeAdmin(AuditHistoryAdminMixin, FiguresChangeAdmin):
    show_auditlog_history_link = True
    list_display = ["name", "consultation", "description"]
    list_filter = ["consultation"]
    search_fields = ["name", "description"]


@admin.register(ResponseTheme)
class ResponseThemeAdmin(AuditHistoryAdminMixin, FiguresChangeAdmin):
    show_auditlog_history_link = True
    list_display = ["response", "theme", "coded_by", "coded_at"]
    list_filter = ["theme__consultation", "theme"]
    raw_id_fields = ["response"]
    list_select_related = ["response", "theme", "coded_by"]
    search_fields = ["response__reference", "theme__name"]

    def consultation_id_of(self, obj):
        return obj.theme.consultation_id

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Ward)
class WardAdmin(AuditedAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name"]


@admin.register(NewsTopic)
class NewsTopicAdmin(AuditedAdmin):
    """What residents can choose to hear about, offered with the consent to emails."""

    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    """Contact details only: no answer is ever shown beside an address."""

    list_display = ["email", "consultation", "consented_on", "withdrawn_at"]
    list_filter = ["consultation"]
    search_fields = ["email"]
    readonly_fields = ["consent_text", "consented_on", "withdrawn_at", "confirmation_sent_on"]


@admin.register(Option)
class OptionAdmin(AuditedAdmin):
    list_display = ["label", "kind", "consultation", "position", "is_active"]
    list_filter = ["consultation", "kind", "is_active"]
    search_fields = ["label"]


@admin.register(ResponseOption)
class ResponseOptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Part of a resident's answer: shown, never changed by hand."""

    list_display = ["response", "option"]
    list_filter = ["option__kind", "option__consultation"]
    list_select_related = ["response", "option"]
    search_fields = ["response__reference", "option__label"]


@admin.register(Translation)
class TranslationAdmin(AuditHistoryAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Written and reviewed on the consultation's translation pages, where the rules are
    (which English it translates, who reviewed it); shown here with its history."""

    list_display = ["consultation", "language", "part", "option", "topic", "status"]
    list_filter = ["language", "status", "part", "consultation"]
    list_select_related = ["consultation", "option", "topic"]
    search_fields = ["text", "source"]
