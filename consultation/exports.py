"""CSV exports, as rows for ``reporting.csvfiles``. Both stream: the first bytes leave at
once and memory stays flat.

The staff export makes a fixed number of queries however many responses there are: the
responses, their ticked answers and their themes are each read once, in response order,
through server-side cursors, and merged as they stream.
"""

from collections.abc import Iterator
from itertools import groupby

from django.utils import timezone

from reporting.breakdowns import Breakdown, shown_count
from reporting.releases import release_tables

from . import analysis
from .models import Consultation, Option, OptionKind, Response, ResponseOption, ResponseTheme

CHUNK = 2000


ANSWER_COLUMNS = [
    "reference",
    "submitted_at",
    "channel",
    "channel_detail",
    "barriers",
    "barriers_other",
    "changes",
    "changes_other",
    "support",
    "support_other",
    "interest",
    "comments",
    "themes",
    "age_band",
    "sex",
    "gender_same_as_birth",
    "ethnic_group",
    "disability",
    "caring",
    "employment",
    "area",
]


def _grouped(pairs: Iterator[tuple[int, object]]):
    """(response id, value) pairs sorted by response id -> iterator of (id, [values])."""
    for response_id, items in groupby(pairs, key=lambda pair: pair[0]):
        yield response_id, [value for _, value in items]


def answers_csv(consultation: Consultation) -> Iterator[list]:
    """Every response with its answers and themes: one row each (5 queries in all)."""
    yield ANSWER_COLUMNS
    options = {o.pk: (o.kind, o.label) for o in Option.objects.filter(consultation=consultation)}
    themes = dict(consultation.themes.values_list("pk", "name"))
    responses = (
        Response.objects.filter(consultation=consultation)
        .order_by("pk")
        .values_list(
            "pk",
            "reference",
            "submitted_at",
            "channel",
            "channel_detail",
            "barriers_other",
            "changes_other",
            "support_other",
            "interest",
            "comments",
            "age_band",
            "sex",
            "gender_same_as_birth",
            "ethnic_group",
            "disability",
            "caring",
            "employment",
            "area",
            "ward__name",
        )
        .iterator(chunk_size=CHUNK)
    )
    ticked = _grouped(
        ResponseOption.objects.filter(response__consultation=consultation)
        .order_by("response_id", "option__kind", "option__position", "option_id")
        .values_list("response_id", "option_id")
        .iterator(chunk_size=CHUNK)
    )
    coded = _grouped(
        ResponseTheme.objects.filter(response__consultation=consultation)
        .order_by("response_id", "theme__name")
        .values_list("response_id", "theme_id")
        .iterator(chunk_size=CHUNK)
    )
    next_ticked, next_coded = next(ticked, None), next(coded, None)
    kinds = OptionKind.values
    london = timezone.get_current_timezone()
    for row in responses:
        (
            pk,
            reference,
            submitted_at,
            channel,
            channel_detail,
            barriers_other,
            changes_other,
            support_other,
            interest,
            comments,
            age_band,
            sex,
            gender,
            ethnic_group,
            disability,
            caring,
            employment,
            area,
            ward,
        ) = row
        labels = {kind: [] for kind in kinds}
        if next_ticked and next_ticked[0] == pk:
            for option_id in next_ticked[1]:
                kind, label = options[option_id]
                labels[kind].append(label)
            next_ticked = next(ticked, None)
        theme_names = []
        if next_coded and next_coded[0] == pk:
            theme_names = [themes[t] for t in next_coded[1]]
            next_coded = next(coded, None)
        yield [
            reference,
            submitted_at.astimezone(london).isoformat(timespec="minutes"),
            channel,
            channel_detail,
            "; ".join(labels[OptionKind.BARRIER]),
            barriers_other,
            "; ".join(labels[OptionKind.CHANGE]),
            changes_other,
            "; ".join(labels[OptionKind.SUPPORT]),
            support_other,
            interest,
            comments,
            "; ".join(theme_names),
            age_band,
            sex,
            gender,
            ethnic_group,
            disability,
            caring,
            employment,
            ward or area,
        ]


def _breakdown_rows(question: str, dimension_label: str, breakdown: Breakdown, threshold: int):
    def shown(figure):
        return shown_count(figure, threshold)

    def percent(figure):
        value = figure.shown_percent
        return "" if value is None else value

    for row in breakdown.rows:
        yield [question, row.label, "All respondents", "", shown(row.total), percent(row.total)]
        for (_, group_label), cell in zip(breakdown.columns, row.cells, strict=True):
            yield [question, row.label, dimension_label, group_label, shown(cell), percent(cell)]


def aggregate_csv(release, dimension) -> Iterator[list]:
    """A release's published figures by one dimension: counts and percentages by group,
    suppressed as the release was."""
    threshold = release.audit["threshold"]
    figures = analysis.published(release_tables(release), dimension)
    yield ["question", "answer", "grouped by", "group", "count", "percent of group"]
    for question, breakdown in (
        ("Barriers", figures.barriers),
        ("Changes asked for", figures.changes),
        ("Support that would help", figures.support),
        ("Themes in free text", figures.themes),
    ):
        yield from _breakdown_rows(question, str(dimension.label), breakdown, threshold)
    sizes = figures.barriers
    yield [
        "Respondents",
        "",
        "All respondents",
        "",
        shown_count(sizes.respondents, threshold),
        "",
    ]
    for (_, label), size in zip(sizes.columns, sizes.group_sizes, strict=True):
        yield [
            "Respondents",
            "",
            str(dimension.label),
            label,
            shown_count(size, threshold),
            "",
        ]
