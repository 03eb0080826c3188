"""Reading one published figure out of a frozen release: the only place a recommendation's
evidence gets a number from, so every number shown passed the release's disclosure audit."""

from dataclasses import asdict, dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reporting.breakdowns import Figure
from reporting.models import Release
from reporting.releases import SEPARATOR

# What each table of a release counts, by the questionnaire's model and the question.
QUESTIONS = {
    ("consultation", "barriers"): _("Barriers residents face"),
    ("consultation", "changes"): _("Changes residents ask for"),
    ("consultation", "support"): _("Support residents say would help"),
    ("consultation", "themes"): _("What residents raised in their own words"),
    ("survey", "barrier"): _("Barriers employers meet in recruiting locally"),
    ("survey", "change"): _("Changes employers ask for"),
    ("survey", "offer"): _("What employers would offer"),
    ("survey", "skills"): _("Skills employers rank in their top five for an entry-level role"),
}
WHO = {"consultation": _("residents"), "survey": _("employers")}
FINDINGS_URL = {"consultation": "consultation:findings", "survey": "employers:findings"}


@dataclass
class PublishedFigure:
    """A row of a published table as the release published it."""

    release: Release
    table: str
    row_key: str
    question: str
    label: str
    figure: Figure
    who: str
    threshold: int

    @property
    def visible(self) -> bool:
        return not (self.figure.suppressed or self.figure.complementary)

    @property
    def findings_url(self) -> str:
        questionnaire = self.release.questionnaire
        return reverse(
            FINDINGS_URL[self.release.questionnaire_type.model], args=[questionnaire.slug]
        )


def _figure(data: dict) -> Figure:
    return Figure(**data)


def rows_of(release: Release, table: str | None = None):
    """Every row of a release's tables (or of ``table`` only) that a recommendation can rest
    on, as published: each row's total, and for a ranking each skill's count of employers
    ranking it in their top five."""
    model = release.questionnaire_type.model
    tables = release.tables if table is None else {table: release.tables.get(table)}
    for name, data in tables.items():
        if data is None or (model, name.split(SEPARATOR)[0]) not in QUESTIONS:
            continue
        if data.get("kind") == "ranking":
            rows = ((str(i["key"]), i["label"], i["in_top"]) for i in data["items"])
        else:
            rows = ((str(r["key"]), r["label"], r["total"]) for r in data["rows"])
        for key, label, figure in rows:
            yield _published(release, name, key, label, figure)


def _published(release, table, key, label, figure) -> PublishedFigure:
    model = release.questionnaire_type.model
    return PublishedFigure(
        release,
        table,
        key,
        str(QUESTIONS[(model, table.split(SEPARATOR)[0])]),
        label,
        _figure(figure),
        str(WHO[model]),
        release.audit.get("threshold", 0),
    )


def read(release: Release, table: str, row_key: str) -> PublishedFigure | None:
    """The figure at ``table`` and ``row_key`` of ``release``, or None if it has none."""
    return next((f for f in rows_of(release, table) if f.row_key == row_key), None)


def snapshot(figure: PublishedFigure) -> dict:
    """What evidence keeps of its figure: the row as its release published it. A release
    never changes, so this is the release's figure for good, kept so that a page need not
    read the release's whole tables to show one of them."""
    return {
        "question": figure.question,
        "label": figure.label,
        "who": figure.who,
        "threshold": figure.threshold,
        "figure": asdict(figure.figure),
    }


def of_evidence(evidence) -> PublishedFigure:
    """Evidence's figure, from what it kept of its release (``snapshot``)."""
    kept = evidence.figure
    return PublishedFigure(
        evidence.release,
        evidence.table,
        evidence.row_key,
        kept["question"],
        kept["label"],
        _figure(kept["figure"]),
        kept["who"],
        kept["threshold"],
    )


def is_public(release: Release) -> bool:
    """Whether the public may read the release now: not withdrawn, and its questionnaire's
    findings public (reopening a questionnaire takes them down)."""
    questionnaire = release.questionnaire
    return (
        release.withdrawn_at is None
        and questionnaire is not None
        and questionnaire.findings_are_public
    )
