"""The staff page for publishing a questionnaire's findings, shared by both kinds."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.views import confirm
from reporting.releases import current_release, publications_of, releases_of

from . import publishing


def findings_manage(request, questionnaire, *, form_class, template, context, back_url):
    """Ask for the findings to be published (checked in the background), follow that
    check to its outcome, see every release, or withdraw the current one. The caller
    has checked who may."""
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "withdraw" and current_release(questionnaire) is not None:
        if request.POST.get("confirmed") != "yes":
            return _withdraw_confirm(request, questionnaire)
        publishing.findings_withdraw(questionnaire=questionnaire)
        messages.success(
            request,
            _(
                "The findings are no longer published. To undo this, publish the same "
                "release again below."
            ),
        )
        return redirect(request.path)
    if action == "restore":
        release = publishing.findings_restore(questionnaire=questionnaire)
        if release is None:
            messages.error(request, _("There is no withdrawn release to publish again."))
        else:
            messages.success(
                request,
                _("Release %(number)s is published again, as it was.") % {"number": release.number},
            )
        return redirect(request.path)
    latest = publications_of(questionnaire).select_related("release").first()
    releases = list(releases_of(questionnaire).select_related("published_by"))
    # A refused or stopped run keeps the summary staff wrote, for another go.
    summary = (
        latest.summary
        if latest is not None and latest.release_id is None
        else questionnaire.findings_summary
    )
    form = form_class(request.POST or None, initial={"summary": summary})
    if form.is_valid():
        try:
            publishing.findings_request(
                questionnaire=questionnaire, summary=form.cleaned_data["summary"], user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(request.path)
    return render(
        request,
        template,
        {
            **context,
            "form": form,
            "publication": latest,
            "current": current_release(questionnaire),
            "releases": releases,
            "restorable": _restorable(questionnaire, releases),
        },
    )


def _restorable(questionnaire, releases):
    """The release that withdrawing took down, if it can go back up as it was: it is the
    latest, and the questionnaire is closed."""
    latest = releases[0] if releases else None
    if latest is None or latest.withdrawn_at is None or not questionnaire.has_closed():
        return None
    return latest


def _withdraw_confirm(request, questionnaire):
    release = current_release(questionnaire)
    return confirm(
        request,
        question=_("Stop publishing the findings?"),
        explanation=_(
            "Release %(number)s of the findings of “%(title)s” is public. Its page and "
            "downloads will be taken down; the release stays on record."
        )
        % {"number": release.number, "title": questionnaire.title},
        warning=_(
            "Anyone with a link to the findings will find nothing there. You can publish "
            "the same release again from the findings page until another is published."
        ),
        action=_("Stop publishing the findings"),
        back=request.path,
        keep=_("Keep them published"),
        hidden={"action": "withdraw", "confirmed": "yes"},
    )
