"""Breakdown tables and rankings shared by the consultation and the employer survey.

A breakdown counts, for each answer (a row), how many respondents in each group (a column)
gave it. Every respondent is in exactly one group, so each row's cells add up to the row's
total. What leaves the staff area is suppressed by ``reporting.disclosure`` (all the
tables of a release together): suppressed counts are shown as "fewer than N"; the ones
hidden only to protect them as "hidden", which is true of them (they may be large).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class Figure:
    """A count, its percentage within its group, and whether either is hidden."""

    count: int
    percent: float | None = None
    suppressed: bool = False
    # Hidden not for being small but so that a small one next to it cannot be worked out.
    complementary: bool = False
    percent_hidden: bool = False

    @property
    def shown_percent(self) -> float | None:
        return None if self.suppressed or self.percent_hidden else self.percent


@dataclass
class Row:
    key: object
    label: str
    total: Figure
    cells: list[Figure]


@dataclass
class Breakdown:
    """Rows of answers by columns of groups, with group sizes and the number responding."""

    columns: list[tuple[object, str]]
    group_sizes: list[Figure]
    respondents: Figure
    rows: list[Row] = field(default_factory=list)
    suppressed: bool = False


@dataclass
class RankedItem:
    key: object
    label: str
    points: Figure
    in_top: Figure
    # How many ranked it at each position: never published (the points and the number of
    # top lists it is in are), but kept so that the audit knows what they could give away.
    at_rank: list[Figure]


@dataclass
class Ranking:
    """Items ranked by Borda count: an item ranked first in a top list of ``positions``
    gets ``positions`` points, second one fewer, down to 1 point for last; published in
    order of points (ties by name), with each item's points and how many top lists it is
    in."""

    positions: int
    respondents: Figure
    items: list[RankedItem] = field(default_factory=list)
    suppressed: bool = False

    def weight(self, rank: int) -> int:
        return self.positions + 1 - rank


def build_ranking(
    *,
    items: list[tuple[object, str]],
    counts: dict[tuple[object, int], int],
    respondents: int,
    positions: int,
    least: int = 1,
) -> Ranking:
    """Assemble a ranking from SQL counts keyed by (item key, rank), leaving out items in
    fewer than ``least`` top lists."""
    ranking = Ranking(positions=positions, respondents=Figure(respondents))
    for key, label in items:
        at_rank = [counts.get((key, rank), 0) for rank in range(1, positions + 1)]
        if sum(at_rank) < max(least, 1):
            continue
        points = sum(ranking.weight(rank) * n for rank, n in enumerate(at_rank, start=1))
        ranking.items.append(
            RankedItem(
                key, label, Figure(points), Figure(sum(at_rank)), [Figure(n) for n in at_rank]
            )
        )
    ranking.items.sort(key=lambda item: (-item.points.count, item.label))
    return ranking


def _percent(count: int, of: int) -> float | None:
    return round(100 * count / of, 1) if of else None


def build_breakdown(
    *,
    rows: list[tuple[object, str]],
    columns: list[tuple[object, str]],
    counts: dict[tuple[object, object], int],
    group_sizes: dict[object, int],
) -> Breakdown:
    """Assemble a breakdown from SQL counts keyed by (row key, column key).

    Columns with no respondents at all are left out; every cell's percentage is of its
    group's size, the row total's of everyone responding.
    """
    columns = [(key, label) for key, label in columns if group_sizes.get(key)]
    respondents = sum(group_sizes.values())
    breakdown = Breakdown(
        columns=columns,
        group_sizes=[Figure(group_sizes[key]) for key, _ in columns],
        respondents=Figure(respondents),
    )
    for row_key, row_label in rows:
        cells = [
            Figure(n := counts.get((row_key, col), 0), _percent(n, group_sizes[col]))
            for col, _ in columns
        ]
        total = sum(cell.count for cell in cells)
        breakdown.rows.append(
            Row(row_key, row_label, Figure(total, _percent(total, respondents)), cells)
        )
    return breakdown


def hide_revealing_percentages(breakdown: Breakdown) -> None:
    """A hidden group size must not be recoverable from a percentage of a shown count,
    nor the number responding from a row total's."""
    for index, size in enumerate(breakdown.group_sizes):
        if size.suppressed:
            for row in breakdown.rows:
                row.cells[index].percent_hidden = True
    if breakdown.respondents.suppressed:
        for row in breakdown.rows:
            row.total.percent_hidden = True


def shown_count(figure: Figure, threshold: int):
    """A published count as it is written out: the count, "fewer than N", or "hidden"."""
    if figure.complementary:
        return "hidden"
    return f"fewer than {threshold}" if figure.suppressed else figure.count


def withheld_as(figure: Figure, threshold) -> str | None:
    """How a published figure that is not shown reads: "hidden" for one hidden to protect
    another, "fewer than N" for a small one; None for a figure that is shown."""
    if figure.complementary:
        return _("hidden")
    if figure.suppressed:
        return _("fewer than %(n)s") % {"n": threshold}
    return None


def in_words(figure: Figure, threshold) -> str:
    """A published figure as a reader sees it: "12 (30%)", "12", "fewer than 5", "hidden"."""
    withheld = withheld_as(figure, threshold)
    if withheld is not None:
        return withheld
    percent = figure.shown_percent
    return f"{figure.count} ({percent}%)" if percent is not None else str(figure.count)


def ordered_rows(breakdown: Breakdown, threshold=None) -> list[Row]:
    """The breakdown's answers, most given first. Answers whose total is hidden come last
    in their own order: sorting them by their true counts would tell which is larger."""
    shown = [row for row in breakdown.rows if withheld_as(row.total, threshold) is None]
    hidden = [row for row in breakdown.rows if withheld_as(row.total, threshold) is not None]
    return sorted(shown, key=lambda row: -row.total.count) + hidden
