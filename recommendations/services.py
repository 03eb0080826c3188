"""Every write to recommendations, their evidence, actions, progress and quotes, and to
the evidence library. A change of a published recommendation's status tells the residents
who asked to hear of it (``emails``), once, after the change is stored."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common.services import check_editable, model_update
from common.slugs import free_slug
from milestones.models import Activity
from reporting.models import Release

from . import emails, figures
from .models import (
    Action,
    Document,
    Evidence,
    EvidenceKind,
    ProgressUpdate,
    Quote,
    Recommendation,
    Status,
)

RECOMMENDATION_FIELDS = ("number", "title", "text", "owner", "target_on", "target_precision")
DOCUMENT_FIELDS = (
    "title",
    "kind",
    "published_on",
    "published_precision",
    "summary",
    "file",
    "url",
    "activity",
    "is_published",
)


def _saved(instance, message: str):
    """Save ``instance``; a unique constraint another request won the race for becomes
    ``message`` (the Python check has already run in ``full_clean``)."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as clash:
        raise ValidationError(message) from clash
    return instance


def recommendation_save(
    *, recommendation: Recommendation | None = None, is_example: bool = False, **fields
) -> Recommendation:
    """Write a recommendation (a new one is a draft: staff publish it when ready). Its
    address is made from its number and title when first written, and then kept, so links
    to it keep working. Its status changes only with a progress update."""
    if recommendation is None:
        check_editable(fields, RECOMMENDATION_FIELDS)
        recommendation = Recommendation(is_example=is_example, **fields)
        recommendation.slug = f"{fields.get('number', '')}-{slugify(fields.get('title', ''))}"[
            :120
        ].strip("-")
        recommendation.full_clean()
    else:
        model_update(recommendation, fields, editable=RECOMMENDATION_FIELDS, save=False)
    return _saved(recommendation, _("Another recommendation already has this number."))


def recommendation_publish(*, recommendation: Recommendation, publish: bool = True):
    """Show a draft on the public pages and in the open data, or take it back to draft."""
    recommendation.published_at = (
        (recommendation.published_at or timezone.now()) if publish else None
    )
    recommendation.save(update_fields=["published_at", "updated_at"])
    return recommendation


def progress_post(
    *,
    recommendation: Recommendation,
    text: str = "",
    status: str = "",
    status_reason: str = "",
    written_on=None,
    posted_by=None,
) -> ProgressUpdate:
    """Post a dated progress update, and with it change the status if ``status`` differs
    (not taken forward needs ``status_reason``, shown with it). A published
    recommendation's change of status is sent, after the commit, to the residents who
    chose to hear of it."""
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        changes = bool(status) and status != locked.status
        update = ProgressUpdate(
            recommendation=locked,
            text=text.strip(),
            status_from=locked.status if changes else "",
            status_to=status if changes else "",
            posted_by=posted_by,
        )
        if written_on is not None:
            update.written_on = written_on
        update.full_clean()
        if changes:
            locked.status = status
            locked.status_reason = (
                status_reason.strip() if status == Status.NOT_TAKEN_FORWARD else ""
            )
            locked.status_changed_at = timezone.now()
            locked.full_clean()
            locked.save()
        update.save()
        if changes and locked.is_published:
            transaction.on_commit(lambda: emails.post_status_change(update.pk))
    recommendation.refresh_from_db()
    return update


def _figure_evidence(recommendation, release_id, table, row_key) -> Evidence:
    release = Release.objects.select_related("questionnaire_type").filter(pk=release_id).first()
    figure = figures.read(release, table, row_key) if release is not None else None
    if figure is None or not figures.is_public(release):
        raise ValidationError(_("That figure is not in any published release."))
    theme = None
    if release.questionnaire_type.model == "consultation" and table.startswith("themes|"):
        theme = release.questionnaire.themes.filter(pk=int(row_key)).first()
    # The same row of the same question is one figure, whichever grouping's table it
    # was found in.
    question = table.split("|")[0]
    if recommendation.evidence.filter(
        release=release, table__startswith=f"{question}|", row_key=row_key
    ).exists():
        raise ValidationError(_("This is already evidence for it."))
    return Evidence(
        recommendation=recommendation,
        kind=EvidenceKind.FIGURE,
        release=release,
        table=table,
        row_key=row_key,
        label=f"{figure.question}: {figure.label}"[:300],
        figure=figures.snapshot(figure),
        theme=theme,
    )


