"""Public pages (the recommendations, "you said, we did", the evidence library) and the
commission's staff pages for writing recommendations and tracing them to evidence."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts.access import staff_required
from common import kept_pages
from common.forms import add_service_errors, id_from, saved_or_errors
from common.uploads import attachment
from common.views import confirm
from consultation.models import Consultation, Response
from milestones.models import Activity
from reporting.models import Release

from . import selectors, services
from .forms import (
    ActionForm,
    DocumentForm,
    EvidenceNoteForm,
    ProgressForm,
    QuoteForm,
    RecommendationForm,
)
from .models import Action, Document, Evidence, Quote, Recommendation, Status

MANAGE = "recommendations.change_recommendation"
MANAGE_DOCUMENTS = "recommendations.change_document"


@require_GET
@kept_pages.whole
def index(request):
    """Public: every published recommendation with its status and progress, filtered by
    status and by the consultation theme it rests on."""
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    themes = selectors.theme_names()
    theme = request.GET.get("theme", "")
    theme = theme if theme in themes else ""
    return render(
        request,
        "recommendations/index.html",
        {
            "recommendations": selectors.recommendation_list(status=status, theme=theme),
            "counts": selectors.status_counts(),
            "statuses": Status.choices,
            "status": status,
            "themes": themes,
            "theme": theme,
        },
    )


@require_GET
@kept_pages.whole
def detail(request, slug):
    """Public, once published: the recommendation, its evidence with the published figure
    behind each, the activities that deliver it, and its history."""
    try:
        page = selectors.recommendation_page(slug=slug)
    except Recommendation.DoesNotExist as missing:
        raise Http404 from missing
    return render(request, "recommendations/detail.html", {"page": page})


@require_GET
def you_said_we_did(request, slug):
    """Public, once the consultation's findings are: the themes residents raised most, and
    what the commission did about each."""
    try:
        outcome = selectors.you_said_we_did(slug=slug)
    except (Consultation.DoesNotExist, Release.DoesNotExist) as missing:
        raise Http404 from missing
    return render(request, "recommendations/you_said_we_did.html", {"outcome": outcome})


@require_GET
def evidence_library(request):
    """Public: the documents the commission's work rests on."""
    return render(
        request,
        "recommendations/evidence.html",
        {"documents": selectors.published_documents()},
    )


@require_safe
def document_file(request, slug):
    """Public: a published document's file, as a download."""
    document = get_object_or_404(Document, slug=slug, is_published=True)
    if document.file_kind is None:
        raise Http404
    return attachment(document.file, document.file_kind, document.title, public=True)


# Staff pages


def _recommendation(pk) -> Recommendation:
    # Read first, rather than compared through a foreign key: Django leaves an id too
    # large for the column out of a primary key lookup, but not out of a related one.
    return get_object_or_404(Recommendation, pk=pk)


@never_cache
@staff_required(perm=MANAGE)
@require_GET
def staff_list(request):
    """Commission staff and admins: every recommendation, drafts included."""
    recommendations = Recommendation.objects.prefetch_related("actions__activity")
    for recommendation in recommendations:
        recommendation.progress = selectors.progress_of(recommendation)
    return render(request, "recommendations/staff/list.html", {"recommendations": recommendations})


@never_cache
@staff_required(perm="recommendations.add_recommendation")
@require_http_methods(["GET", "POST"])
def staff_create(request):
    """Commission staff and admins: a new recommendation, as a draft."""
    form = RecommendationForm(request.POST or None)
    if form.is_valid():
        saved = saved_or_errors(
            form, lambda: services.recommendation_save(**form.service_arguments())
        )
        if saved:
            messages.success(request, _("Saved as a draft. Add its evidence, then publish it."))
            return redirect("recommendations:staff_detail", pk=saved.pk)
    return render(request, "recommendations/staff/edit.html", {"form": form})


