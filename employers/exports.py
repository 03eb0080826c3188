"""CSV exports of the employer survey, streamed."""

from collections.abc import Iterator

from django.db.models import Prefetch

from reporting.breakdowns import shown_count
from reporting.releases import release_tables

from . import selectors
from .models import EmployerResponse, OptionKind, ResponseStatus, SkillRank, Survey


def responses_csv(survey: Survey) -> Iterator[list]:
    """Every submitted response with its organisation, answers and ranked skills
    (3 queries, in chunks)."""
    yield [
        "organisation", "sector", "size", "in_borough", "submitted_at", "barriers",
        "barriers_other", "changes", "changes_other", "skill_1", "skill_2", "skill_3",
        "skill_4", "skill_5", "entry_level_roles", "apprenticeships", "offers",
        "offers_other", "contact_name",
    ]  # fmt: skip
    responses = (
        EmployerResponse.objects.filter(survey=survey, status=ResponseStatus.SUBMITTED)
        .select_related("employer")
        .prefetch_related(
            "options", Prefetch("ranks", queryset=SkillRank.objects.select_related("skill"))
        )
        .order_by("employer__name")
    )
    for response in responses.iterator(chunk_size=500):
        chosen = {kind: [] for kind in OptionKind.values}
        for option in response.options.all():
            chosen[option.kind].append(option.label)
        skills = {
            rank.rank: rank.skill.name if rank.skill else rank.other
            for rank in response.ranks.all()
        }
        yield [
            response.employer.name,
            response.employer.get_sector_display(),
            response.employer.get_size_band_display(),
            "yes" if response.employer.in_borough else "no",
            response.submitted_at.isoformat(timespec="minutes"),
            "; ".join(chosen[OptionKind.BARRIER]),
            response.barriers_other,
            "; ".join(chosen[OptionKind.CHANGE]),
            response.changes_other,
            *(skills.get(rank, "") for rank in range(1, 6)),
            response.entry_level_roles,
            response.get_apprenticeships_display(),
            "; ".join(chosen[OptionKind.OFFER]),
            response.offers_other,
            response.contact_name,
        ]


def findings_csv(release, by: str) -> Iterator[list]:
    """A release's published figures, in two sections with a header each, separated by an
    empty line: answers by sector or size band, then the skills ranking as published (no
    rows when too few employers answered)."""
    threshold = release.audit["threshold"]
    yield ["question", "answer", "group", "count", "percent of group"]
    questions = dict(OptionKind.choices)
    tables = release_tables(release)
    for (kind, dimension), table in tables.items():
        if dimension != by:
            continue
        for row in table.rows:
            yield [
                questions[kind],
                row.label,
                "All",
                shown_count(row.total, threshold),
                row.total.shown_percent or "",
            ]
            for (_, group), cell in zip(table.columns, row.cells, strict=True):
                yield [
                    questions[kind],
                    row.label,
                    group,
                    shown_count(cell, threshold),
                    "" if cell.shown_percent is None else cell.shown_percent,
                ]
    yield []
    yield ["skill", "rank", "Borda points", "in a top five"]
    ranking = tables.get(selectors.RANKING)
    for position, item in enumerate(ranking.items if ranking else [], start=1):
        yield [
            item.label,
            position,
            shown_count(item.points, threshold),
            shown_count(item.in_top, threshold),
        ]
