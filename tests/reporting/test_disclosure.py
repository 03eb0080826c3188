"""The disclosure auditor finds what an attacker with a linear-programming solver finds, and
secondary suppression leaves nothing for one to find: in one table, across breakdowns that
share their totals, and between a release and an earlier one."""

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from reporting.breakdowns import Ranking, build_breakdown, build_ranking, shown_count
from reporting.disclosure import build_problem, exposures, intervals, protect_tables

T = 5  # the threshold
PROTECTION = T - 1  # all of 0 to 4 for a "fewer than 5"


def table(rows: dict[str, list[int]], sizes: list[int], prefix="g"):
    """A breakdown of answers (rows) by groups with the given sizes."""
    columns = [(f"{prefix}{n}", f"Group {prefix}{n}") for n in range(len(sizes))]
    return build_breakdown(
        rows=[(name, name) for name in rows],
        columns=columns,
        counts={
            (name, f"{prefix}{n}"): count
            for name, counts in rows.items()
            for n, count in enumerate(counts)
        },
        group_sizes={f"{prefix}{n}": size for n, size in enumerate(sizes)},
    )


def attack(breakdowns) -> list[tuple[str, float, float]]:
    """An attacker written apart from the auditor: from what a visitor reads (shown counts,
    "fewer than 5", "hidden"), one LP each way per "fewer than 5", with the row totals,
    group sizes and caps as published, over every table at once; and for a ranking, one
    each way per small number of people who ranked an item at one position, from its
    points, top lists and order. Returns (cell, low, high)."""
    names, bounds, eq_rows, eq_rhs, caps = [], [], [], [], []
    position = {}
    targets = []  # never published, but small: (variable, true count)

    def variable(name, text):
        if name in position:
            return position[name], None
        position[name] = len(names)
        names.append(name)
        if text is None:  # not published at all
            bounds.append((0, None))
        elif text == f"fewer than {T}":
            bounds.append((0, T - 1))
        elif text == "hidden":
            bounds.append((T, None))
        else:
            bounds.append((int(text), int(text)))
        return position[name], text

    for (question, dimension), breakdown in breakdowns.items():
        if isinstance(breakdown, Ranking):
            everyone = variable(("everyone",), str(shown_count(breakdown.respondents, T)))[0]
            k = breakdown.positions
            rest = [variable(("rest", question, r), None)[0] for r in range(k)]
            taken = [[] for _ in range(k)]
            above = None
            for item in breakdown.items:
                points = variable(("points", item.key), str(shown_count(item.points, T)))[0]
                top = variable(("top", item.key), str(shown_count(item.in_top, T)))[0]
                at = [variable(("at", item.key, r), None)[0] for r in range(k)]
                targets += [(a, n.count) for a, n in zip(at, item.at_rank, strict=True)]
                eq_rows.append({top: 1, **{a: -1 for a in at}})
                eq_rows.append({points: 1, **{a: -(k - r) for r, a in enumerate(at)}})
                eq_rhs += [0, 0]
                for r, a in enumerate(at):
                    taken[r].append(a)
                caps.append((top, everyone))
                if above is not None:
                    caps.append((points, above))
                above = points
            for r in range(k):
                eq_rows.append({everyone: 1, **{a: -1 for a in taken[r]}, rest[r]: -1})
                eq_rhs.append(0)
            continue
        sizes = [
            variable(("size", dimension, key), str(shown_count(f, T)))[0]
            for (key, _), f in zip(breakdown.columns, breakdown.group_sizes, strict=True)
        ]
        everyone = variable(("everyone",), str(shown_count(breakdown.respondents, T)))[0]
        eq_rows.append({everyone: 1, **{s: -1 for s in sizes}})
        eq_rhs.append(0)
        for row in breakdown.rows:
            total = variable(("total", question, row.key), str(shown_count(row.total, T)))[0]
            cells = [
                variable(("cell", question, row.key, dimension, key), str(shown_count(c, T)))[0]
                for (key, _), c in zip(breakdown.columns, row.cells, strict=True)
            ]
            eq_rows.append({total: 1, **{c: -1 for c in cells}})
            eq_rhs.append(0)
            # Nobody ticks an answer twice: a cell is at most its group, a total everyone.
            caps += [(cell, size) for cell, size in zip(cells, sizes, strict=True)]
            caps.append((total, everyone))
    a_eq = np.zeros((len(eq_rows), len(names)))
    for r, coefficients in enumerate(eq_rows):
        for i, c in coefficients.items():
            a_eq[r, i] = c
    a_ub = np.zeros((len(caps), len(names)))
    for r, (part, whole) in enumerate(caps):
        a_ub[r, part], a_ub[r, whole] = 1, -1
    small_unpublished = {a for a, count in targets if 0 < count < T}
    found = []
    for i, name in enumerate(names):
        if bounds[i] != (0, T - 1) and i not in small_unpublished:
            continue
        ends = []
        for sign in (1, -1):
            objective = np.zeros(len(names))
            objective[i] = sign
            result = linprog(
                objective,
                A_ub=a_ub,
                b_ub=np.zeros(len(caps)),
                A_eq=a_eq,
                b_eq=eq_rhs,
                bounds=bounds,
                method="highs",
            )
            ends.append(float("inf") if result.status == 3 else sign * result.fun)
        found.append((name, ends[0], ends[1]))
    return found


