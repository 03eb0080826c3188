from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import staff_required
from common.forms import saved_or_errors
from common.views import confirm

from . import emails, selectors, services
from .forms import OpportunityForm
from .models import Opportunity

MANAGE = "news.add_opportunity"


@require_GET
def archive(request):
    """Public: every opportunity sent, newest first."""
    return render(
        request,
        "news/archive.html",
        {"opportunities": selectors.archive(), "today": timezone.localdate()},
    )


@never_cache
@staff_required(perm=MANAGE)
@require_GET
def staff_list(request):
    """Commission staff, coordinators and admins: opportunities, drafts first."""
    return render(
        request,
        "news/staff/list.html",
        {
            "drafts": Opportunity.objects.filter(sent_at__isnull=True).order_by("-created_at"),
            "sent": Opportunity.objects.filter(sent_at__isnull=False),
        },
    )


@never_cache
@staff_required(perm=MANAGE)
@require_http_methods(["GET", "POST"])
def staff_edit(request, pk=None):
    """Write an opportunity, or change a draft."""
    opportunity = get_object_or_404(Opportunity, pk=pk, sent_at__isnull=True) if pk else None
    form = OpportunityForm(request.POST or None, instance=opportunity, user=request.user)
    if form.is_valid():
        saved = saved_or_errors(
            form,
            lambda: services.opportunity_save(
                opportunity=opportunity, created_by=request.user, **form.service_arguments()
            ),
        )
        if saved:
            messages.success(request, _("Saved. Check it and send a test before sending it."))
            return redirect("news:staff_detail", pk=saved.pk)
    return render(request, "news/staff/edit.html", {"form": form, "opportunity": opportunity})


@never_cache
@staff_required(perm=MANAGE)
@require_http_methods(["GET", "POST"])
def staff_detail(request, pk):
    """An opportunity as residents will read it, how many people it reaches, a test to
    oneself, and sending it (after saying yes); once sent, how the sending goes."""
    opportunity = get_object_or_404(Opportunity.objects.prefetch_related("topics"), pk=pk)
    action = request.POST.get("action")
    if action == "test":
        services.opportunity_send_test(opportunity=opportunity, to=request.user.email)
        messages.success(
            request, _("A test is on its way to %(email)s.") % {"email": request.user.email}
        )
        return redirect("news:staff_detail", pk=pk)
    reach = None if opportunity.sent_at else selectors.reach(opportunity)
    if action == "send":
        if request.POST.get("confirmed") != "yes":
            return confirm(
                request,
                question=_("Send “%(title)s”?") % {"title": opportunity.title},
                explanation=_(
                    "It goes by email to %(residents)s residents and %(members)s network "
                    "members, and appears in the public list of opportunities."
                )
                % {"residents": len(reach.residents), "members": len(reach.members)},
                warning=_("An email cannot be taken back once it is sent."),
                action=_("Send it now"),
                back=request.path,
                keep=_("Not yet"),
                hidden={"action": "send", "confirmed": "yes"},
            )
        try:
            services.opportunity_send(opportunity=opportunity, sent_by=request.user)
        except services.AlreadySent as refused:
            messages.error(request, str(refused))
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _("Sending: see how it goes below."))
        return redirect("news:staff_detail", pk=pk)
    preview = emails.preview(opportunity)
    return render(
        request,
        "news/staff/detail.html",
        {
            "opportunity": opportunity,
            "reach": reach,
            "preview": preview,
            "sending": selectors.sending(opportunity) if opportunity.sent_at else None,
        },
    )
