from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import staff_required
from common import kept_pages, revisions
from milestones import selectors as roadmap_selectors

from . import selectors


@require_GET
@kept_pages.whole
def home(request):
    """Public. What the programme is, and the way into each part of it; kept whole for
    visitors to whom it is the same, answered 304 on a repeat visit while nothing changed."""
    coming_up = kept_pages.fragment(
        f"home-coming-up:{revisions.of_request(request)}:{get_language()}", _coming_up
    )
    return render(request, "home/home.html", {"coming_up": coming_up})


def _coming_up():
    now = timezone.now()
    upcoming = roadmap_selectors.upcoming_events(limit=3)
    html = render_to_string("milestones/includes/upcoming.html", {"events": upcoming})
    return html, roadmap_selectors.next_change(upcoming, now=now)


@never_cache
@staff_required()
def staff_home(request):
    """Commission staff, network coordinators and admins: what needs doing, with counts
    and links, for what the role may act on."""
    return render(
        request, "home/staff_home.html", {"areas": selectors.staff_dashboard(request.user)}
    )


@require_GET
def privacy_notice(request):
    """Public."""
    return render(request, "home/privacy_notice.html")


@require_GET
def accessibility_statement(request):
    """Public."""
    return render(request, "home/accessibility_statement.html")
