import datetime
import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from common import kept_pages, ratelimit
from common.forms import add_service_errors
from reporting.releases import current_release, release_tables

from . import adverts, emails, exports, selectors, services
from .adverts import documents, gender, plain, requirements
from .adverts.findings import GAUCHER
from .forms import AdvertForm, SurveyForm
from .models import Survey

logger = logging.getLogger(__name__)
REDACTED_PATH = "/employers/invitation/<token>/"


def _survey_or_404(slug) -> Survey:
    try:
        return selectors.survey_with_lists(slug=slug)
    except Survey.DoesNotExist as missing:
        raise Http404 from missing


@require_GET
def index(request):
    """Public. The employer survey, and the job advert checker."""
    return render(
        request,
        "employers/index.html",
        {"my_surveys": selectors.surveys_for_user(request.user)},
    )


@never_cache
@require_GET
def invitation(request, token):
    """Anyone holding an invitation link: it opens the survey for that organisation."""
    try:
        invited = services.invitation_open(token=token, user=request.user)
    except services.InvitationInvalid as invalid:
        response = render(
            request, "employers/invitation_invalid.html", {"reason": invalid.reason}, status=410
        )
        # 410 tells browsers and crawlers the link is gone for good. The token never
        # reaches a log (settings.LOGGING redacts it from Django's request log too).
        logger.warning("Invitation link refused (%s): %s", invalid.reason, REDACTED_PATH)
        return response
    selectors.remember_invitation(request, invited)
    return redirect(invited.survey)


# The survey form's buttons: save a draft to come back to, or save it and go on to check
# the answers. ("submit" is the value the second button had before the check-answers step:
# a page opened before then goes to the check too, never straight to submitting.)
CONTINUE_ACTIONS = ("check", "submit")


def _survey_access(request, slug):
    """What the survey's pages need (the survey, the organisation this visitor answers
    for, its saved response), and the page to show instead if not the survey's own: no
    access, already submitted (read-only), or not open."""
    survey = _survey_or_404(slug)
    employer = selectors.employer_for(request, survey)
    if employer is None:
        return {"survey": survey}, render(
            request, "employers/no_access.html", {"survey": survey}, status=403
        )
    response = selectors.response_for(survey, employer)
    context = {"survey": survey, "employer": employer, "response": response}
    if response is not None and response.is_submitted:
        return context, _submitted_page(request, context)
    if not survey.is_open():
        return context, render(request, "employers/survey_closed.html", context, status=403)
    return context, None


def _submitted_page(request, context):
    invitation = selectors.invitation_in_session(request, context["survey"])
    return render(
        request,
        "employers/survey_submitted.html",
        {
            **context,
            "chosen": selectors.chosen_answers(context["response"]),
            "emails_url": reverse("employers:stop_emails", args=[emails.stop_token(invitation)])
            if invitation is not None
            else None,
        },
    )


NOT_SAVED = gettext_lazy(
    "Your answers have not been saved. Change what is listed below, then try again."
)
SAVED_NOT_READY = gettext_lazy(
    "Your answers are saved as a draft. Before you can check and submit them, answer the "
    "questions listed below."
)
NOT_READY = gettext_lazy(
    "Before you can check and submit your answers, answer the questions listed below."
)


