"""Who may use the network's member pages."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import MembershipStatus


def member_required(view):
    """Approved members of the network only (coordinators and admins too, to run it).

    Anonymous visitors are sent to sign in; others get 403 with the way to apply.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_network_coordinator or is_network_member(user)):
            raise PermissionDenied(_("This page is for members of the network."))
        return view(request, *args, **kwargs)

    return wrapper


def is_network_member(user) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and membership.status == MembershipStatus.APPROVED


def lead_required(view):
    """Organisation leads only, for the organisations they lead (the view narrows to
    those). Anonymous visitors are sent to sign in; others get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.leads_for.exists():
            raise PermissionDenied(_("This page is for member organisations' leads."))
        return view(request, *args, **kwargs)

    return wrapper
