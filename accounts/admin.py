from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from common.audit import AuditHistoryAdminMixin

from .models import User


@admin.register(User)
class UserAdmin(AuditHistoryAdminMixin, BaseUserAdmin):
    show_auditlog_history_link = True
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_superuser", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name",)}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


# django-auditlog's log entry admin searches the actor's first_name and last_name, which
# this user model does not have: any search there was a server error.
admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditLogEntryAdmin(LogEntryAdmin):
    search_fields = ["timestamp", "object_repr", "changes", "actor__full_name", "actor__email"]
