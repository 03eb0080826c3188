from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

# Admin sign-in goes through allauth, so it has allauth's rate limits and MFA.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("DiT Portal administration")
admin.site.site_title = _("DiT Portal admin")

handler500 = "common.views.server_error"

# The resident journey in every language the portal offers: English at its plain address,
# each other language under its code (/tr/consultation/…). Everything else is in English.
# First, so that the pages residents open most are found without trying every other app's
# (their addresses all start consultation/, which no other pattern matches).
urlpatterns = i18n_patterns(
    path("", include("consultation.urls")),
    prefix_default_language=False,
)

# Then the public pages most asked for; each app's addresses start with segments of their own
# (staff/ pages with a second one of their own), so the order changes what is found first,
# never what is found (tests/dit_portal/test_urls.py).
urlpatterns += [
    path("api/", include("opendata.urls")),
    path("", include("home.urls")),
    path("", include("milestones.urls")),
    path("", include("recommendations.urls")),
    path("", include("employers.urls")),
    path("", include("notifications.urls")),
    path("", include("common.urls")),
    path("accounts/", include("allauth.urls")),
    # One place to change a password, with allauth's checks: the admin's own link goes there.
    path(
        f"{settings.ADMIN_URL}password_change/",
        RedirectView.as_view(pattern_name="account_change_password"),
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("consultation.staff_urls")),
    path("", include("network.urls")),
    path("", include("news.urls")),
]