@never_cache
@staff_required(perm=MANAGE)
@require_http_methods(["GET", "POST"])
def staff_edit(request, pk):
    """Commission staff and admins: a recommendation's number, words, owner and target."""
    recommendation = get_object_or_404(Recommendation, pk=pk)
    form = RecommendationForm(
        request.POST or None, initial=RecommendationForm.initial_for(recommendation)
    )
    if form.is_valid():
        saved = saved_or_errors(
            form,
            lambda: services.recommendation_save(
                recommendation=recommendation, **form.service_arguments()
            ),
        )
        if saved:
            messages.success(request, _("Saved."))
            return redirect("recommendations:staff_detail", pk=pk)
    return render(
        request,
        "recommendations/staff/edit.html",
        {"form": form, "recommendation": recommendation},
    )


@never_cache
@staff_required(perm=MANAGE)
@require_http_methods(["GET", "POST"])
def staff_detail(request, pk):
    """The recommendation as staff manage it: publish it, post progress (and change its
    status), its evidence and quotes, and the activities that deliver it."""
    recommendation = get_object_or_404(Recommendation, pk=pk)
    action = request.POST.get("action")
    if action in ("publish", "unpublish"):
        services.recommendation_publish(recommendation=recommendation, publish=action == "publish")
        messages.success(
            request,
            _("Published: the public can read it.")
            if action == "publish"
            else _("Taken back to a draft: the public can no longer read it."),
        )
        return redirect("recommendations:staff_detail", pk=pk)
    progress_form = ProgressForm(
        request.POST if action == "progress" else None,
        recommendation=recommendation,
        initial={"written_on": timezone.localdate()},
    )
    action_form = ActionForm(request.POST if action == "action" else None, prefix="action")
    if action == "progress" and progress_form.is_valid():
        data = progress_form.cleaned_data
        posted = saved_or_errors(
            progress_form,
            lambda: services.progress_post(
                recommendation=recommendation,
                text=data["text"],
                status=data["status"],
                status_reason=data["status_reason"],
                written_on=data["written_on"],
                posted_by=request.user,
            ),
        )
        if posted:
            messages.success(request, _("Progress posted."))
            return redirect("recommendations:staff_detail", pk=pk)
    if action == "action" and action_form.is_valid():
        added = saved_or_errors(
            action_form,
            lambda: services.action_add(recommendation=recommendation, **action_form.cleaned_data),
        )
        if added:
            messages.success(request, _("Activity added."))
            return redirect("recommendations:staff_detail", pk=pk)
    page = selectors.recommendation_page(slug=recommendation.slug, public=False)
    return render(
        request,
        "recommendations/staff/detail.html",
        {
            "page": page,
            "recommendation": page.recommendation,
            "progress_form": progress_form,
            "action_form": action_form,
        },
    )


@never_cache
@staff_required(perm=MANAGE)
@require_http_methods(["GET", "POST"])
def staff_evidence(request, pk):
    """Search the published figures, roadmap activities and documents, and add one as
    evidence (with a note of what it shows)."""
    recommendation = get_object_or_404(Recommendation, pk=pk)
    form = EvidenceNoteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        kind = request.POST.get("kind", "")
        try:
            services.evidence_add(
                recommendation=recommendation,
                kind=kind,
                release_id=id_from(request.POST.get("release")),
                table=request.POST.get("table", "")[:100],
                row_key=request.POST.get("row_key", "")[:50],
                activity=Activity.objects.filter(pk=id_from(request.POST.get("activity"))).first(),
                document=Document.objects.filter(pk=id_from(request.POST.get("document"))).first(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, _("Evidence added."))
            return redirect("recommendations:staff_detail", pk=pk)
    query = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "recommendations/staff/evidence.html",
        {
            "recommendation": recommendation,
            "query": query,
            "found": selectors.search(query) if query else None,
            "form": form,
        },
    )


