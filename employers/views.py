import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from common.forms import add_service_errors
from reporting.releases import current_release, release_tables

from . import advert_checker, selectors, services
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


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request, slug):
    """The invited organisation (by its link, or a signed-in contact of it): its own
    response only. Editable as a draft while the survey is open; read-only once submitted."""
    survey = _survey_or_404(slug)
    employer = selectors.employer_for(request, survey)
    if employer is None:
        return render(request, "employers/no_access.html", {"survey": survey}, status=403)
    response = selectors.response_for(survey, employer)
    context = {"survey": survey, "employer": employer, "response": response}
    if response is not None and response.is_submitted:
        return render(request, "employers/survey_submitted.html", context)
    if not survey.is_open():
        return render(request, "employers/survey_closed.html", context, status=403)
    submitting = request.POST.get("action") == "submit"
    form = SurveyForm(
        request.POST or None,
        survey=survey,
        response=response,
        initial=selectors.answers_of(response),
    )
    if request.method == "POST" and form.is_valid():
        arguments = {"survey": survey, "employer": employer, "answers": form.cleaned_data}
        try:
            if submitting:
                services.response_submit(**arguments, user=request.user)
                return redirect("employers:thanks", slug=survey.slug)
            services.response_save_draft(**arguments)
        except ValidationError as error:
            add_service_errors(form, error)
            return render(request, "employers/survey_form.html", {**context, "form": form})
        except services.ResponseLocked:
            messages.info(request, _("Your organisation's answers were already submitted."))
            return redirect(survey)
        except services.SurveyClosed:
            return render(request, "employers/survey_closed.html", context, status=403)
        messages.success(
            request,
            _(
                "Your answers are saved. Come back with the link from your invitation "
                "to finish them before %(closes)s."
            )
            % {"closes": date_format(timezone.localtime(survey.closes_at), "j F Y")},
        )
        return redirect(survey)
    return render(request, "employers/survey_form.html", {**context, "form": form})


@never_cache
@require_GET
def thanks(request, slug):
    """The organisation that just submitted."""
    survey = _survey_or_404(slug)
    if selectors.employer_for(request, survey) is None:
        return redirect("employers:index")
    return render(request, "employers/thanks.html", {"survey": survey})


@sensitive_post_parameters("advert")
@never_cache
@require_http_methods(["GET", "POST"])
def advert_checker_view(request):
    """Public. Checks a pasted job advert for gender-coded words; stores nothing."""
    form = AdvertForm(request.POST or None)
    result = advert_checker.check(form.cleaned_data["advert"]) if form.is_valid() else None
    return render(
        request,
        "employers/advert_checker.html",
        {
            "form": form,
            "result": result,
            "masculine_words": advert_checker.MASCULINE,
            "feminine_words": advert_checker.FEMININE,
        },
    )


@require_GET
def findings(request, slug):
    """Public, once staff publish them: the current release, frozen and disclosure-audited
    when it was published; never live counts. Down while the survey is reopened."""
    survey = _survey_or_404(slug)
    release = current_release(survey)
    if not survey.findings_are_public or release is None:
        raise Http404
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
