"""Disclosure control for everything published about one questionnaire at once, and the
auditor that proves it.

The method is cell suppression as statistical offices do it for frequency tables (the
approach of tau-ARGUS and sdcTable):

- **primary suppression**: every count below the threshold is published as "fewer than
  T" only;
- **secondary suppression**: further counts are published as "hidden", chosen until no
  suppressed count can be narrowed by anyone who combines every published figure.

What a reader can combine is written down as a linear system: each published quantity is
one variable (the same answer total in every breakdown, the same group size under every
question, the same number responding), tied by the sums that hold between them (a row's
cells add up to its total, the group sizes to the number responding) and by caps (no count
in a group exceeds the group's size). A reader knows each shown count exactly, each
"fewer than T" to lie in 0 to T-1, and each "hidden" to be at least T (only counts that
would otherwise be shown are hidden to protect others). The auditor solves two linear
programmes per suppressed count, the least and the greatest value it can take (SciPy's
HiGHS), over the whole release and every earlier one; the interval between them is what an
attacker can learn. A small count is protected when that interval is at least the protection
range wide: with the usual range of T-1, all of 0 to T-1, so a reader learns nothing beyond
the label "fewer than T". So is the change in any count between two releases that
involves fewer than T people (one late paper response must not show on the rows its
author ticked). A release with anything left exposed once nothing more can be hidden is
refused.

The trade-off: secondary suppression hides some counts that are not small, so tables show
less than they could; in exchange every figure that is shown is exact and the tables add
up. The linear relaxation is the attacker's standard model; an attacker who also used
that counts are whole numbers could, in rare tables, narrow an interval slightly further.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_array

from .breakdowns import Breakdown, Figure, Ranking, hide_revealing_percentages


class Shown(StrEnum):
    """How a quantity is published."""

    COUNT = "count"  # exactly
    SMALL = "small"  # "fewer than T" (primary suppression)
    HIDDEN = "hidden"  # "hidden", to protect a small count (secondary suppression)
    # Not published, but tied to what is: the change in a count between two releases,
    # which tells of the people who answered in between.
    DERIVED = "derived"
    # Not published, but tied to what is: how many ranked an item at one position (its
    # points and the number of top lists it is in are published).
    UNPUBLISHED = "unpublished"


@dataclass
class Quantity:
    key: tuple
    value: int
    shown: Shown
    label: str
    # Of an earlier release: published as it was then, and it cannot change now.
    earlier: bool = False
    # A number of people (not points, nor the rest of a total no one is named in).
    people: bool = True

    @property
    def unknown(self) -> bool:
        """Not known exactly to a reader from its label."""
        return self.shown != Shown.COUNT

    def sensitive(self, threshold: int) -> bool:
        """A small count, or a change between releases of fewer than ``threshold`` people.
        A count hidden only to protect another is not itself small: narrowing it matters
        only as far as it narrows a small one, which is audited for itself. So is a
        small count that is never published but tied to what is."""
        if not self.people:
            return False
        if self.shown == Shown.DERIVED:
            return 0 < abs(self.value) < threshold
        if self.shown == Shown.UNPUBLISHED:
            return 0 < self.value < threshold
        return self.shown == Shown.SMALL


@dataclass
class Exposure:
    """A suppressed quantity a reader can narrow below the protection range."""

    quantity: Quantity
    low: float
    high: float

    def __str__(self):
        # (+ 0 turns a solver's -0 into 0.)
        return (
            f"{self.quantity.label}: can be worked out to lie between {self.low + 0:g} and "
            f"{self.high + 0:g}"
        )


@dataclass
class Problem:
    """The published quantities of a release (and of earlier ones) and what ties them."""

    threshold: int
    quantities: list[Quantity] = field(default_factory=list)
    index: dict[tuple, int] = field(default_factory=dict)
    # Each: (total, parts, weights) — the parts, each times its weight, add up to the total.
    sums: list[tuple[int, list[int], list[int]]] = field(default_factory=list)
    # Each: (part, whole) — the part is at most the whole.
    caps: list[tuple[int, int]] = field(default_factory=list)

    def quantity(
        self,
        key: tuple,
        value: int,
        label: str,
        *,
        shown: Shown | None = None,
        earlier=False,
        people=True,
    ) -> int:
        """The variable for ``key``, made on first use; how it is shown follows from the
        threshold unless given (an earlier release's, as it was published). The same key
        twice must be the same count: it is one published figure."""
        if key in self.index:
            found = self.quantities[self.index[key]]
            if found.value != value:
                raise ValueError(f"{label}: {value} here but {found.value} elsewhere")
            return self.index[key]
        if shown is None:
            shown = Shown.SMALL if value < self.threshold else Shown.COUNT
        self.index[key] = len(self.quantities)
        self.quantities.append(Quantity(key, value, shown, label, earlier=earlier, people=people))
        return self.index[key]

    def add_sum(self, total: int, parts: list[int], weights: list[int] | None = None) -> None:
        self.sums.append((total, list(parts), list(weights or [1] * len(parts))))

    def add_cap(self, part: int, whole: int) -> None:
        self.caps.append((part, whole))

    def bounds(self, i: int) -> tuple[float, float | None]:
        """What a reader knows of quantity ``i`` from its label alone."""
        q = self.quantities[i]
        if q.shown == Shown.SMALL:
            return (0, self.threshold - 1)
        if q.shown == Shown.HIDDEN:
            return (self.threshold, None)
        if q.shown == Shown.UNPUBLISHED:
            return (0, None)
        if q.shown == Shown.DERIVED:
            # Answers are added after publishing, not taken away, as far as a reader
            # can tell; one taken away leaves the change unbounded below.
            return (0, None) if q.value >= 0 else (None, None)
        return (q.value, q.value)


def _components(problem: Problem) -> list[tuple[list[int], list, list]]:
    """Split the system where nothing unknown links two parts: the suppressed quantities
    of one component, and the sums and caps that touch them. Solving each on its own is
    the same answer, far faster."""
    unknown = {i for i, q in enumerate(problem.quantities) if q.unknown}
    parent = {i: i for i in unknown}

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    constraints = [("sum", t, p) for t, p, _w in problem.sums] + [
        ("cap", part, [whole]) for part, whole in problem.caps
    ]
    for _kind, first, rest in constraints:
        members = [i for i in (first, *rest) if i in unknown]
        for other in members[1:]:
            parent[root(other)] = root(members[0])
    groups: dict[int, list[int]] = defaultdict(list)
    for i in unknown:
        groups[root(i)].append(i)
    touching: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    for total, parts, weights in problem.sums:
        members = [i for i in (total, *parts) if i in unknown]
        if members:
            touching[root(members[0])][0].append((total, parts, weights))
    for part, whole in problem.caps:
        members = [i for i in (part, whole) if i in unknown]
        if members:
            touching[root(members[0])][1].append((part, whole))
    return [(sorted(groups[r]), *touching[r]) for r in groups]


def intervals(
    problem: Problem, wanted: set[int] | None = None, *, enough: float | None = None
) -> dict[int, tuple[float, float]]:
    """For each quantity not shown exactly (or each one ``wanted``), the least and
    greatest value a reader can derive from everything published, component by
    component.
    With ``enough``, an interval found to be at least that wide is not narrowed down
    to its ends: what is given for it then lies within them (an auditor needs to know
    only that it is wide enough, and finding the ends is most of the cost)."""
    found = {}
    for members, sums, caps in _components(problem):
        asked = set(members) if wanted is None else wanted.intersection(members)
        if asked:
            found.update(_solve(problem, members, sums, caps, asked, enough))
    return found


def _bounds(problem: Problem, members, caps):
    """Each member's bounds from its label, narrowed by every cap whose other side is
    shown; the caps left (both sides unknown) stay constraints."""
    bounds = {i: list(problem.bounds(i)) for i in members}
    left = []
    for part, whole in caps:
        if part in bounds and whole in bounds:
            left.append((part, whole))
        elif part in bounds:
            high = bounds[part][1]
            value = problem.quantities[whole].value
            bounds[part][1] = value if high is None else min(high, value)
        else:
            bounds[whole][0] = max(bounds[whole][0] or 0, problem.quantities[part].value)
    return bounds, left


def _solve(problem: Problem, members, sums, caps, wanted, enough) -> dict[int, tuple[float, float]]:
    bounds, caps = _bounds(problem, members, caps)
    if len(sums) == 1 and not caps:
        return {i: span for i, span in _one_sum(problem, bounds, sums[0]).items() if i in wanted}
    return _linear_programmes(problem, members, bounds, sums, caps, wanted, enough)


def _one_sum(problem: Problem, bounds, constraint) -> dict[int, tuple[float, float]]:
    """One sum with every term boxed: each unknown term lies between what is left when
    the others are as large, and as small, as they can be. The same answer as the linear
    programmes, without them (the usual case: a row whose total is shown)."""
    total, parts, weights = constraint
    inf = float("inf")
    # Written as: the weighted terms add up to nothing (total - parts == 0).
    terms = [(total, 1)] + [(part, -weight) for part, weight in zip(parts, weights, strict=True)]
    constant = sum(sign * problem.quantities[i].value for i, sign in terms if i not in bounds)
    spans = {}  # each unknown term's weighted contribution: (least, greatest)
    for i, sign in terms:
        if i in bounds:
            low = -inf if bounds[i][0] is None else bounds[i][0]
            high = inf if bounds[i][1] is None else bounds[i][1]
            spans[i] = (sign * low, sign * high) if sign > 0 else (sign * high, sign * low)
    found = {}
    for i, sign in terms:
        if i not in spans:
            continue
        own_low, own_high = spans[i]
        # This term makes up whatever the constant and the others leave (summed apart:
        # an unbounded term makes the sums infinite, and infinity less itself is no number).
        others_low = sum(low for j, (low, _) in spans.items() if j != i)
        others_high = sum(high for j, (_, high) in spans.items() if j != i)
        low = max(own_low, -(constant + others_high))
        high = min(own_high, -(constant + others_low))
        if low > high + 1e-9:
            raise ValueError("The published figures are inconsistent")
        value_low, value_high = (low / sign, high / sign) if sign > 0 else (high / sign, low / sign)
        found[i] = (round(value_low, 6), round(value_high, 6))
    return found


def _linear_programmes(
    problem, members, bounds, sums, caps, wanted, enough=None
) -> dict[int, tuple[float, float]]:
    """Two linear programmes per member wanted: its least and its greatest value.
    Every solution is a set of values a reader cannot rule out, so the values each
    member has taken in the solutions so far already bound its interval from inside:
    with ``enough``, a member whose values span that much needs no programme of its own
    (the shortcut sdcTable takes)."""
    position = {i: n for n, i in enumerate(members)}

    def matrix(constraints):
        rows, cols, data, rhs = [], [], [], []
        for r, terms in enumerate(constraints):
            constant = 0.0
            for i, sign in terms:
                if i in position:
                    rows.append(r)
                    cols.append(position[i])
                    data.append(sign)
                else:
                    constant += sign * problem.quantities[i].value
            rhs.append(-constant)
        shape = (len(constraints), len(members))
        return coo_array((data, (rows, cols)), shape=shape).tocsr(), rhs

    a_eq, b_eq = matrix(
        [
            [(t, 1.0)] + [(p, -float(w)) for p, w in zip(parts, weights, strict=True)]
            for t, parts, weights in sums
        ]
    )
    a_ub, b_ub = matrix([[(part, 1.0), (whole, -1.0)] for part, whole in caps])
    box = [tuple(bounds[i]) for i in members]
    seen_low = np.full(len(members), np.inf)
    seen_high = np.full(len(members), -np.inf)
    found = {}
    for n, i in enumerate(members):
        if i not in wanted:
            continue
        if enough is not None and seen_high[n] - seen_low[n] >= enough:
            found[i] = (round(float(seen_low[n]), 6), round(float(seen_high[n]), 6))
            continue
        objective = np.zeros(len(members))
        ends = []
        for sign in (1.0, -1.0):
            objective[n] = sign
            result = linprog(
                objective,
                A_ub=a_ub if caps else None,
                b_ub=b_ub if caps else None,
                A_eq=a_eq if sums else None,
                b_eq=b_eq if sums else None,
                bounds=box,
                method="highs",
            )
            if result.status == 3:  # unbounded
                ends.append(-sign * float("inf"))
            elif result.status != 0:
                raise ValueError(f"The published figures are inconsistent: {result.message}")
            else:
                ends.append(sign * result.fun)
                np.minimum(seen_low, result.x, out=seen_low)
                np.maximum(seen_high, result.x, out=seen_high)
        found[i] = (round(ends[0], 6), round(ends[1], 6))
    return found


def exposures(problem: Problem, protection: int, among: set[int] | None = None) -> list[Exposure]:
    """The sensitive quantities (suppressed in this release, or a small change since an
    earlier one; only those ``among`` if given) that a reader can narrow to an interval
    less than ``protection`` wide."""
    sensitive = {
        i
        for i, q in enumerate(problem.quantities)
        if not q.earlier and q.sensitive(problem.threshold) and (among is None or i in among)
    }
    found = intervals(problem, sensitive, enough=protection)
    return [
        Exposure(problem.quantities[i], low, high)
        for i, (low, high) in sorted(found.items())
        if high - low < protection
    ]


def protect(problem: Problem, protection: int, on_round=None) -> list[Exposure]:
    """Secondary suppression: while any sensitive quantity is exposed, hide for each one
    the smallest count of this release shown nearest to it (in a sum with it, else in a
    sum with a quantity already unknown that is in a sum with it, and so on) and audit
    again.
    Returns what is still exposed: nothing, unless everything near an exposed quantity is
    already unknown or frozen in an earlier release, when the release must not go out.
    Hiding a count only takes away what a reader knows, so no interval ever narrows:
    after the first audit, each round audits again only what the round before exposed.
    ``on_round(rounds, hidden)`` hears after each audit, for a caller showing progress."""
    beside: dict[int, set[int]] = defaultdict(set)
    for total, parts, _weights in problem.sums:
        for i in (total, *parts):
            beside[i] |= {total, *parts}
    rounds = hidden = 0
    exposed = None
    while True:
        among = None if exposed is None else {problem.index[e.quantity.key] for e in exposed}
        exposed = exposures(problem, protection, among)
        rounds += 1
        if on_round is not None:
            on_round(rounds, hidden)
        if not exposed:
            return []
        # One count for each exposed quantity in this round (two exposed side by side
        # often share theirs); a round is one audit, and audits are the cost.
        chosen = {c for e in exposed if (c := _nearest_shown(problem, beside, e)) is not None}
        if not chosen:
            return exposed
        for i in chosen:
            problem.quantities[i].shown = Shown.HIDDEN
        hidden += len(chosen)


def _nearest_shown(problem: Problem, beside, exposure: Exposure) -> int | None:
    """The smallest count of this release shown in a sum with the exposed quantity, or,
    failing that, one step further through quantities a reader does not know."""
    start = problem.index[exposure.quantity.key]
    seen, frontier = {start}, [start]
    while frontier:
        near = {j for i in frontier for j in beside[i]} - seen
        shown = [
            j
            for j in near
            if problem.quantities[j].shown == Shown.COUNT and not problem.quantities[j].earlier
        ]
        if shown:
            return min(shown, key=lambda j: (problem.quantities[j].value, j))
        seen |= near
        frontier = [j for j in near if problem.quantities[j].unknown]
    return None


# Each table of a release: (question, dimension) → a breakdown, or a ranking.
Tables = dict[tuple[str, str], Breakdown | Ranking]


class _Figure(NamedTuple):
    key: tuple
    figure: Figure
    label: str
    unpublished: bool = False
    people: bool = True


def _figures(tables: Tables):
    """Every figure of the tables with the key of the quantity it publishes (or, for a
    ranking, ties to what is published), and the sums and caps between them, as keys."""
    figures, sums, caps = [], [], []
    for name, table in tables.items():
        respondents = ("respondents",)
        figures.append(_Figure(respondents, table.respondents, "Number responding"))
        if isinstance(table, Ranking):
            _ranking_figures(name, table, figures, sums, caps)
            continue
        question, dimension = name
        sizes = []
        for (column, column_label), size in zip(table.columns, table.group_sizes, strict=True):
            key = ("group", dimension, column)
            figures.append(_Figure(key, size, f"{dimension}: {column_label}: number responding"))
            sizes.append(key)
        sums.append((respondents, sizes, None))
        for row in table.rows:
            total = ("total", question, row.key)
            figures.append(_Figure(total, row.total, f"{question}: {row.label}: total"))
            caps.append((total, respondents))
            cells = []
            for (column, column_label), cell in zip(table.columns, row.cells, strict=True):
                key = ("cell", question, row.key, dimension, column)
                figures.append(_Figure(key, cell, f"{question}: {row.label}, {column_label}"))
                caps.append((key, ("group", dimension, column)))
                cells.append(key)
            sums.append((total, cells, None))
    return figures, sums, caps


def _ranking_figures(name, ranking: Ranking, figures, sums, caps) -> None:
    """A ranking publishes each item's points and the number of top lists it is in, in
    order of points; behind them are how many ranked each item at each position, never
    published, which is what they could give away (5 top fives and 24 points: four put it
    first and one second). No one ranks two items at one position, so what the items
    listed take at a position, and the rest (unlisted items, fewer ranked), make up the
    number responding."""
    respondents = ("respondents",)
    positions = range(1, ranking.positions + 1)
    decomposed = [item for item in ranking.items if item.at_rank]
    previous = None
    for item in ranking.items:
        points = ("points", *name, item.key)
        in_top = ("in top", *name, item.key)
        label = f"{name[0]}: {item.label}"
        figures.append(_Figure(points, item.points, f"{label}: points", people=False))
        figures.append(_Figure(in_top, item.in_top, f"{label}: in a top list"))
        caps.append((in_top, respondents))
        if previous is not None:
            caps.append((points, previous))  # the order is published too
        previous = points
        if not item.at_rank:
            continue  # a release kept from before its positions were (they were not audited)
        at = [("at rank", *name, item.key, rank) for rank in positions]
        for key, count, rank in zip(at, item.at_rank, positions, strict=True):
            figures.append(_Figure(key, count, f"{label}: ranked {rank}", unpublished=True))
        sums.append((in_top, at, None))
        sums.append((points, at, [ranking.weight(rank) for rank in positions]))
    if not decomposed:
        return
    for n, rank in enumerate(positions):
        rest = ("rest", *name, rank)
        taken = sum(item.at_rank[n].count for item in decomposed)
        figures.append(
            _Figure(
                rest,
                Figure(ranking.respondents.count - taken),
                f"{name[0]}: others ranked {rank}",
                unpublished=True,
                people=False,
            )
        )
        taking = [("at rank", *name, item.key, rank) for item in decomposed]
        sums.append((respondents, [*taking, rest], None))


def _published(figure) -> Shown:
    if figure.complementary:
        return Shown.HIDDEN
    return Shown.SMALL if figure.suppressed else Shown.COUNT


def build_problem(tables: Tables, *, threshold: int, earlier: list[Tables] = ()) -> Problem:
    """The linear system a reader can build from ``tables`` and every earlier release
    (each given with its figures as they were published, suppression included). Tables
    already suppressed are taken as published; others start from the threshold alone."""
    problem = Problem(threshold=threshold)
    for name, table in tables.items():
        figures, _sums, _caps = _figures({name: table})
        for key, figure, label, unpublished, people in figures:
            if unpublished:
                shown = Shown.UNPUBLISHED
            else:
                shown = _published(figure) if table.suppressed else None
            problem.quantity(key, figure.count, label, shown=shown, people=people)
    figures, sums, caps = _figures(tables)
    for total, parts, weights in sums:
        problem.add_sum(problem.index[total], [problem.index[p] for p in parts], weights)
    for part, whole in caps:
        problem.add_cap(problem.index[part], problem.index[whole])
    for n, release in enumerate(earlier):
        old_figures, old_sums, old_caps = _figures(release)

        def old(key, n=n):
            return ("release", n, *key)

        for key, figure, label, unpublished, people in old_figures:
            problem.quantity(
                old(key),
                figure.count,
                f"Earlier release: {label}",
                shown=Shown.UNPUBLISHED if unpublished else _published(figure),
                earlier=True,
                people=people,
            )
            if key in problem.index:
                change = problem.quantity(
                    ("change", n, *key),
                    problem.quantities[problem.index[key]].value - figure.count,
                    f"Change since an earlier release: {label}",
                    shown=Shown.DERIVED,
                    people=people,
                )
                problem.add_sum(problem.index[key], [problem.index[old(key)], change])
        for total, parts, weights in old_sums:
            problem.add_sum(
                problem.index[old(total)], [problem.index[old(p)] for p in parts], weights
            )
        for part, whole in old_caps:
            problem.add_cap(problem.index[old(part)], problem.index[old(whole)])
    return problem


def protect_tables(
    tables: Tables, *, threshold: int, protection: int, earlier: list[Tables] = (), on_round=None
) -> list[Exposure]:
    """Suppress ``tables`` for publishing together, against every earlier release: small
    counts, then whatever else must be hidden so that nothing suppressed can be narrowed.
    Marks the figures in place and returns what could not be protected (the release must
    then not go out)."""
    problem = build_problem(tables, threshold=threshold, earlier=earlier)
    # Figures about nobody at all (no one has answered, and no one had) tell of no one.
    anyone = any(q.value for q in problem.quantities)
    left = protect(problem, protection, on_round) if anyone else []
    figures, _sums, _caps = _figures(tables)
    for key, figure, _label, unpublished, _people in figures:
        if unpublished:
            continue
        shown = problem.quantities[problem.index[key]].shown
        figure.suppressed = shown in (Shown.SMALL, Shown.HIDDEN)
        figure.complementary = shown == Shown.HIDDEN
    for table in tables.values():
        table.suppressed = True
        if isinstance(table, Breakdown):
            hide_revealing_percentages(table)
    return left
