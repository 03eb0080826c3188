from django.conf import settings
from django.urls import reverse

from .access import needs_mfa, redirect_to_mfa_setup


class StaffRequireMFAMiddleware:
    """Keep a staff-role account without its second factor off every page of the portal,
    the admin and pages open to members included: it may only sign out, manage its own
    account and set up its authenticator app (allauth's pages), until it has one."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.open_prefixes = (
            reverse("account_login").rsplit("login/", 1)[0],
            reverse("healthz"),
            reverse("favicon"),
            "/" + settings.STATIC_URL.lstrip("/"),
        )

    def __call__(self, request):
        if needs_mfa(request.user) and not request.path.startswith(self.open_prefixes):
            return redirect_to_mfa_setup(request)
        return self.get_response(request)
