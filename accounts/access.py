"""Who may use which view. Every staff view states its rule with ``staff_required``.

Staff roles (commission staff, network coordinators, admins) must have MFA set up before
they reach any page but their own account's (``accounts.middleware``): they are sent to set
it up first.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import roles

ROLE_CHECKS = {
    roles.COMMISSION_STAFF: lambda user: user.is_commission_staff,
    roles.NETWORK_COORDINATORS: lambda user: user.is_network_coordinator,
}


def needs_mfa(user) -> bool:
    """True for a signed-in staff-role user who has not set up an authenticator app yet."""
    return user.is_authenticated and user.has_staff_role and not user.has_mfa


def redirect_to_mfa_setup(request):
    messages.warning(
        request,
        _(
            "Your account has staff access, so every page needs two-factor authentication. "
            "Set up an authenticator app to continue."
        ),
    )
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('mfa_activate_totp')}?{query}")


def _has_role_and_perm(user, roles_allowed, perm) -> bool:
    has_role = user.is_superuser or any(ROLE_CHECKS[r](user) for r in roles_allowed)
    return has_role and (not perm or user.has_perm(perm))


def passes_staff_rule(user, *, roles_allowed=roles.STAFF_GROUPS, perm=None) -> bool:
    """Whether ``staff_required`` with these arguments would let ``user`` in: for a public
    page that shows staff a little more (a meeting's attendees, say)."""
    return (
        user.is_authenticated
        and _has_role_and_perm(user, roles_allowed, perm)
        and not needs_mfa(user)
    )


def has_staff_workspace(user) -> bool:
    """Whether ``user`` has a role the staff workspace (``staff_home``) is for, second factor
    or not yet (without one, its pages send them to set it up first). An account with only
    admin-site access has none: the workspace would refuse it."""
    return user.is_authenticated and _has_role_and_perm(user, roles.STAFF_GROUPS, None)


def staff_required(*, roles_allowed=roles.STAFF_GROUPS, perm=None):
    """Allow admins and members of ``roles_allowed`` holding ``perm`` (if given), with MFA.

    Anonymous visitors are sent to sign in; signed-in people without the role or permission
    get 403; staff without MFA are sent to set it up.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not _has_role_and_perm(user, roles_allowed, perm):
                raise PermissionDenied
            if needs_mfa(user):
                return redirect_to_mfa_setup(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def login_identifier(request, credentials) -> str:
    """The address a sign-in attempt is for, however it came in (allauth passes ``email``,
    Django's own forms ``username``), lower-cased so case changes do not dodge a lockout."""
    credentials = credentials or {}
    identifier = (
        credentials.get("email")
        or credentials.get("username")
        or request.POST.get("login")
        or request.POST.get("username")
        or ""
    )
    return identifier.strip().lower()
