from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

# Admin sign-in goes through allauth, so it has allauth's rate limits and MFA.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("DiT Portal administration")
admin.site.site_title = _("DiT Portal admin")

urlpatterns = [
    path("", views.home, name="home"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/reminders/", views.reminder_log, name="reminder_log"),
    path("privacy/", views.privacy_notice, name="privacy_notice"),
    path("accessibility/", views.accessibility_statement, name="accessibility_statement"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("milestones.urls")),
    path("", include("consultation.urls")),
    path("", include("employers.urls")),
    path("", include("network.urls")),
]
