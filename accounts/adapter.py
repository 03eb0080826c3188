from allauth.account.adapter import DefaultAccountAdapter
from django.shortcuts import resolve_url

from .access import has_staff_workspace


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Where someone lands after signing in (and after their second factor) when the
        sign-in page was given no ``?next=`` address: allauth follows that address first
        and asks this only without one. Staff roles land on their dashboard, everyone else
        on ``LOGIN_REDIRECT_URL``."""
        if has_staff_workspace(request.user):
            return resolve_url("staff_home")
        return super().get_login_redirect_url(request)
