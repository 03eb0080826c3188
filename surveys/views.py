"""The staff page for publishing a questionnaire's findings, shared by both kinds."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from reporting.releases import current_release, publications_of, releases_of

from . import publishing


def findings_manage(request, questionnaire, *, form_class, template, context, back_url):
    """Ask for the findings to be published (checked in the background), follow that
    check to its outcome, see every release, or withdraw the current one. The caller
    has checked who may."""
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        publishing.findings_withdraw(questionnaire=questionnaire)
        messages.success(request, _("The findings are no longer published."))
        return redirect(back_url)
    latest = publications_of(questionnaire).select_related("release").first()
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
            "releases": releases_of(questionnaire).select_related("published_by"),
        },
    )
