"""Breakdowns as tables a page can hold: a breakdown by many groups (19 ethnic groups, every
ward, ten sectors) is shown as several tables of a few groups each, every one with the
answers and "all respondents", rather than one table far wider than the page."""

from dataclasses import dataclass, replace

from reporting.breakdowns import Breakdown

# What fits beside the answers and "all respondents" in the page's 1140 px
# ($govuk-page-width, tools/govuk-frontend.scss): at 1280 px wide no table scrolls
# sideways, even with the longest group names (measured in Chromium).
GROUPS_PER_TABLE = 5


@dataclass
class TablePart:
    """Table ``number`` of ``count`` showing a breakdown's groups."""

    breakdown: Breakdown
    number: int
    count: int


def in_parts(breakdown: Breakdown, size: int = GROUPS_PER_TABLE) -> list[TablePart]:
    """``breakdown`` as tables of at most ``size`` groups, in the breakdown's order of
    groups and of widths that differ by one at most (21 groups in fives as 5, 4, 4, 4 and
    4, not 5, 5, 5, 5 and 1)."""
    count = max(1, -(-len(breakdown.columns) // size))
    if count == 1:
        return [TablePart(breakdown, 1, 1)]
    per_table, longer = divmod(len(breakdown.columns), count)
    parts, start = [], 0
    for number in range(1, count + 1):
        end = start + per_table + (number <= longer)
        part = replace(
            breakdown,
            columns=breakdown.columns[start:end],
            group_sizes=breakdown.group_sizes[start:end],
            rows=[replace(row, cells=row.cells[start:end]) for row in breakdown.rows],
        )
        parts.append(TablePart(part, number, count))
        start = end
    return parts