def published_by_the_old_rule(breakdown, *, hidden):
    """As the portal's rule before the auditor published a breakdown: counts below T as
    "fewer than 5", and the cells at ``hidden`` to protect a lone small one."""
    breakdown.suppressed = True
    for row in breakdown.rows:
        for n, cell in enumerate(row.cells):
            cell.suppressed = cell.count < T or n in hidden
            cell.complementary = n in hidden


def narrowed(breakdowns):
    return [(n, lo, hi) for n, lo, hi in attack(breakdowns) if hi - lo < PROTECTION - 1e-6]


def test_the_auditor_pins_five_small_cells_that_add_up_to_what_is_left_of_a_row():
    # Issue 13's first attack: 42 = 8 + 8 + 6 + five "fewer than 5", which must all be 4.
    by_age = table({"Lack of confidence": [8, 8, 6, 4, 4, 4, 4, 4]}, [50] * 8)
    published_by_the_old_rule(by_age, hidden=[])  # more than one small: nothing more hidden
    problem = build_problem({("barriers", "age"): by_age}, threshold=T)  # as published
    found = {e.quantity.label: (e.low, e.high) for e in exposures(problem, PROTECTION)}
    assert len(found) == 5
    assert set(found.values()) == {(4.0, 4.0)}
    assert len(narrowed({("barriers", "age"): by_age})) == 5  # the independent attack agrees


def test_the_auditor_pins_a_hidden_cell_and_the_small_one_it_was_meant_to_protect():
    # The second attack: 35 = 10 + 7 + hidden + 7 + "fewer than 5" + 6: hidden is 5, small 0.
    by_disability = table({"Mentoring": [10, 7, 5, 7, 0, 6]}, [60] * 6)
    published_by_the_old_rule(by_disability, hidden=[2])  # one small: the next smallest
    assert [shown_count(c, T) for c in by_disability.rows[0].cells] == [
        10, 7, "hidden", 7, "fewer than 5", 6
    ]  # fmt: skip
    problem = build_problem({("support", "disability"): by_disability}, threshold=T)
    spans = sorted(intervals(problem).values())
    assert spans == [(0.0, 0.0), (5.0, 5.0)]


def test_protected_tables_leave_no_cell_narrower_than_the_protection_range():
    tables = {
        ("barriers", "age"): table({"Lack of confidence": [8, 8, 6, 4, 4, 4, 4, 4]}, [50] * 8),
        ("support", "disability"): table(
            {"Mentoring": [10, 7, 5, 7, 0, 6]}, [80, 80, 60, 60, 60, 60], "d"
        ),
    }
    assert protect_tables(tables, threshold=T, protection=PROTECTION) == []
    assert narrowed(tables) == []
    cells = [shown_count(c, T) for c in tables[("barriers", "age")].rows[0].cells]
    assert cells.count("hidden") >= 1  # one of the shown counts went to protect the five


def test_breakdowns_that_share_totals_are_protected_together():
    # The same answer by sex and by area: its total is one figure in both. Each table alone
    # is safe as the old rule left it, but a small cell can be pinned through the other.
    tables = {
        ("barriers", "sex"): table({"Cost": [3, 40], "Time": [20, 20]}, [45, 60], "s"),
        ("barriers", "area"): table({"Cost": [1, 42], "Time": [30, 10]}, [50, 55], "a"),
    }
    assert protect_tables(tables, threshold=T, protection=PROTECTION) == []
    assert narrowed(tables) == []


