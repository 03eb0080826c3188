"""Every read of recommendations: the public list and page, "you said, we did", the
evidence library, the staff search for evidence, and progress counted from actions."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultation.models import Consultation, Response, Theme
from milestones.models import Activity
from milestones.models import Status as ActivityStatus
from reporting.breakdowns import ordered_rows
from reporting.models import Release
from reporting.releases import (
    SEPARATOR,
    current_release,
    current_releases,
    release_tables,
    releases_of,
)

from . import figures
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


@dataclass
class Progress:
    """A recommendation's progress, counted from the roadmap activities that deliver it."""

    done: int
    under_way: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def __str__(self):
        if not self.total:
            return _("No roadmap activities deliver it yet.")
        return ngettext(
            "%(done)s of %(total)s roadmap activity done",
            "%(done)s of %(total)s roadmap activities done",
            self.total,
        ) % {"done": self.done, "total": self.total}


def progress_of(recommendation: Recommendation) -> Progress:
    """Counted from ``recommendation.actions`` (prefetched with their activities)."""
    statuses = [action.activity.status for action in recommendation.actions.all()]
    return Progress(
        done=statuses.count(ActivityStatus.DONE),
        under_way=statuses.count(ActivityStatus.UNDER_WAY),
        total=len(statuses),
    )


def _actions(*, public: bool = True):
    """A recommendation's actions with their activities: on public pages, only activities
    the public roadmap shows."""
    actions = Action.objects.select_related("activity")
    return Prefetch(
        "actions", queryset=actions.filter(activity__is_public=True) if public else actions
    )


def published() -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(published_at__isnull=False)


def theme_names() -> list[str]:
    """The consultation themes published recommendations rest on, through findings the
    public can read now, for the list's filter (1 query)."""
    evidence = (
        Evidence.objects.filter(theme__isnull=False, recommendation__published_at__isnull=False)
        .select_related("theme")
        .prefetch_related(
            # Only whether each release is public: not its tables.
            Prefetch(
                "release",
                queryset=Release.objects.defer("tables", "audit").select_related(
                    "questionnaire_type"
                ),
            ),
            "release__questionnaire",
        )
    )
    names = {e.theme.name for e in evidence if figures.is_public(e.release)}
    return sorted(names, key=str.casefold)


def recommendation_list(*, status: str = "", theme: str = "") -> list[Recommendation]:
    """Published recommendations by number, optionally of one status or resting on a theme
    of that name, each with ``progress`` (2 queries)."""
    recommendations = published().prefetch_related(_actions())
    if status:
        recommendations = recommendations.filter(status=status)
    if theme:
        recommendations = recommendations.filter(
            pk__in=Evidence.objects.filter(theme__name=theme).values("recommendation_id")
        )
    found = list(recommendations)
    for recommendation in found:
        recommendation.progress = progress_of(recommendation)
    return found


def waiting_for_staff() -> dict[str, int]:
    """How many quotes wait to be checked, and how many recommendations are drafts
    (2 queries)."""
    return {
        "quotes": Quote.objects.filter(fit_to_publish=False).count(),
        "drafts": Recommendation.objects.filter(published_at__isnull=True).count(),
    }


def status_counts() -> dict[str, int]:
    """How many published recommendations have each status (1 query)."""
    counts = dict.fromkeys(Status.values, 0)
    for value in published().values_list("status", flat=True):
        counts[value] += 1
    return counts


@dataclass
class EvidenceItem:
    evidence: Evidence
    figure: figures.PublishedFigure | None = None
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class RecommendationPage:
    recommendation: Recommendation
    progress: Progress
    figures: list[EvidenceItem]
    activities: list[Evidence]
    documents: list[Evidence]
    actions: list
    updates: list
    withheld: int  # figures whose release is no longer public


def _evidence_queryset(*, public: bool):
    quotes = Quote.objects.order_by("pk")
    if public:
        quotes = quotes.filter(fit_to_publish=True)
    shown = (Q(document__isnull=True) | Q(document__is_published=True)) & (
        Q(activity__isnull=True) | Q(activity__is_public=True)
    )
    # Evidence keeps its figure: whether its release is public is all that is read of it,
    # never the release's (large) tables.
    releases = Release.objects.defer("tables").select_related("questionnaire_type")
    evidence = Evidence.objects.select_related("theme", "activity", "document").prefetch_related(
        Prefetch("quotes", queryset=quotes),
        Prefetch("release", queryset=releases),
        "release__questionnaire",
    )
    return evidence.filter(shown) if public else evidence


def recommendation_page(*, slug: str, public: bool = True) -> RecommendationPage:
    """A recommendation with its evidence, actions and history (raises DoesNotExist for a
    draft when ``public``). Figures come from their release as published; one whose release
    is no longer public (withdrawn, or its questionnaire reopened) is left out and counted
    in ``withheld``; quotes shown publicly only when checked (7 queries)."""
    recommendations = published() if public else Recommendation.objects.all()
    recommendation = recommendations.prefetch_related(
        _actions(public=public),
        Prefetch("evidence", queryset=_evidence_queryset(public=public)),
        Prefetch("updates", queryset=ProgressUpdate.objects.all()),
    ).get(slug=slug)
    items, activities, documents, withheld = [], [], [], 0
    for evidence in recommendation.evidence.all():
        if evidence.kind == EvidenceKind.ACTIVITY:
            activities.append(evidence)
        elif evidence.kind == EvidenceKind.DOCUMENT:
            documents.append(evidence)
        elif public and not figures.is_public(evidence.release):
            withheld += 1
        else:
            figure = figures.of_evidence(evidence)
            # Beside a count too small to publish, a quote would tell it (two quotes: at
            # least two answers) and could point to who wrote it.
            quoted = not public or figure.visible
            items.append(
                EvidenceItem(evidence, figure, list(evidence.quotes.all()) if quoted else [])
            )
    return RecommendationPage(
        recommendation=recommendation,
        progress=progress_of(recommendation),
        figures=items,
        activities=activities,
        documents=documents,
        actions=list(recommendation.actions.all()),
        updates=list(recommendation.updates.all()),
        withheld=withheld,
    )


