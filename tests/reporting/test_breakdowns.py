"""Small-number suppression, worked by hand."""

from reporting.breakdowns import build_breakdown
from reporting.disclosure import protect_tables


def suppress(breakdown, threshold):
    """Protect one breakdown on its own, as a release of just it would be."""
    assert (
        protect_tables({("q", "d"): breakdown}, threshold=threshold, protection=threshold - 1) == []
    )


def _breakdown(counts, sizes, rows=("a", "b")):
    return build_breakdown(
        rows=[(r, r.upper()) for r in rows],
        columns=[(c, c.upper()) for c in sizes],
        counts=counts,
        group_sizes=sizes,
    )


def _shown(figures):
    return [None if f.suppressed else f.count for f in figures]


def test_counts_below_the_threshold_are_hidden():
    breakdown = _breakdown(
        {
            ("a", "x"): 12,
            ("a", "y"): 3,
            ("a", "z"): 9,
            ("b", "x"): 20,
            ("b", "y"): 8,
            ("b", "z"): 6,
        },
        {"x": 40, "y": 20, "z": 30},
    )
    suppress(breakdown, 5)

    row_a = breakdown.rows[0]
    assert row_a.total.count == 24
    assert not row_a.total.suppressed
    # 3 is hidden; alone it could be worked out as 24 - 12 - 9, so 9 goes too.
    assert _shown(row_a.cells) == [12, None, None]
    assert not row_a.cells[1].complementary  # hidden for being small: "fewer than 5"
    assert row_a.cells[2].complementary  # hidden to protect it: "hidden", not "fewer than 5"
    assert _shown(breakdown.rows[1].cells) == [20, 8, 6]


def test_no_hidden_count_can_be_recovered_by_subtraction():
    breakdown = _breakdown(
        {("a", "x"): 30, ("a", "y"): 2, ("a", "z"): 40, ("a", "w"): 7},
        {"x": 50, "y": 10, "z": 60, "w": 12},
        rows=("a",),
    )
    suppress(breakdown, 5)

    row = breakdown.rows[0]
    hidden = [f for f in row.cells if f.suppressed]
    assert len(hidden) >= 2 or row.total.suppressed
    assert _shown(row.cells) == [30, None, 40, None]


def test_a_small_group_hides_its_size_and_percentages():
    breakdown = _breakdown(
        {("a", "x"): 30, ("a", "y"): 3},
        {"x": 60, "y": 4, "z": 20},
        rows=("a",),
    )
    suppress(breakdown, 5)

    assert _shown(breakdown.group_sizes) == [60, None, None]  # 4 hidden, and 20 to protect it
    row = breakdown.rows[0]
    assert row.cells[2].count == 0
    assert row.cells[2].suppressed
    # 33 = 30 + 3 + 0 would leave the 3 between 0 and 3, not all of 0 to 4: 30 goes too.
    assert row.cells[0].complementary
    assert row.cells[0].shown_percent is None


def test_percentages_of_a_hidden_group_size_are_hidden():
    breakdown = _breakdown(
        {("a", "x"): 30, ("a", "y"): 2, ("a", "z"): 7},
        {"x": 60, "y": 4, "z": 20},
        rows=("a",),
    )
    suppress(breakdown, 5)
    z = breakdown.rows[0].cells[2]
    assert z.count == 7
    assert breakdown.group_sizes[2].suppressed
    assert z.shown_percent is None  # 7 at 35% would give the group size away


def test_a_small_total_hides_everything_under_it():
    breakdown = _breakdown({("a", "x"): 2, ("a", "y"): 1}, {"x": 30, "y": 30}, rows=("a",))
    suppress(breakdown, 5)
    row = breakdown.rows[0]
    assert row.total.suppressed
    assert _shown(row.cells) == [None, None]


def test_nothing_is_hidden_when_every_count_is_large():
    breakdown = _breakdown(
        {("a", "x"): 10, ("a", "y"): 12, ("b", "x"): 5, ("b", "y"): 30}, {"x": 20, "y": 40}
    )
    suppress(breakdown, 5)
    assert all(not f.suppressed for row in breakdown.rows for f in (row.total, *row.cells))
    assert breakdown.rows[0].total.shown_percent == round(100 * 22 / 60, 1)