def test_an_audit_that_stops_once_an_interval_is_wide_enough_never_misses_a_narrow_one():
    # Breakdowns sharing totals need linear programmes; the shortcut skips the programmes
    # of a quantity already seen to take values far enough apart in earlier solutions.
    tables = {
        ("barriers", "sex"): table({"Cost": [3, 40, 2], "Time": [20, 20, 9]}, [45, 60, 30], "s"),
        ("barriers", "area"): table({"Cost": [1, 42, 2], "Time": [30, 10, 9]}, [50, 55, 30], "a"),
    }
    problem = build_problem(tables, threshold=T)
    for key in [("cell", "barriers", "Cost", "sex", "s1"), ("total", "barriers", "Cost")]:
        problem.quantities[problem.index[key]].shown = "hidden"  # ties the two tables
    exact = intervals(problem)
    enough = PROTECTION + 1  # so that the small cells' 0 to 4 is not enough
    quick = intervals(problem, enough=enough)
    assert exact.keys() == quick.keys()
    wide = [i for i, (low, high) in exact.items() if high - low >= enough]
    assert wide
    assert len(wide) < len(exact)
    for i, (low, high) in exact.items():
        if i in wide:  # given from inside its ends, and still wide enough
            assert low <= quick[i][0]
            assert quick[i][1] <= high
            assert quick[i][1] - quick[i][0] >= enough
        else:
            assert quick[i] == (low, high)


def test_a_late_response_changes_nothing_a_reader_can_attribute_to_one_person():
    # Published: 240 responding. One paper response later: 241, and +1 on exactly the rows
    # that person ticked. Republished against the first release, the change is protected.
    first = {("barriers", "sex"): table({"Cost": [30, 26], "Time": [40, 44]}, [120, 120], "s")}
    assert protect_tables(first, threshold=T, protection=PROTECTION) == []
    second = {("barriers", "sex"): table({"Cost": [31, 26], "Time": [40, 44]}, [121, 120], "s")}
    naive = copy.deepcopy(second)
    problem = build_problem(naive, threshold=T, earlier=[first])
    assert {e.quantity.label for e in exposures(problem, PROTECTION)} >= {
        "Change since an earlier release: Number responding"
    }
    assert protect_tables(second, threshold=T, protection=PROTECTION, earlier=[first]) == []
    audit = build_problem(second, threshold=T, earlier=[first])
    assert exposures(audit, PROTECTION) == []


def ranking(at_rank: dict[str, list[int]], respondents: int):
    """A top-five ranking of items ranked at each position by so many people."""
    return build_ranking(
        items=[(name, name) for name in at_rank],
        counts={(name, r + 1): n for name, ns in at_rank.items() for r, n in enumerate(ns)},
        respondents=respondents,
        positions=5,
    )


def test_the_auditor_pins_how_many_ranked_a_skill_second_from_its_points_alone():
    # Five top fives and 24 of a possible 25 points: four ranked it first, one second
    # (in whole numbers; the linear relaxation leaves a sliver more).
    tables = {("skills", "ranking"): ranking({"Coding": [4, 1, 0, 0, 0]}, respondents=5)}
    pinned = {
        e.quantity.label: (e.low, e.high)
        for e in exposures(build_problem(tables, threshold=T), PROTECTION)
    }
    assert pinned == {"skills: Coding: ranked 1": (4, 4.75), "skills: Coding: ranked 2": (0, 1)}
    published = copy.deepcopy(tables)
    published[("skills", "ranking")].suppressed = True  # as the portal published it before
    assert {name for name, _lo, _hi in narrowed(published)} == {
        ("at", "Coding", 0),
        ("at", "Coding", 1),
    }