@dataclass
class ThemeOutcome:
    """A theme residents raised, as published, and what the commission did about it."""

    key: str
    label: str
    figure: object
    recommendations: list[Recommendation]
    quotes: list[Quote]


@dataclass
class YouSaidWeDid:
    consultation: Consultation
    release: Release
    themes: list[ThemeOutcome]

    @property
    def threshold(self) -> int:
        return self.release.audit.get("threshold", 0)


def you_said_we_did(*, slug: str) -> YouSaidWeDid:
    """For a consultation whose findings are public: the themes of its current release,
    most raised first (hidden counts last, in their own order, as on the findings page),
    each with the published recommendations resting on it and their checked quotes
    (raises Consultation.DoesNotExist, or Release.DoesNotExist with no public findings)
    (6 queries)."""
    consultation = Consultation.objects.get(slug=slug)
    release = current_release(consultation)
    if release is None or not consultation.findings_are_public:
        raise Release.DoesNotExist
    themes = next(
        (
            table
            for (question, _dimension), table in release_tables(release).items()
            if question == "themes"
        ),
        None,
    )
    rows = ordered_rows(themes, release.audit.get("threshold")) if themes else []
    evidence = list(
        Evidence.objects.filter(
            theme__consultation=consultation, recommendation__published_at__isnull=False
        )
        .select_related("recommendation")
        .prefetch_related(
            Prefetch("quotes", queryset=Quote.objects.filter(fit_to_publish=True)),
            Prefetch("recommendation__actions", queryset=_actions().queryset),
        )
        .order_by("recommendation__number")
    )
    outcomes = []
    for row in rows:
        linked = [e for e in evidence if str(e.theme_id) == str(row.key)]
        recommendations = list({e.recommendation.pk: e.recommendation for e in linked}.values())
        for recommendation in recommendations:
            recommendation.progress = progress_of(recommendation)
        shown = not (row.total.suppressed or row.total.complementary)
        quotes = [quote for e in linked for quote in e.quotes.all()] if shown else []
        outcomes.append(ThemeOutcome(str(row.key), row.label, row.total, recommendations, quotes))
    return YouSaidWeDid(consultation, release, outcomes)


def published_documents() -> QuerySet[Document]:
    """The evidence library, oldest first, with the activity each came from (1 query)."""
    return Document.objects.filter(is_published=True).select_related("activity")


def for_activity(activity: Activity) -> list[Recommendation]:
    """Published recommendations an activity delivers or is evidence for (1 query)."""
    return list(
        published()
        .filter(Q(actions__activity=activity) | Q(evidence__activity=activity))
        .distinct()
        .order_by("number")
    )


def for_questionnaire(questionnaire) -> list[Recommendation]:
    """Published recommendations resting on figures of a consultation's or a survey's
    releases (1 query)."""
    return list(
        published()
        .filter(evidence__release__in=releases_of(questionnaire))
        .distinct()
        .order_by("number")
    )


@dataclass
class Found:
    figures: list[figures.PublishedFigure]
    activities: list[Activity]
    documents: list[Document]


SEARCH_LIMIT = 25


def search(query: str) -> Found:
    """Evidence staff can add, matching ``query`` (words anywhere, any case): rows of the
    current public releases (for each question and row, the first table that shows its
    total, else the first), roadmap activities and documents (4 queries)."""
    words = query.casefold().split()

    def matches(*texts) -> bool:
        text = " ".join(str(t) for t in texts).casefold()
        return all(word in text for word in words)

    # One figure per question and row, whichever grouping's table shows it (the first that
    # shows its total, else the first).
    best = {}
    for release in current_releases():
        if not figures.is_public(release):
            continue
        for figure in figures.rows_of(release):
            if not matches(figure.question, figure.label, release.questionnaire):
                continue
            name = (release.pk, figure.table.split(SEPARATOR)[0], figure.row_key)
            if name not in best or (figure.visible and not best[name].visible):
                best[name] = figure
    found_figures = list(best.values())
    text = Q()
    for word in words:
        text &= Q(title__icontains=word) | Q(description__icontains=word)
    activities = list(Activity.objects.filter(text).order_by("starts_on")[:SEARCH_LIMIT])
    document_text = Q()
    for word in words:
        document_text &= Q(title__icontains=word) | Q(summary__icontains=word)
    documents = list(Document.objects.filter(document_text)[:SEARCH_LIMIT])
    return Found(found_figures[:SEARCH_LIMIT], activities, documents)


ANSWERS_SHOWN = 50


def answers_with_theme(theme: Theme) -> list[Response]:
    """The answers coded with ``theme`` whose words staff may quote from, oldest first:
    their free text only, never who gave them (1 query)."""
    answers = list(
        Response.objects.filter(themes=theme)
        .only("pk", "barriers_other", "changes_other", "support_other", "comments")
        .order_by("submitted_at", "pk")[:ANSWERS_SHOWN]
    )
    for answer in answers:
        answer.free_text = free_text(answer)
    return answers


def free_text(response: Response) -> list[str]:
    """An answer's words in its free-text questions, for staff to quote from."""
    fields = ("barriers_other", "changes_other", "support_other", "comments")
    return [getattr(response, name) for name in fields if getattr(response, name)]