@never_cache
@staff_required(perm=MANAGE)
@require_http_methods(["GET", "POST"])
def staff_evidence_remove(request, pk, evidence_pk):
    """Commission staff and admins, after saying yes: take evidence off."""
    evidence = get_object_or_404(Evidence, pk=evidence_pk, recommendation=_recommendation(pk))
    if request.method == "POST":
        services.evidence_remove(evidence=evidence)
        messages.success(request, _("Evidence removed."))
        return redirect("recommendations:staff_detail", pk=pk)
    return confirm(
        request,
        question=_("Remove “%(evidence)s” from the evidence?") % {"evidence": evidence},
        explanation=_("Any quotes beside it go with it."),
        warning=_("Remove it"),
        action=request.path,
        back=redirect("recommendations:staff_detail", pk=pk).url,
    )


@never_cache
@staff_required(perm=MANAGE)
@require_POST
def staff_action_remove(request, pk, action_pk):
    """Commission staff and admins: an activity no longer delivers the recommendation."""
    action = get_object_or_404(Action, pk=action_pk, recommendation=_recommendation(pk))
    services.action_remove(action=action)
    messages.success(request, _("Activity taken off."))
    return redirect("recommendations:staff_detail", pk=pk)


@never_cache
@staff_required(perm=MANAGE)
@require_http_methods(["GET", "POST"])
def staff_quotes(request, pk, evidence_pk):
    """Commission staff and admins who may also read residents' answers: quotes beside a
    theme, picked from answers coded with it, checked for anything identifying, and marked
    fit to publish."""
    if not request.user.has_perm("consultation.view_response"):
        raise PermissionDenied
    evidence = get_object_or_404(
        Evidence.objects.select_related("theme", "recommendation"),
        pk=evidence_pk,
        recommendation=_recommendation(pk),
        theme__isnull=False,
    )
    action = request.POST.get("action")
    form = QuoteForm(request.POST if action == "add" else None)
    if action in ("check", "uncheck", "remove"):
        quote = get_object_or_404(Quote, pk=id_from(request.POST.get("quote")), evidence=evidence)
        if action == "remove":
            services.quote_remove(quote=quote)
        else:
            services.quote_check(quote=quote, checked_by=request.user, fit=action == "check")
        return redirect("recommendations:staff_quotes", pk=pk, evidence_pk=evidence_pk)
    if action == "add" and form.is_valid():
        response = Response.objects.filter(
            pk=id_from(request.POST.get("response")), consultation=evidence.theme.consultation
        ).first()
        saved = saved_or_errors(
            form,
            lambda: services.quote_save(
                evidence=evidence, response=response, text=form.cleaned_data["text"]
            ),
        )
        if saved:
            messages.success(request, _("Quote added. Check it before it can be published."))
            return redirect("recommendations:staff_quotes", pk=pk, evidence_pk=evidence_pk)
    return render(
        request,
        "recommendations/staff/quotes.html",
        {
            "evidence": evidence,
            "recommendation": evidence.recommendation,
            "quotes": evidence.quotes.select_related("checked_by"),
            "answers": selectors.answers_with_theme(evidence.theme),
            "form": form,
            "chosen": request.POST.get("response", ""),
        },
    )


@never_cache
@staff_required(perm=MANAGE_DOCUMENTS)
@require_GET
def staff_documents(request):
    """Commission staff and admins: the evidence library, drafts included."""
    return render(
        request,
        "recommendations/staff/documents.html",
        {"documents": Document.objects.select_related("activity")},
    )


@never_cache
@staff_required(perm=MANAGE_DOCUMENTS)
@require_http_methods(["GET", "POST"])
def staff_document_edit(request, pk=None):
    """Commission staff and admins: add a document to the library, or change one."""
    document = get_object_or_404(Document, pk=pk) if pk else None
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        document=document,
        initial=DocumentForm.initial_for(document) if document else None,
    )
    if form.is_valid():
        saved = saved_or_errors(
            form,
            lambda: services.document_save(document=document, **form.service_arguments()),
        )
        if saved:
            messages.success(request, _("Saved."))
            return redirect("recommendations:staff_documents")
    return render(
        request, "recommendations/staff/document_edit.html", {"form": form, "document": document}
    )
