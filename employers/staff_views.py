"""Staff pages of the employer survey (commission staff and admins)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import staff_required
from common import kept_pages
from common.forms import add_service_errors, saved_or_errors
from common.tables import Listing, Sort
from common.views import confirm
from reporting.csvfiles import csv_download
from reporting.releases import current_release
from surveys import views as surveys_views

from . import exports, selectors, services
from .filters import InvitedFilter
from .forms import FindingsForm, InviteForm, ListItemForm, SurveySettingsForm
from .models import Employer, Invitation, Skill, Survey, SurveyOption

VIEW = "employers.view_employerresponse"
INVITED_SORTS = [
    Sort("name", _lazy("Organisation"), ("name",)),
    Sort("sent", _lazy("Invited"), ("last_sent",)),
    Sort("progress", _lazy("Progress"), (selectors.PROGRESS_STAGE, "submitted_at")),
    Sort("expires", _lazy("Link"), ("expires",)),
]
MANAGE = "employers.change_survey"


def _survey(slug) -> Survey:
    try:
        return selectors.survey_with_lists(slug=slug)
    except Survey.DoesNotExist as missing:
        raise Http404 from missing


@never_cache
@staff_required(perm=VIEW)
@require_GET
def survey_list(request):
    """Commission staff and admins: every employer survey."""
    return render(request, "employers/staff/survey_list.html", {"surveys": Survey.objects.all()})


@never_cache
@staff_required(perm="employers.change_invitation")
@require_http_methods(["GET", "POST"])
def account_remove(request, slug, employer_pk, user_pk):
    """Commission staff and admins: stop an account answering for an organisation, after
    confirming (GET asks, POST removes). Its answers stay; the invitation link itself
    keeps working until it is sent again."""
    survey = _survey(slug)
    employer = get_object_or_404(
        Employer.objects.distinct(), pk=employer_pk, invitations__survey=survey
    )
    user = get_object_or_404(get_user_model(), pk=user_pk)
    if request.method == "GET":
        accounts = selectors.accounts_by_employer(survey=survey).get(employer.pk, [])
        account = next((a for a in accounts if a.user_id == user.pk), None)
        if account is None:
            raise Http404
        return render(
            request,
            "employers/staff/account_remove.html",
            {"survey": survey, "employer": employer, "account": account},
        )
    if services.account_unlink(survey=survey, employer=employer, user=user):
        messages.success(
            request,
            _(
                "%(email)s can no longer answer for %(employer)s from their account; the "
                "organisation's answers are kept. To stop the invitation link working too, "
                "send it again."
            )
            % {"email": user.email, "employer": employer},
        )
    return redirect("employers:staff_survey", slug=slug)


@never_cache
@staff_required(perm=MANAGE)
@require_http_methods(["GET", "POST"])
def survey_edit(request, slug=None):
    """Commission staff and admins: set up a survey, or change one."""
    survey = get_object_or_404(Survey, slug=slug) if slug else None
    form = SurveySettingsForm(request.POST or None, instance=survey)
    if form.is_valid() and (
        saved := saved_or_errors(
            form,
            lambda: (
                services.survey_update(survey=survey, **form.cleaned_data)
                if survey
                else services.survey_create(**form.cleaned_data)
            ),
        )
    ):
        messages.success(request, _("“%(title)s” saved.") % {"title": saved})
        return redirect("employers:staff_survey", slug=saved.slug)
    return render(request, "employers/staff/survey_form.html", {"form": form, "survey": survey})


@never_cache
@staff_required(perm=VIEW)
@require_http_methods(["GET", "POST"])
def staff_survey(request, slug):
    """Commission staff and admins: who was invited, who opened, drafted and submitted;
    invite another organisation."""
    survey = _survey(slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("employers.add_invitation"):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            new = {} if data["employer"] else {f: data[f] for f in services.EMPLOYER_FIELDS}
            try:
                invitation = services.organisation_invite(
                    survey=survey,
                    email=data["email"],
                    invited_by=request.user,
                    employer=data["employer"],
                    **new,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Invitation for %(employer)s sent to %(email)s.")
                    % {"employer": invitation.employer, "email": data["email"]},
                )
                return redirect("employers:staff_survey", slug=slug)
    filters = InvitedFilter(
        request.GET or None, queryset=selectors.invitation_progress(survey=survey)
    )
    listing = Listing(
        request.GET,
        filters.qs if filters.is_valid() else filters.queryset,
        INVITED_SORTS,
        default="name",
    )
    page = list(listing)
    accounts = selectors.accounts_by_employer(survey=survey, employer_ids=[e.pk for e in page])
    for employer in page:
        employer.accounts = accounts.get(employer.pk, [])
    return render(
        request,
        "employers/staff/survey_detail.html",
        {
            "survey": survey,
            "filters": filters,
            "listing": listing,
            "progress": page,
            "form": form,
            "now": timezone.now(),
        },
    )


@never_cache
@staff_required(perm="employers.change_invitation")
@require_http_methods(["GET", "POST"])
def invitation_resend(request, slug, pk):
    """Commission staff and admins: send an invitation again, with a new link valid for a
    full period, after confirming (GET asks, POST sends): the old link stops working."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("survey", "employer"), pk=pk, survey__slug=slug
    )
    if request.method == "GET":
        return render(
            request,
            "employers/staff/invitation_resend.html",
            {"survey": invitation.survey, "invitation": invitation},
        )
    try:
        services.invitation_resend(invitation=invitation)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Invitation sent again to %(email)s, with a new link; the old link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("employers:staff_survey", slug=slug)


