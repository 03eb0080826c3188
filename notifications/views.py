from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import staff_required
from common.forms import id_from
from common.tables import Listing, Sort

from . import selectors

STATUSES = {"sent": _("Sent"), "failed": _("Failed"), "waiting": _("Waiting")}
LOG_SORTS = [
    # Newest first (the default) puts failures above the rest.
    Sort("created", _("Queued"), (selectors.FAILED_LAST, "created_at")),
    Sort("to", _("To"), ("recipient",)),
    Sort("sent", _("Sent"), ("sent_at",)),
]


@never_cache
@staff_required()
@require_GET
def email_log(request):
    """Commission staff (advisory meetings, employer invitations), network coordinators
    (the network's emails, sessions and events) and admins (all, residents' sign-ups
    included): what was sent to whom, what failed and what is waiting; all of it, one
    status's (``?status=failed``), or one occurrence's (``?kind=meeting&id=3``)."""
    audiences = selectors.audiences(request.user)
    kind, pk, focus = request.GET.get("kind"), request.GET.get("id"), None
    status = request.GET.get("status") or None
    if status is not None and status not in STATUSES:
        raise Http404
    if kind is not None or pk is not None:
        pk = id_from(pk)
        if kind not in selectors.occurrence_kinds(audiences) or pk is None:
            raise Http404
        focus = selectors.log_occurrence(kind=kind, pk=pk)
        if focus is None:
            raise Http404
    overview = focus is None and status is None
    listing = Listing(
        request.GET,
        selectors.log_messages(audiences=audiences, occurrence=focus, status=status),
        LOG_SORTS,
        default="-created",
    )
    return render(
        request,
        "notifications/email_log.html",
        {
            "focus": focus,
            "status": status,
            "status_label": STATUSES.get(status),
            "counts": None if focus else selectors.status_counts(audiences=audiences),
            "listing": listing,
            "rows": selectors.log_rows(listing),
            "summaries": selectors.occurrence_summaries(audiences=audiences) if overview else [],
        },
    )
