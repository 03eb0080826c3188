"""Staff pages of the consultation (commission staff and admins), and the public findings."""

import datetime
import functools
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import staff_required
from common import kept_pages
from common.forms import add_service_errors, saved_or_errors
from common.languages import direction
from reporting.csvfiles import csv_download
from reporting.releases import current_release
from surveys import views as surveys_views

from . import analysis, capture, exports, languages, sealing, selectors, services
from .forms import (
    CodingForm,
    ConsultationForm,
    FindingsForm,
    OptionForm,
    StaffResponseForm,
    ThemeForm,
    TranslationsForm,
    WardForm,
)
from .models import Consultation, Option, Response, Ward, translated_languages

VIEW_ANSWERS = "consultation.view_response"
MANAGE = "consultation.change_consultation"


def _consultation(slug) -> Consultation:
    try:
        return selectors.consultation_with_options(slug=slug)
    except Consultation.DoesNotExist as missing:
        raise Http404 from missing


@never_cache
@staff_required(perm=VIEW_ANSWERS)
@require_GET
def consultation_list(request):
    """Commission staff and admins: every consultation, with its number of responses."""
    return render(
        request,
        "consultation/staff/consultation_list.html",
        {"consultations": selectors.staff_consultations()},
    )


@never_cache
@staff_required(perm=MANAGE)
@require_http_methods(["GET", "POST"])
def consultation_edit(request, slug=None):
    """Commission staff and admins: set up a consultation, or change one."""
    consultation = get_object_or_404(Consultation, slug=slug) if slug else None
    form = ConsultationForm(request.POST or None, instance=consultation)
    if form.is_valid() and (
        saved := saved_or_errors(
            form,
            lambda: (
                services.consultation_update(consultation=consultation, **form.cleaned_data)
                if consultation
                else services.consultation_create(**form.cleaned_data)
            ),
        )
    ):
        messages.success(request, _("“%(title)s” saved.") % {"title": saved})
        return redirect("consultation_staff:detail", slug=saved.slug)
    return render(
        request,
        "consultation/staff/consultation_form.html",
        {"form": form, "consultation": consultation},
    )


@never_cache
@staff_required(perm=VIEW_ANSWERS)
@require_GET
def staff_detail(request, slug):
    """Commission staff and admins: a consultation's staff home and answer lists."""
    consultation = _consultation(slug)
    return render(
        request,
        "consultation/staff/consultation_detail.html",
        {
            "consultation": consultation,
            "options": consultation.options.all(),
            "option_form": OptionForm(),
            "response_count": consultation.responses.count(),
            "contact_count": consultation.contacts.filter(withdrawn_at__isnull=True).count(),
        },
    )