def _form_page(request, context, form, *, note):
    """The survey form again, with ``note`` at the top of what to change: whether the
    answers in it were kept as the draft, so that the page never claims a save that did
    not happen."""
    form.add_error(None, str(note))
    return render(
        request,
        "employers/survey_form.html",
        {**context, "form": form, "not_saved": note is NOT_SAVED},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request, slug):
    """The invited organisation (by its link, or a signed-in contact of it): its own
    response only. Editable as a draft while the survey is open; read-only once submitted.
    Continuing saves the draft and goes on to check the answers before submitting them."""
    context, instead = _survey_access(request, slug)
    if instead is not None:
        return instead
    survey, employer, response = context["survey"], context["employer"], context["response"]
    form = SurveyForm(
        request.POST or None,
        survey=survey,
        response=response,
        initial=selectors.answers_of(response),
    )
    if request.method != "POST":
        return render(request, "employers/survey_form.html", {**context, "form": form})
    if not form.is_valid():
        return _form_page(request, context, form, note=NOT_SAVED)
    arguments = {"survey": survey, "employer": employer, "answers": form.cleaned_data}
    try:
        services.response_save_draft(**arguments)
    except ValidationError as error:
        add_service_errors(form, error)
        return _form_page(request, context, form, note=NOT_SAVED)
    except services.ResponseLocked:
        messages.info(request, _("Your organisation's answers were already submitted."))
        return redirect(survey)
    except services.SurveyClosed:
        return render(request, "employers/survey_closed.html", context, status=403)
    if request.POST.get("action") in CONTINUE_ACTIONS:
        try:
            services.response_check(**arguments)
        except ValidationError as error:
            add_service_errors(form, error)
            return _form_page(request, context, form, note=SAVED_NOT_READY)
        return redirect("employers:survey_check", slug=survey.slug)
    messages.success(
        request,
        _(
            "Your answers are saved. Come back with the link from your invitation "
            "to finish them before %(closes)s."
        )
        % {"closes": date_format(timezone.localtime(survey.closes_at), "j F Y")},
    )
    return redirect(survey)


@never_cache
@require_http_methods(["GET", "POST"])
def survey_check(request, slug):
    """The invited organisation, as for the survey form: its saved answers to check, with
    links back to change them, and the button that submits them (by POST only, once:
    the service locks the response). A draft that could not be submitted yet is shown as
    the form, with what is missing."""
    context, instead = _survey_access(request, slug)
    if instead is not None:
        return instead
    survey, employer, response = context["survey"], context["employer"], context["response"]
    answers = selectors.answers_of(response)
    arguments = {"survey": survey, "employer": employer, "answers": answers}
    try:
        services.response_check(**arguments)
        if request.method == "POST":
            services.response_submit(
                **arguments, user=request.user, checked_at=_checked_at(request.POST)
            )
            return redirect("employers:thanks", slug=survey.slug)
    except ValidationError as error:
        form = SurveyForm.from_answers(answers, survey=survey, response=response)
        form.is_valid()
        add_service_errors(form, error)
        return _form_page(
            request, context, form, note=SAVED_NOT_READY if response is not None else NOT_READY
        )
    except services.ResponseChanged:
        messages.info(
            request,
            _(
                "Your organisation's answers were saved again after you checked them. "
                "Check them again before you submit."
            ),
        )
        return redirect("employers:survey_check", slug=survey.slug)
    except services.ResponseLocked:
        messages.info(request, _("Your organisation's answers were already submitted."))
        return redirect(survey)
    except services.SurveyClosed:
        return render(request, "employers/survey_closed.html", context, status=403)
    return render(
        request,
        "employers/survey_check.html",
        {
            **context,
            "chosen": selectors.chosen_answers(response),
            "checked_at": response.updated_at.isoformat(),
        },
    )


def _checked_at(data) -> datetime.datetime:
    """When the draft the employer checked was saved, from the check page's form; a value
    that is missing or not a time cannot match any draft, so nothing is submitted."""
    try:
        return datetime.datetime.fromisoformat(data.get("checked_at", ""))
    except ValueError:
        return datetime.datetime.min.replace(tzinfo=datetime.UTC)


@never_cache
@require_GET
def thanks(request, slug):
    """The organisation that just submitted."""
    survey = _survey_or_404(slug)
    if selectors.employer_for(request, survey) is None:
        return redirect("employers:index")
    return render(request, "employers/thanks.html", {"survey": survey})


class AdvertUploadHandler(MemoryFileUploadHandler):
    """Keeps an advert uploaded to the checker in memory, never in a temporary file on disk,
    whatever its size: past ``MAX_BYTES`` (across every file in the request) the bytes are
    dropped, the size still counted, so the reader can say the file is too big."""

    def __init__(self, request=None):
        super().__init__(request)
        self.kept = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = True

    def receive_data_chunk(self, raw_data, start):
        if self.kept <= documents.MAX_BYTES:
            self.file.write(raw_data)
            self.kept += len(raw_data)


# Reading an uploaded document is the checker's costliest work: a client may upload this
# many in this many seconds; pasting is not limited.
UPLOADS_PER_CLIENT = 30
UPLOAD_PERIOD = 600


