from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from . import views

# Admin sign-in goes through allauth, so it has allauth's rate limits and MFA.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("DiT Portal administration")
admin.site.site_title = _("DiT Portal admin")

handler500 = "dit_portal.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/reminders/", views.reminder_log, name="reminder_log"),
    path("privacy/", views.privacy_notice, name="privacy_notice"),
    path("accessibility/", views.accessibility_statement, name="accessibility_statement"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says (the admin says nothing).
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/", include("allauth.urls")),
    # One place to change a password, with allauth's checks: the admin's own link goes there.
    path(
        f"{settings.ADMIN_URL}password_change/",
        RedirectView.as_view(pattern_name="account_change_password"),
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("milestones.urls")),
    path("", include("consultation.urls")),
    path("", include("employers.urls")),
    path("", include("network.urls")),
]
