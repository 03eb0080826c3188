from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import staff_required

from . import selectors


@never_cache
@staff_required()
@require_GET
def reminder_log(request):
    """Commission staff (advisory meetings), network coordinators (sessions and events) and
    admins (all): who was reminded of what, when, and what failed; all of it, or one
    occurrence's (``?kind=meeting&id=3``)."""
    user, kinds = request.user, set()
    if user.is_commission_staff:
        kinds.add("meeting")
    if user.is_network_coordinator:
        kinds |= {"session", "event"}
    kind, pk, focus = request.GET.get("kind"), request.GET.get("id"), None
    if kind is not None or pk is not None:
        if kind not in kinds or not (pk or "").isdigit():
            raise Http404
        focus = selectors.reminder_occurrence(kind=kind, pk=int(pk))
        if focus is None:
            raise Http404
    return render(
        request,
        "notifications/reminder_log.html",
        {
            "focus": focus,
            "rows": selectors.reminder_log(kinds=kinds, occurrence=focus),
            "summaries": [] if focus else selectors.reminder_summaries(kinds=kinds),
        },
    )
