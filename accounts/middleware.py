from django.conf import settings

from .access import needs_mfa, redirect_to_mfa_setup


class AdminRequiresMFAMiddleware:
    """Keep staff without MFA out of the Django admin, as ``staff_required`` does elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        if request.path.startswith(self.admin_prefix) and needs_mfa(request.user):
            return redirect_to_mfa_setup(request)
        return self.get_response(request)
