import sys

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from accounts.access import staff_required
from common import health, kept_pages
from common.middleware import database_unavailable
from milestones import selectors as roadmap_selectors

from . import selectors


@require_GET
def home(request):
    """Public. What the programme is, and the way into each part of it."""
    coming_up = kept_pages.fragment(
        f"home-coming-up:{roadmap_selectors.roadmap_revision()}:{get_language()}", _coming_up
    )
    return render(request, "dit_portal/home.html", {"coming_up": coming_up})


def _coming_up():
    now = timezone.now()
    upcoming = roadmap_selectors.upcoming_events(limit=3)
    html = render_to_string("milestones/includes/upcoming.html", {"events": upcoming})
    return html, roadmap_selectors.next_change(upcoming, now=now)


@never_cache
@staff_required()
def staff_home(request):
    """Commission staff, network coordinators and admins."""
    return render(request, "dit_portal/staff_home.html")


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
        "dit_portal/reminder_log.html",
        {
            "focus": focus,
            "rows": selectors.reminder_log(kinds=kinds, occurrence=focus),
            "summaries": [] if focus else selectors.reminder_summaries(kinds=kinds),
        },
    )


@require_GET
def privacy_notice(request):
    """Public."""
    return render(request, "dit_portal/privacy_notice.html")


@require_GET
def accessibility_statement(request):
    """Public."""
    return render(request, "dit_portal/accessibility_statement.html")


@never_cache
@require_safe
def healthz(request):
    """Public, for load balancers: 200 when every dependency answers, else 503."""
    checks = health.run_checks()
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": {name: "ok" if ok else "unavailable" for name, ok in checks.items()},
        },
        status=200 if healthy else 503,
    )


@require_safe
def favicon(request):
    """Public. Browsers ask for /favicon.ico whatever a page says (the admin says nothing)."""
    return redirect(static("images/favicon.svg"), permanent=True)


def server_error(request):
    """Django's last resort for an error nothing else handled. A database that went away
    while the request was being finished (the session, say) is an outage, not a bug: it
    answers 503 like ``DatabaseUnavailableMiddleware`` does."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return database_unavailable()
    return HttpResponseServerError(loader.get_template("500.html").render())