def test_a_protected_ranking_leaves_no_small_number_at_any_position_narrower_than_the_range():
    tables = {
        ("skills", "ranking"): ranking(
            {"Coding": [4, 1, 0, 0, 0], "Teamwork": [1, 3, 2, 0, 0], "Data": [2, 2, 3, 0, 1]},
            respondents=20,
        ),
        ("barriers", "sex"): table({"Cost": [3, 6]}, sizes=[10, 10]),
    }
    assert protect_tables(tables, threshold=T, protection=PROTECTION) == []
    assert narrowed(tables) == []
    shown = [
        (item.label, shown_count(item.points, T), shown_count(item.in_top, T))
        for item in tables[("skills", "ranking")].items
    ]
    assert ("Coding", 24, 5) not in shown  # what gave the positions away is hidden
    assert [label for label, _p, _t in shown] == ["Data", "Coding", "Teamwork"]  # by points


@pytest.mark.parametrize("threshold", [3, 5, 10])
def test_counts_at_or_above_the_threshold_alone_need_no_suppression(threshold):
    tables = {("barriers", "sex"): table({"Cost": [30, 26], "Time": [40, 44]}, [120, 120])}
    assert protect_tables(tables, threshold=threshold, protection=threshold - 1) == []
    assert not any(c.suppressed for row in tables[("barriers", "sex")].rows for c in row.cells)


def test_the_quick_path_for_one_sum_agrees_with_the_linear_programmes():
    from reporting import disclosure

    tables = {("barriers", "age"): table({"Cost": [8, 3, 6, 0, 12, 2, 9]}, [40] * 7)}
    problem = build_problem(tables, threshold=T)
    problem.quantities[problem.index[("cell", "barriers", "Cost", "age", "g2")]].shown = "hidden"
    for members, sums, caps in disclosure._components(problem):
        bounds, left = disclosure._bounds(problem, members, caps)
        assert len(sums) == 1
        assert not left
        assert disclosure._one_sum(problem, bounds, sums[0]) == (
            disclosure._linear_programmes(problem, members, bounds, sums, left, set(members))
        )


# A respondent: their group in each of two breakdowns, which of four answers they ticked,
# and their top three of four skills (fewer if they like).
respondents = st.lists(
    st.tuples(
        st.integers(0, 3),
        st.integers(0, 2),
        st.lists(st.booleans(), min_size=4, max_size=4),
        st.lists(st.integers(0, 3), unique=True, max_size=3),
    ),
    min_size=1,
    max_size=30,
)


def publish(people) -> dict:
    """The tables a release of these answers publishes, built by the portal's own code."""
    tables = {}
    for dimension, groups in (("age", 4), ("sex", 3)):
        place = 0 if dimension == "age" else 1
        sizes = {f"{dimension}{g}": 0 for g in range(groups)}
        counts = {}
        for person in people:
            group = f"{dimension}{person[place]}"
            sizes[group] += 1
            for answer, ticked in enumerate(person[2]):
                if ticked:
                    counts[(f"a{answer}", group)] = counts.get((f"a{answer}", group), 0) + 1
        tables[("barriers", dimension)] = build_breakdown(
            rows=[(f"a{n}", f"Answer {n}") for n in range(4)],
            columns=[(key, key) for key in sizes],
            counts=counts,
            group_sizes=sizes,
        )
    at_rank = {}
    for person in people:
        for rank, skill in enumerate(person[3], start=1):
            at_rank[(f"s{skill}", rank)] = at_rank.get((f"s{skill}", rank), 0) + 1
    tables[("skills", "ranking")] = build_ranking(
        items=[(f"s{n}", f"Skill {n}") for n in range(4)],
        counts=at_rank,
        respondents=len(people),
        positions=3,
        least=T,
    )
    return tables


@settings(max_examples=12, deadline=None, derandomize=True)
@given(people=respondents, late=st.integers(1, 6))
def test_no_release_of_random_answers_can_be_narrowed_by_an_independent_attack(people, late):
    first = publish(people)
    if protect_tables(first, threshold=T, protection=PROTECTION):
        return  # refused (too few people to publish anything): it does not go out
    assert narrowed(first) == []
    # Later answers, republished against the first release: each of this release's
    # tables holds up, and nothing about the people who answered in between is exact.
    more = people + people[:late]  # late answers like some already given
    second = publish(more)
    if protect_tables(second, threshold=T, protection=PROTECTION, earlier=[first]):
        return  # refused: it does not go out
    assert narrowed(second) == []
    assert exposures(build_problem(second, threshold=T, earlier=[first]), PROTECTION) == []
