from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts.access import staff_required
from common.addresses import masked
from common.forms import id_from
from common.tables import Listing, Sort

from . import calendars, replies, selectors
from .forms import ReplyForm
from .reminders import ReplyRefused, sources

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


@never_cache
@require_http_methods(["GET", "POST"])
def reply(request, token, answer):
    """Anyone holding an invitation's reply link, signed in or not: the link opens this
    page with its answer chosen; only sending the page records it (a mail scanner that
    fetches the link answers nothing). The link speaks for one person about one
    occurrence, until it ends and while they are still invited."""
    invited = replies.read(token)
    source = sources().get(invited.kind) if invited else None
    occurrence = source.get(invited.pk) if source else None
    if occurrence is None or answer not in replies.Answer.values:
        return _reply_closed(request, _("This link does not work"), status=404)
    if occurrence.ends_at <= timezone.now():
        return _reply_closed(request, _("This has already taken place"), occurrence, 410)
    if occurrence.cancelled:
        return _reply_closed(request, _("This has been cancelled"), occurrence, 410)
    if invited.email not in {
        p.email.lower() for p in source.invitees([occurrence.pk]).get(occurrence.pk, [])
    }:
        return _reply_closed(request, _("You are no longer invited to this"), occurrence, 410)
    form = ReplyForm(request.POST or None, initial={"answer": answer})
    recorded = answered = None
    if form.is_valid():
        try:
            source.reply(occurrence.pk, invited.email, form.cleaned_data["answer"])
        except ReplyRefused as refused:
            form.add_error(None, str(refused))
        else:
            answered = form.cleaned_data["answer"]
            recorded = replies.Answer(answered).label
    return render(
        request,
        "notifications/reply.html",
        {
            "occurrence": occurrence,
            "form": form,
            "recorded": recorded,
            "gave_up_place": occurrence.kind == "event" and answered == replies.Answer.NO,
            "current": source.reply_of(occurrence.pk, invited.email),
            "email": masked(invited.email),
        },
    )


def _reply_closed(request, heading, occurrence=None, status=404):
    return render(
        request,
        "notifications/reply_closed.html",
        {"heading": heading, "occurrence": occurrence},
        status=status,
    )


@require_safe
def calendar_feed(request, token):
    """Anyone holding a person's feed address (the calendar program they gave it to): what
    that person is invited to or has a place at, as iCalendar. The address is the
    permission; a retired one answers 404."""
    user = calendars.owner_of(token)
    if user is None:
        raise Http404
    response = HttpResponse(calendars.feed_ics(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="dit-portal.ics"'
    # It is one person's: no shared cache keeps it.
    response["Cache-Control"] = "private, max-age=300"
    return response


@never_cache
@login_required
@require_POST
def calendar_feed_manage(request):
    """Anyone signed in: make their calendar feed's address, make a new one in place of the
    old (which stops working), or stop it; then back to the page they came from."""
    if request.POST.get("action") == "stop":
        calendars.feed_stop(user=request.user)
        messages.success(request, _("Your calendar feed is stopped: its address no longer works."))
    else:
        calendars.feed_renew(user=request.user)
        messages.success(
            request,
            _("Your calendar feed has a new address. Any address you had before no longer works."),
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=False):
        back = "/"
    return redirect(back)