@never_cache
@staff_required(perm=MANAGE)
@require_http_methods(["GET", "POST"])
def list_item_edit(request, slug, kind=None, pk=None):
    """Commission staff and admins: add to, rename in or retire from the answer and
    skills lists."""
    survey = _survey(slug)
    item = None
    if pk is not None:
        item = get_object_or_404(Skill if kind == "skill" else SurveyOption, pk=pk, survey=survey)
    initial = None
    if item is not None:
        initial = {
            "kind": "skill" if kind == "skill" else item.kind,
            "label": getattr(item, "name", None) or item.label,
            "is_active": item.is_active,
        }
    form = ListItemForm(request.POST or None, initial=initial)
    if item is not None:
        form.fields["kind"].disabled = True
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["kind"] == "skill":
                services.skill_save(
                    survey=survey, name=data["label"], skill=item, is_active=data["is_active"]
                )
            else:
                services.option_save(
                    survey=survey,
                    kind=data["kind"],
                    label=data["label"],
                    option=item,
                    is_active=data["is_active"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("List saved."))
            return redirect("employers:staff_lists", slug=slug)
    return render(
        request,
        "employers/staff/lists.html",
        {"survey": survey, "form": form, "item": item},
    )


@never_cache
@staff_required(perm=VIEW)
@require_GET
def results(request, slug):
    """Commission staff and admins: the figures, unsuppressed."""
    by = request.GET.get("by") if request.GET.get("by") in selectors.DIMENSIONS else "sector"
    counted = get_object_or_404(Survey.objects.only("figures_version"), slug=slug)

    def page():
        survey = _survey(slug)
        ranking, others, respondents, tables = selectors.results(survey=survey, by=by)
        # The charts and tables are most of the page's cost, and HTML made from the figures
        # alone: rendered again only when the figures differ (for every account).
        tables_html = kept_pages.made_from(
            f"employer-results:{survey.pk}:{by}:{translation.get_language()}",
            tables,
            lambda: render_to_string("employers/_tables.html", {"tables": tables, "by": by}),
        )
        return render(
            request,
            "employers/staff/results.html",
            {
                "survey": survey,
                "by": by,
                "tables": tables,
                "tables_html": tables_html,
                "ranking": ranking,
                "others": others,
                "counted": respondents,
            },
        )

    # The rest of what it shows (skills, answer lists) moves the public revision on.
    return kept_pages.served_to_account(
        request, page, shows=f"{counted.pk}:{counted.figures_version}", reads=("by",), kind=by
    )


@never_cache
@staff_required(perm=VIEW)
@require_GET
def export_responses(request, slug):
    """Commission staff and admins: every submitted response, as CSV."""
    survey = get_object_or_404(Survey, slug=slug)
    return csv_download(exports.responses_csv(survey), f"{slug}-responses.csv")


@never_cache
@staff_required(perm=VIEW)
@require_GET
def export_responses_dictionary(request, slug):
    """Commission staff and admins: the data dictionary of the responses download, as CSV."""
    survey = get_object_or_404(Survey, slug=slug)
    return csv_download(exports.responses_dictionary(survey), f"{slug}-responses-dictionary.csv")


def _findings_download(request, slug, *, dictionary=False):
    survey = _survey(slug)
    release = current_release(survey)
    if release is None:
        messages.error(request, _("Publish the findings first: this download is what is public."))
        return redirect("employers:staff_survey", slug=slug)
    return exports.findings_download(
        survey, release, request.GET.get("by", ""), dictionary=dictionary
    )


@never_cache
@staff_required(perm=VIEW)
@require_GET
def export_findings(request, slug):
    """Commission staff and admins: the published figures, as CSV: the current release,
    exactly as the findings page shows it."""
    return _findings_download(request, slug)


@never_cache
@staff_required(perm=VIEW)
@require_GET
def export_findings_dictionary(request, slug):
    """Commission staff and admins: the data dictionary of the published figures' download
    (the current release, by the same grouping), as CSV."""
    return _findings_download(request, slug, dictionary=True)


@never_cache
@staff_required(perm=MANAGE)
@require_http_methods(["GET", "POST"])
def findings_manage(request, slug):
    """Commission staff and admins: publish (or withdraw) the findings of a closed survey,
    and tell the organisations that took part once they are published."""
    survey = get_object_or_404(Survey, slug=slug)
    return surveys_views.findings_manage(
        request,
        survey,
        form_class=FindingsForm,
        template="employers/staff/findings_form.html",
        context={
            "survey": survey,
            "findings_url": reverse("employers:findings", args=[slug]),
            "announcement": selectors.findings_announcement(survey),
        },
        back_url=reverse("employers:staff_survey", args=[slug]),
    )


@never_cache
@staff_required(perm=MANAGE)
@require_POST
def findings_announce(request, slug):
    """Commission staff and admins: email the organisations that took part that the
    findings are published (after saying yes), or send themselves a test first."""
    survey = get_object_or_404(Survey, slug=slug)
    back = reverse("employers:findings_manage", args=[slug])
    if request.POST.get("action") == "test":
        services.findings_announce_test(survey=survey, to=request.user.email)
        messages.success(
            request, _("A test is on its way to %(email)s.") % {"email": request.user.email}
        )
        return redirect(back)
    if request.POST.get("confirmed") != "yes":
        audience = selectors.findings_audience(survey)
        return confirm(
            request,
            question=_("Email %(n)s organisations?") % {"n": len(audience)},
            explanation=_(
                "Each organisation that took part in “%(title)s” is told, at the address its "
                "invitation went to, that the findings are published, with the link."
            )
            % {"title": survey.title},
            warning=_("An email cannot be taken back once it is sent."),
            action=_("Email them now"),
            back=back,
            keep=_("Not yet"),
            hidden={"confirmed": "yes"},
        )
    try:
        announcement = services.findings_announce(survey=survey, sent_by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("Emailing %(n)s organisations.") % {"n": announcement.reach})
    return redirect(back)