@never_cache
@staff_required(perm="consultation.change_option")
@require_http_methods(["GET", "POST"])
def option_edit(request, slug, pk=None):
    """Commission staff and admins: add an answer to a list, or rename or retire one."""
    consultation = get_object_or_404(Consultation, slug=slug)
    option = get_object_or_404(Option, pk=pk, consultation=consultation) if pk else None
    initial = (
        {"kind": option.kind, "label": option.label, "is_active": option.is_active}
        if option
        else None
    )
    form = OptionForm(request.POST or None, initial=initial)
    if option:
        form.fields["kind"].disabled = True
    if form.is_valid():
        try:
            services.option_save(consultation=consultation, option=option, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Answer list saved."))
            return redirect("consultation_staff:detail", slug=slug)
    return render(
        request,
        "consultation/staff/option_form.html",
        {"form": form, "consultation": consultation, "option": option},
    )


@never_cache
@staff_required(perm="consultation.change_ward")
@require_http_methods(["GET", "POST"])
def wards(request, pk=None):
    """Commission staff and admins: the list of wards residents choose their area from."""
    ward = get_object_or_404(Ward, pk=pk) if pk else None
    initial = {"name": ward.name, "is_active": ward.is_active} if ward else None
    form = WardForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            services.ward_save(ward=ward, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ward list saved."))
            return redirect("consultation_staff:wards")
    return render(
        request,
        "consultation/staff/wards.html",
        {"form": form, "ward": ward, "wards": Ward.objects.all()},
    )


@never_cache
@staff_required(perm="consultation.add_response")
@require_http_methods(["GET", "POST"])
def response_enter(request, slug):
    """Commission staff and admins: enter a paper response or one from a community event."""
    consultation = _consultation(slug)
    form = StaffResponseForm(request.POST or None, consultation=consultation)
    if form.is_valid():
        answers = dict(form.cleaned_data)
        given_on = answers.pop("submitted_on")
        submitted_at = timezone.make_aware(datetime.datetime.combine(given_on, datetime.time(12)))
        try:
            response, _created = services.response_submit(
                consultation=consultation,
                answers=answers,
                submission_key=_submission_key(request),
                channel=answers.pop("channel"),
                channel_detail=answers.pop("channel_detail"),
                submitted_at=submitted_at,
                language=answers.pop("language"),
                version=answers.pop("version"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Response %(reference)s saved.") % {"reference": response.reference}
            )
            return redirect("consultation_staff:response_enter", slug=slug)
    return render(
        request,
        "consultation/staff/response_form.html",
        {
            "consultation": consultation,
            "form": form,
            "submission_key": _submission_key(request),
        },
    )


def _submission_key(request) -> uuid.UUID:
    """The key the form was first shown with, so pressing "save" twice saves once."""
    try:
        return uuid.UUID(request.POST.get("submission_key", ""))
    except ValueError:
        return services.new_submission_key()


@never_cache
@staff_required(perm=VIEW_ANSWERS)
@require_GET
def results(request, slug):
    """Commission staff and admins: the figures, unsuppressed, with any breakdown."""
    dimension = analysis.dimension_for(request.GET.get("by", ""))
    counted = get_object_or_404(Consultation.objects.only("figures_version"), slug=slug)

    def page():
        consultation = _consultation(slug)
        results = analysis.results(consultation, dimension)
        context = {
            "consultation": consultation,
            "results": results,
            "dimensions": analysis.DIMENSIONS.values(),
            "dimension": dimension,
        }
        # The charts and tables are most of the page's cost, and HTML made from the figures
        # alone: rendered again only when the figures differ (for every account).
        figures = kept_pages.made_from(
            f"staff-results:{consultation.pk}:{dimension.key}:{translation.get_language()}",
            results,
            lambda: render_to_string("consultation/staff/_results_figures.html", context),
        )
        return render(request, "consultation/staff/results.html", {**context, "figures": figures})

    # The rest of what it shows (answer lists, themes, wards) moves the public revision on.
    return kept_pages.served_to_account(
        request,
        page,
        shows=f"{counted.pk}:{counted.figures_version}",
        reads=("by",),
        kind=dimension.key,
    )


@never_cache
@staff_required(perm="consultation.change_response")
@require_http_methods(["GET", "POST"])
def coding(request, slug, reference=None):
    """Commission staff and admins: code free-text answers with themes, one at a time,
    through the queue of those not yet coded."""
    consultation = _consultation(slug)
    if reference:
        response = get_object_or_404(Response, consultation=consultation, reference=reference)
    else:
        response = selectors.next_to_code(consultation=consultation)
    themes = list(consultation.themes.all())
    form = CodingForm(
        request.POST or None,
        themes=themes,
        initial={"themes": [str(t.pk) for t in response.themes.all()] if response else []},
    )
    if response and form.is_valid():
        chosen = [t for t in themes if str(t.pk) in form.cleaned_data["themes"]]
        if form.cleaned_data["new_theme"].strip():
            chosen.append(
                services.theme_create(
                    consultation=consultation, name=form.cleaned_data["new_theme"]
                )
            )
        services.response_code(response=response, themes=chosen, coded_by=request.user)
        messages.success(request, _("Response %(ref)s coded.") % {"ref": response.reference})
        return redirect("consultation_staff:coding", slug=slug)
    return render(
        request,
        "consultation/staff/coding.html",
        {
            "consultation": consultation,
            "response": response,
            "form": form,
            "theme_form": ThemeForm(),
            "remaining": selectors.uncoded_count(consultation=consultation),
        },
    )


@never_cache
@staff_required(perm="consultation.add_theme")
@require_http_methods(["POST"])
def theme_add(request, slug):
    """Commission staff and admins: add a theme to code with."""
    consultation = get_object_or_404(Consultation, slug=slug)
    form = ThemeForm(request.POST)
    if form.is_valid():
        services.theme_create(consultation=consultation, **form.cleaned_data)
        messages.success(request, _("Theme added."))
    else:
        messages.error(request, _("Enter a name for the theme."))
    return redirect("consultation_staff:coding", slug=slug)


@never_cache
@staff_required(perm=VIEW_ANSWERS)
@require_GET
def export_answers(request, slug):
    """Commission staff and admins: every answer with its codes, as CSV, streamed."""
    consultation = get_object_or_404(Consultation, slug=slug)
    return csv_download(exports.answers_csv(consultation), f"{slug}-answers.csv")


@never_cache
@staff_required(perm=VIEW_ANSWERS)
@require_GET
def export_answers_dictionary(request, slug):
    """Commission staff and admins: the data dictionary of the answers download, as CSV."""
    consultation = get_object_or_404(Consultation, slug=slug)
    return csv_download(exports.answers_dictionary(consultation), f"{slug}-answers-dictionary.csv")


def _aggregate_download(request, slug, *, dictionary=False):
    consultation = _consultation(slug)
    release = current_release(consultation)
    if release is None:
        messages.error(
            request, _("Publish the findings first: this download is what is published.")
        )
        return redirect("consultation_staff:detail", slug=slug)
    return exports.aggregate_download(
        consultation, release, request.GET.get("by", ""), dictionary=dictionary
    )


@never_cache
@staff_required(perm=VIEW_ANSWERS)
@require_GET
def export_aggregate(request, slug):
    """Commission staff and admins: the published figures, as CSV: the current release,
    exactly as the findings page shows it."""
    return _aggregate_download(request, slug)


@never_cache
@staff_required(perm=VIEW_ANSWERS)
@require_GET
def export_aggregate_dictionary(request, slug):
    """Commission staff and admins: the data dictionary of the published figures' download
    (the current release, by the same grouping), as CSV."""
    return _aggregate_download(request, slug, dictionary=True)


@never_cache
@staff_required(perm=MANAGE)
@require_http_methods(["GET", "POST"])
def findings_manage(request, slug):
    """Commission staff and admins: publish (or withdraw) the findings of a closed consultation."""
    consultation = get_object_or_404(Consultation, slug=slug)
    return surveys_views.findings_manage(
        request,
        consultation,
        form_class=FindingsForm,
        template="consultation/staff/findings_form.html",
        context={
            "consultation": consultation,
            "findings_url": reverse("consultation:findings", args=[slug]),
        },
        back_url=reverse("consultation_staff:detail", args=[slug]),
    )


@never_cache
@staff_required(perm=MANAGE)
@require_GET
def translations(request, slug):
    """Commission staff and admins: how far the consultation's own texts are translated
    into each language, and which languages residents are offered."""
    consultation = get_object_or_404(Consultation, slug=slug)
    return render(
        request,
        "consultation/staff/translations.html",
        {"consultation": consultation, "coverage": languages.coverage(consultation)},
    )


@never_cache
@staff_required(perm=MANAGE)
@require_http_methods(["GET", "POST"])
def translation_edit(request, slug, language):
    """Commission staff and admins: every text of the consultation in one language, to
    write, bring in line with changed English, and mark reviewed by a fluent speaker."""
    consultation = get_object_or_404(Consultation, slug=slug)
    names = dict(translated_languages())
    if language not in names:
        raise Http404
    form = TranslationsForm(
        request.POST or None,
        rows=languages.text_rows(consultation, language),
        language=language,
    )

    def save():
        return services.translations_save(
            consultation=consultation, language=language, texts=form.texts(), reviewer=request.user
        )

    if form.is_valid() and saved_or_errors(form, save) is not None:
        messages.success(
            request, _("%(language)s translations saved.") % {"language": names[language]}
        )
        return redirect("consultation_staff:translations", slug=slug)
    return render(
        request,
        "consultation/staff/translation_form.html",
        {"consultation": consultation, "form": form, "language_name": names[language]},
    )


def _signed_in_for_sync(view):
    """A tablet's sync is a fetch, not a page: a sign-in that has run out is told as 401,
    which the tablet reads as "keep the answers, ask staff to sign in again", rather than
    sent to the sign-in page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": _("Sign in again to send the answers.")}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


@never_cache
@_signed_in_for_sync
@staff_required(perm="consultation.add_response")
@require_POST
def capture_sync(request, slug):
    """Commission staff and admins, from the event capture page: a batch of answers the
    tablet captured (``capture``), saved once each; 400 with what is wrong, and nothing
    saved, for a batch that cannot be taken."""
    consultation = get_object_or_404(Consultation, slug=slug)
    try:
        body = request.body
    except RequestDataTooBig:
        refused = _("Send fewer responses at once: at most %(n)d bytes.")
        return JsonResponse(
            {"problems": {"batch": [refused % {"n": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}]}},
            status=413,
        )
    try:
        responses = capture.read_batch(body, consultation)
        outcome = services.event_sync(consultation=consultation, responses=responses)
    except capture.BatchRefused as refused:
        return JsonResponse({"problems": refused.problems}, status=400)
    except ValidationError as refused:
        return JsonResponse({"problems": {"batch": refused.messages}}, status=400)
    return JsonResponse(outcome)


@dataclass
class CaptureLanguage:
    """The tablet's pages in one language the consultation is offered in."""

    code: str
    name: str
    direction: str
    html: str  # its pages, rendered in it
    rules: dict  # what the browser checks on each page, in its words


def _capture_languages(consultation) -> list[CaptureLanguage]:
    """The pages the tablet asks, blank, in each language the consultation is offered in,
    with the rules the browser checks before moving on (the server checks them again when
    the answers arrive)."""
    names = dict(settings.LANGUAGES)
    found = []
    for code in languages.offered(consultation):
        with translation.override(code):
            shown = languages.as_read(consultation, code)
            pages, rules = [], {}
            for step in capture.CAPTURED_STEPS:
                # The same questions in each language on one page: ids of their own.
                form = step.form_class(consultation=shown, auto_id=f"id_{code}_%s")
                del form.fields["website"]  # no bot fills in a tablet in staff hands
                pages.append((step, render_to_string("includes/fields.html", {"form": form})))
                rules[step.slug] = capture.rules(form)
            html = render_to_string(
                "consultation/staff/capture_pages.html", {"pages": pages, "language": code}
            )
        found.append(CaptureLanguage(code, names[code], direction(code), html, rules))
    return found


@never_cache
@staff_required(perm="consultation.add_response")
@require_GET
def capture_page(request, slug):
    """Commission staff and admins: answers at an event on a tablet, with or without a
    connection (the one page of the portal that needs JavaScript, and says so)."""
    consultation = get_object_or_404(Consultation, slug=slug)
    in_languages = _capture_languages(consultation)
    base = reverse("consultation_staff:capture", args=[slug])
    config = {
        "database": f"dit-capture-{consultation.pk}",
        "page": base,
        "scope": base,
        "sync": reverse("consultation_staff:capture_sync", args=[slug]),
        "token": reverse("consultation_staff:capture_token", args=[slug]),
        "closes_at": consultation.closes_at.isoformat(),
        "batch": capture.MAX_RESPONSES,
        "batch_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        "portal_key": sealing.public_key(),
        "worker": reverse("consultation_staff:capture_worker", args=[slug]),
        "rules": {language.code: language.rules for language in in_languages},
        "text": capture.messages(),
    }
    return render(
        request,
        "consultation/staff/capture.html",
        {
            "consultation": consultation,
            "languages": in_languages,
            "config": config,
            "handed_to_residents": True,
        },
    )


@never_cache
@_signed_in_for_sync
@staff_required(perm="consultation.add_response")
@require_GET
def capture_token(request, slug):
    """The tablet, before it sends: the CSRF token of the sign-in it has now (the page it
    shows may have been kept from an earlier one); 401 once the sign-in has run out."""
    get_object_or_404(Consultation, slug=slug)
    return JsonResponse({"token": get_token(request)})


def _digest(names) -> str:
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:12]


@staff_required(perm="consultation.add_response")
@require_GET
def capture_worker(request, slug):
    """The capture page's service worker: keeps the page and what it needs, so the page
    opens again with no connection."""
    consultation = get_object_or_404(Consultation, slug=slug)
    kept = [reverse("consultation_staff:capture", args=[consultation.slug]), *capture.assets()]
    response = render(
        request,
        "consultation/staff/capture_worker.js",
        # JSON is JavaScript: the names and addresses go in as literals, quoted. The cache is
        # named after what it keeps, so a release with new files starts a new one.
        {
            "cache_name": json.dumps(f"dit-capture-{consultation.pk}-{_digest(kept)}"),
            "urls": json.dumps(kept),
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response


@staff_required(perm="consultation.add_response")
@require_GET
def capture_manifest(request, slug):
    """The capture page as a web app a tablet can install."""
    consultation = get_object_or_404(Consultation, slug=slug)
    page = reverse("consultation_staff:capture", args=[consultation.slug])
    return JsonResponse(
        {
            "name": _("Event answers: %(title)s") % {"title": consultation.title},
            "short_name": _("Event answers"),
            "start_url": page,
            "scope": page,
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#00664f",
            "icons": [
                {"src": static("images/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