@csrf_exempt
@sensitive_post_parameters("advert")
@never_cache
@require_http_methods(["GET", "POST"])
@kept_pages.whole
def advert_checker_view(request):
    """Public. A report on a pasted or uploaded job advert; stores nothing. Uploads are
    kept in memory (``AdvertUploadHandler``), which must be set before the CSRF check
    reads the form: hence the check inside, as Django's documentation does it."""
    request.upload_handlers = [AdvertUploadHandler(request)]
    return _advert_checker(request)


@csrf_protect
def _advert_checker(request):
    # Counted before the form reads anything: a refused upload costs nothing.
    allowed = not request.FILES or ratelimit.allow(
        request, scope="advert-upload", limit=UPLOADS_PER_CLIENT, period=UPLOAD_PERIOD
    )
    form = AdvertForm(request.POST or None, request.FILES or None, uploads_allowed=allowed)
    report = adverts.check(form.cleaned_data["text"]) if form.is_valid() else None
    return render(
        request,
        "employers/advert_checker.html",
        {
            "form": form,
            "report": report,
            "masculine_words": gender.MASCULINE,
            "feminine_words": gender.FEMININE,
            "long_sentence": plain.LONG_SENTENCE,
            "reading_age_aim": plain.READING_AGE_AIM,
            "max_essential": requirements.MAX_ESSENTIAL,
            "gaucher": GAUCHER,
        },
        status=200 if allowed else 429,
    )


def _public_release(slug):
    """The survey and its current release, if its findings are public; else 404."""
    survey = _survey_or_404(slug)
    release = current_release(survey)
    if not survey.findings_are_public or release is None:
        raise Http404
    return survey, release


@require_GET
def findings(request, slug):
    """Public, once staff publish them: the current release, frozen and disclosure-audited
    when it was published; never live counts. Down while the survey is reopened."""
    survey, release = _public_release(slug)
    by = request.GET.get("by") if request.GET.get("by") in selectors.DIMENSIONS else "sector"
    published = release_tables(release)
    tables = {kind: t for (kind, dimension), t in published.items() if dimension == by}
    return render(
        request,
        "employers/findings.html",
        {
            "survey": survey,
            "release": release,
            "tables": tables,
            "by": by,
            "threshold": release.audit["threshold"],
            "ranking": published.get(selectors.RANKING),
        },
    )


@require_GET
def findings_figures(request, slug):
    """Public, with the findings: the figures the findings page shows, by sector or size
    band (``?by=``), and the skills ranking, as CSV: the frozen release, never live counts."""
    survey, release = _public_release(slug)
    return exports.findings_download(survey, release, request.GET.get("by", ""))


@require_GET
def findings_figures_dictionary(request, slug):
    """Public, with the findings: the data dictionary of ``findings_figures``."""
    survey, release = _public_release(slug)
    return exports.findings_download(survey, release, request.GET.get("by", ""), dictionary=True)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def stop_emails(request, token):
    """Anyone holding the link from an email about the survey's findings: choose to hear
    of the commission's progress on its recommendations, or stop every email to that
    address. A mail program's one-click unsubscribe posts here (RFC 8058: no cookie, so no
    CSRF token; the signed link is the permission); a browser asks first."""
    invitation = emails.invitation_of_stop_token(token)
    if invitation is None:
        raise Http404
    # From a progress email's own unsubscribe link, only those emails stop.
    only_progress = request.GET.get("only") == "progress"
    if request.method == "POST" and ("progress" in request.POST or only_progress):
        wanted = request.POST.get("progress") == "yes"
        try:
            services.invitation_hear_of_progress(invitation=invitation, wanted=wanted)
        except ValidationError as refused:
            messages.error(request, refused.messages[0])
        else:
            messages.success(
                request,
                _("We will email you when a recommendation changes.")
                if wanted
                else _("We will not email you about the recommendations."),
            )
        return redirect("employers:stop_emails", token=token)
    if request.method == "POST":
        invitation = services.invitation_stop_emails(invitation=invitation)
    return render(request, "employers/stop_emails.html", {"invitation": invitation})