def evidence_add(
    *,
    recommendation: Recommendation,
    kind: str,
    release_id=None,
    table: str = "",
    row_key: str = "",
    activity: Activity | None = None,
    document: Document | None = None,
    note: str = "",
) -> Evidence:
    """Rest the recommendation on a published figure (a row of a release the public can
    read: only such figures are ever evidence), a roadmap activity or a document."""
    if kind == EvidenceKind.FIGURE:
        evidence = _figure_evidence(recommendation, release_id, table, row_key)
    elif kind == EvidenceKind.ACTIVITY and activity is not None:
        evidence = Evidence(recommendation=recommendation, kind=kind, activity=activity)
    elif kind == EvidenceKind.DOCUMENT and document is not None:
        evidence = Evidence(recommendation=recommendation, kind=kind, document=document)
    else:
        raise ValidationError(_("Choose a figure, an activity or a document."))
    evidence.note = note.strip()
    evidence.full_clean()
    return _saved(evidence, _("This is already evidence for it."))


def evidence_update(*, evidence: Evidence, note: str) -> Evidence:
    return model_update(evidence, {"note": note.strip()}, editable=("note",))


def evidence_remove(*, evidence: Evidence) -> None:
    """Take evidence off the recommendation, and its quotes with it."""
    evidence.delete()


def action_add(*, recommendation: Recommendation, activity: Activity, note: str = "") -> Action:
    """Record that a roadmap activity delivers the recommendation."""
    action = Action(recommendation=recommendation, activity=activity, note=note.strip())
    action.full_clean()
    return _saved(action, _("This activity already delivers it."))


def action_remove(*, action: Action) -> None:
    action.delete()


def quote_save(*, evidence: Evidence, text: str, response=None, quote: Quote | None = None):
    """Quote a resident's words beside a theme. The answer must be one coded with that
    theme. New words are not yet fit to publish: someone checks them first."""
    if evidence.theme_id is None:
        raise ValidationError(_("Quotes go beside a theme residents raised."))
    if not figures.of_evidence(evidence).visible:
        raise ValidationError(
            _(
                "Quotes go only beside a theme whose count is published: beside a count too "
                "small to publish, a quote could tell who wrote it."
            )
        )
    if quote is None:
        if response is None or not response.themes.filter(pk=evidence.theme_id).exists():
            raise ValidationError(_("Choose an answer coded with this theme."))
        quote = Quote(evidence=evidence, response=response)
    if quote.text != text.strip():
        quote.fit_to_publish, quote.checked_by, quote.checked_at = False, None, None
    quote.text = text.strip()
    quote.full_clean()
    quote.save()
    return quote


def quote_check(*, quote: Quote, checked_by, fit: bool = True) -> Quote:
    """Record that ``checked_by`` read the words for anything that could identify someone
    and found them fit to publish (or not)."""
    quote.fit_to_publish = fit
    quote.checked_by, quote.checked_at = (checked_by, timezone.now()) if fit else (None, None)
    quote.full_clean()
    quote.save()
    return quote


def quote_remove(*, quote: Quote) -> None:
    quote.delete()


def document_save(*, document: Document | None = None, is_example: bool = False, **fields):
    """Write a document of the evidence library; a new one gets an address from its title."""
    check_editable(fields, DOCUMENT_FIELDS)
    if document is None:
        base = slugify(fields.get("title", ""))[:110] or "document"
        taken = set(Document.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        document = Document(slug=free_slug(base, taken, ()), is_example=is_example)
    old_file = document.file.name if document.pk else ""
    model_update(document, fields, editable=DOCUMENT_FIELDS, save=False)
    _saved(document, _("Another document has this address."))
    if old_file and old_file != document.file.name:
        transaction.on_commit(lambda: document.file.storage.delete(old_file))
    return document
