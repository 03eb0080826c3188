"""Mentor matching for the whole network at once, as an assignment problem.

Every mentor contributes one "slot" per mentee they can still take. Each possible pair
(mentee, mentor slot) gets a fit score, and SciPy's ``linear_sum_assignment`` picks the set
of pairs with the best total fit, each mentee matched at most once and each slot used at
most once. That beats first-come or greedy pairing, which can give one mentee a slightly
better mentor at the cost of leaving another with none.

A pair is possible only if the mentor is more senior than the mentee and they share at
least one topic, and it was neither rejected nor paired before (a pairing that ended).
Fit, for possible pairs:
- 10 for each shared topic;
- 5 when they work for different organisations (building trust between councils), and
  5 more when the mentee asked for someone from elsewhere;
- 3 when the mentor is 1 to 3 levels more senior, 1 when 4 or 5 levels.
The score and its explanation (``explain``) come from the same parts (``_Grid.parts``), so
what a coordinator reads always adds up to the fit. Members who would like a mentor and
have none are listed with why (``unmatched``), by the same rules.
Only what members gave for mentoring is used: level, topics, organisation, capacity and
preference. Nothing from equality monitoring.
"""

from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import MatchStatus, Membership, MembershipStatus, MentoringMatch, Seniority, Topic

PER_TOPIC = 10
CROSS_ORGANISATION = 5
PREFERENCE_MET = 5
CLOSE_LEVEL, NEAR_LEVEL = 3, 1
CURRENT = (MatchStatus.PROPOSED, MatchStatus.CONFIRMED)


@dataclass
class Proposal:
    mentor_id: int
    mentee_id: int
    score: float
    reasons: list[str]


@dataclass(frozen=True)
class FitPart:
    """One part of a pair's fit: what earned it, in words, and its points."""

    words: str
    points: int


@dataclass(frozen=True)
class Fit:
    """A pair's fit as the sum of its parts (only the parts that earned points)."""

    parts: tuple[FitPart, ...]
    possible: bool

    @property
    def total(self) -> int:
        return sum(part.points for part in self.parts) if self.possible else 0

    @property
    def sum(self) -> str:
        """The addition, written out: "20 + 5 + 3 = 28"."""
        points = [str(part.points) for part in self.parts] or ["0"]
        return f"{' + '.join(points)} = {self.total}"


@dataclass(frozen=True)
class Unmatched:
    """A member who would like a mentor and has no pair, and why, in words."""

    member: Membership
    reason: str


def _members(**filters):
    return list(
        Membership.objects.filter(status=MembershipStatus.APPROVED, **filters)
        .select_related("organisation")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("pk", "name")))
    )


@dataclass(frozen=True)
class _Topic:
    pk: int
    name: str


class _Topics(list):
    """A member's topics, read as rows, answering ``.all()`` as a member's topics do."""

    def all(self):
        return self


@dataclass(frozen=True)
class _Candidate:
    """A member as proposing reads one: the fit's inputs as plain values, read as rows.
    Loading whole members, with their organisations and topics as model instances, was
    most of a run's time."""

    pk: int
    organisation_id: int | None
    seniority: int
    prefers_other_organisation: bool
    mentee_capacity: int
    topics: _Topics


def _candidates(**filters) -> list[_Candidate]:
    """Approved members matching ``filters``, in the members' own order (2 queries)."""
    members = Membership.objects.filter(status=MembershipStatus.APPROVED, **filters)
    topics = {}
    for member_id, topic_id, name in Membership.topics.through.objects.filter(
        membership__in=members
    ).values_list("membership_id", "topic_id", "topic__name"):
        topics.setdefault(member_id, _Topics()).append(_Topic(topic_id, name))
    rows = members.values_list(
        "pk", "organisation_id", "seniority", "prefers_other_organisation", "mentee_capacity"
    )
    return [_Candidate(*row, topics=topics.get(row[0], _Topics())) for row in rows]


def _topic_matrix(members, topic_index) -> np.ndarray:
    matrix = np.zeros((len(members), len(topic_index)), dtype=np.int32)
    for row, member in enumerate(members):
        for topic in member.topics.all():
            matrix[row, topic_index[topic.pk]] = 1
    return matrix


def _topic_index(members) -> dict[int, int]:
    return {pk: i for i, pk in enumerate(sorted({t.pk for m in members for t in m.topics.all()}))}


@dataclass
class _Grid:
    """Every (mentee, mentor) pair at once, a row for each mentee and a column for each
    mentor: what their fit is made of, and which pairs are possible."""

    shared: np.ndarray  # topics in common
    gap: np.ndarray  # the mentor's level minus the mentee's
    cross: np.ndarray  # from different organisations
    prefers: np.ndarray  # the mentee asked for someone from another organisation
    other_person: np.ndarray  # not the same member
    rejected: np.ndarray  # rejected by a coordinator before

    def parts(self) -> dict[str, np.ndarray]:
        """The points of each part of the fit. The score is their sum, and nothing else."""
        return {
            "topics": PER_TOPIC * self.shared,
            "organisation": CROSS_ORGANISATION * self.cross,
            "preference": PREFERENCE_MET * (self.cross & self.prefers),
            "level": np.where(self.gap <= 3, CLOSE_LEVEL, np.where(self.gap <= 5, NEAR_LEVEL, 0)),
        }

    @property
    def possible(self) -> np.ndarray:
        return (self.gap > 0) & (self.shared > 0) & self.other_person & ~self.rejected

    def scores(self) -> np.ndarray:
        """Fit of every pair; 0 where the pair is not possible."""
        score = sum(self.parts().values()).astype(float)
        return np.where(self.possible, score, 0.0)


def _grid(mentees, mentors, topic_index, rejected) -> _Grid:
    shared = _topic_matrix(mentees, topic_index) @ _topic_matrix(mentors, topic_index).T
    mentee_org = np.array([m.organisation_id for m in mentees], dtype=np.int64)[:, None]
    mentor_org = np.array([m.organisation_id for m in mentors], dtype=np.int64)[None, :]
    mentee_pk = np.array([m.pk for m in mentees], dtype=np.int64)[:, None]
    mentor_pk = np.array([m.pk for m in mentors], dtype=np.int64)[None, :]
    refused = np.zeros(shared.shape, dtype=bool)
    mentee_row = {m.pk: i for i, m in enumerate(mentees)}
    mentor_col = {m.pk: i for i, m in enumerate(mentors)}
    for mentee_id, mentor_id in rejected:
        if mentee_id in mentee_row and mentor_id in mentor_col:
            refused[mentee_row[mentee_id], mentor_col[mentor_id]] = True
    return _Grid(
        shared=shared,
        gap=np.array([m.seniority for m in mentors], dtype=np.int64)[None, :]
        - np.array([m.seniority for m in mentees], dtype=np.int64)[:, None],
        cross=mentee_org != mentor_org,
        prefers=np.array([m.prefers_other_organisation for m in mentees], dtype=bool)[:, None],
        other_person=mentee_pk != mentor_pk,
        rejected=refused,
    )


def _rejected() -> set[tuple[int, int]]:
    """Pairs never proposed again: those coordinators rejected, and those that ended (a
    mentee matched again gets a new mentor)."""
    return set(
        MentoringMatch.objects.filter(
            status__in=[MatchStatus.REJECTED, MatchStatus.ENDED]
        ).values_list("mentee_id", "mentor_id")
    )


def propose() -> list[Proposal]:
    """The best set of new pairs for members who want a mentor and have none (8 queries)."""
    # SciPy is loaded only when matching runs: the pages that explain pairs need NumPy only.
    from scipy.optimize import linear_sum_assignment

    current = Q(mentoring__status=MatchStatus.CONFIRMED)
    mentors = _candidates(offers_mentoring=True)
    taken = dict(
        Membership.objects.filter(pk__in=[m.pk for m in mentors])
        .annotate(n=Count("mentoring", filter=current))
        .values_list("pk", "n")
    )
    matched = set(
        MentoringMatch.objects.filter(status=MatchStatus.CONFIRMED).values_list(
            "mentee_id", flat=True
        )
    )
    mentees = [m for m in _candidates(seeks_mentoring=True) if m.pk not in matched]
    slots = [
        i
        for i, m in enumerate(mentors)
        for _ in range(max(m.mentee_capacity - taken.get(m.pk, 0), 0))
    ]
    if not mentees or not slots:
        return []
    rejected = _rejected()
    topic_index = {pk: i for i, pk in enumerate(Topic.objects.values_list("pk", flat=True))}
    score = _grid(mentees, mentors, topic_index, rejected).scores()
    benefit = score[:, slots]
    rows, cols = linear_sum_assignment(benefit, maximize=True)
    proposals, words = [], _reason_words()
    for row, col in zip(rows, cols, strict=True):
        if benefit[row, col] <= 0:
            continue  # the solver fills every row it can; a zero means no possible pair
        mentee, mentor = mentees[row], mentors[slots[col]]
        reasons = reasons_for(mentor, mentee, words)
        proposals.append(Proposal(mentor.pk, mentee.pk, float(benefit[row, col]), reasons))
    return proposals


def _reason_words() -> dict:
    """The words of every pair's reasons, translated once for a whole run."""
    return {
        "shared": _("Shared topics: %(topics)s"),
        "none": _("none"),
        "levels": _("Levels: mentor %(mentor)s, mentee %(mentee)s"),
        "level": {value: str(label) for value, label in Seniority.choices},
        "different": _("From different organisations"),
        "same": _("From the same organisation"),
    }


def reasons_for(mentor: Membership, mentee: Membership, words=None) -> list[str]:
    """Why a pair fits, in words a coordinator reads (``words``: ``_reason_words()``)."""
    words = words or _reason_words()
    shared = sorted({t.name for t in mentor.topics.all()} & {t.name for t in mentee.topics.all()})
    levels = {
        "mentor": words["level"][mentor.seniority],
        "mentee": words["level"][mentee.seniority],
    }
    return [
        words["shared"] % {"topics": ", ".join(shared) or words["none"]},
        words["levels"] % levels,
        words["different" if mentor.organisation_id != mentee.organisation_id else "same"],
    ]


def explain(mentor: Membership, mentee: Membership) -> Fit:
    """The fit of one pair as the sum of its parts, by the same rules as ``propose``
    (rejections apart: a coordinator decides those). Uses the members' prefetched topics."""
    grid = _grid([mentee], [mentor], _topic_index([mentor, mentee]), set())
    points = {name: int(values[0, 0]) for name, values in grid.parts().items()}
    shared, gap = int(grid.shared[0, 0]), int(grid.gap[0, 0])
    words = {
        "topics": ngettext(
            "%(n)s shared topic × %(each)s = %(points)s",
            "%(n)s shared topics × %(each)s = %(points)s",
            shared,
        )
        % {"n": shared, "each": PER_TOPIC, "points": points["topics"]},
        "organisation": _("from different organisations +%(points)s")
        % {"points": points["organisation"]},
        "preference": _("the mentee asked for someone from another organisation +%(points)s")
        % {"points": points["preference"]},
        "level": ngettext(
            "mentor %(gap)s level more senior +%(points)s",
            "mentor %(gap)s levels more senior +%(points)s",
            gap,
        )
        % {"gap": gap, "points": points["level"]},
    }
    return Fit(
        parts=tuple(FitPart(words[name], value) for name, value in points.items() if value),
        possible=bool(grid.possible[0, 0]),
    )


def fit(mentor: Membership, mentee: Membership) -> float:
    """The fit score of one pair, by the same rules as ``propose`` (0 if not possible)."""
    return float(explain(mentor, mentee).total)


def _names(members) -> str:
    return ", ".join(str(m) for m in members)


def unmatched() -> list[Unmatched]:
    """Members who would like a mentor and have no pair, proposed or confirmed, each with
    why, by the rules matching uses (7 queries, however many members)."""
    paired = set(
        MentoringMatch.objects.filter(status__in=CURRENT).values_list("mentee_id", flat=True)
    )
    seekers = [m for m in _members(seeks_mentoring=True) if m.pk not in paired]
    if not seekers:
        return []
    mentors = _members(offers_mentoring=True)  # named in the reasons
    taken = dict(
        Membership.objects.filter(pk__in=[m.pk for m in mentors])
        .annotate(n=Count("mentoring", filter=Q(mentoring__status__in=CURRENT)))
        .values_list("pk", "n")
    )
    room = np.array([m.mentee_capacity > taken.get(m.pk, 0) for m in mentors], dtype=bool)
    grid = _grid(seekers, mentors, _topic_index([*seekers, *mentors]), _rejected())
    return [
        Unmatched(seeker, _why_unmatched(seeker, row, grid, mentors, room))
        for row, seeker in enumerate(seekers)
    ]


def _why_unmatched(seeker, row, grid: _Grid, mentors, room) -> str:
    def who(mask):
        return [mentor for mentor, chosen in zip(mentors, mask, strict=True) if chosen]

    topics = sorted(t.name for t in seeker.topics.all())
    if not topics:
        return _("They have not chosen a topic to be mentored in.")
    others = grid.other_person[row]
    if not others.any():
        return _("Nobody else offers mentoring yet.")
    sharing = others & (grid.shared[row] > 0)
    if not sharing.any():
        return _("No mentor shares a topic with them (they chose %(topics)s).") % {
            "topics": ", ".join(topics)
        }
    senior = sharing & (grid.gap[row] > 0)
    if not senior.any():
        return _(
            "The mentors who share a topic with them (%(names)s) are not more senior than them."
        ) % {"names": _names(who(sharing))}
    open_ = senior & ~grid.rejected[row]
    if not open_.any():
        return _(
            "Each mentor who could mentor them (%(names)s) was rejected for them, or paired "
            "with them, before."
        ) % {"names": _names(who(senior))}
    if not (open_ & room).any():
        return _(
            "No mentor with room: each mentor who could mentor them (%(names)s) has as many "
            "mentees as they can take, proposed or confirmed."
        ) % {"names": _names(who(open_))}
    return _("%(names)s could mentor them now: propose pairs again.") % {
        "names": _names(who(open_ & room))
    }


def why_not(
    *,
    mentor: Membership,
    mentee: Membership,
    excluding=(),
    counting=(MatchStatus.CONFIRMED, MatchStatus.PROPOSED),
) -> str:
    """Why ``mentor`` cannot mentor ``mentee``, or "" if they can. Their pairs with a status
    in ``counting`` fill their capacity, apart from the pairs in ``excluding`` (those about
    to change). Callers that write hold a lock on the mentor's row."""
    if mentor.pk == mentee.pk:
        return _("A member cannot mentor themselves.")
    if not (mentor.is_member and mentor.offers_mentoring):
        return _("%(name)s does not offer mentoring.") % {"name": mentor}
    if mentor.seniority <= mentee.seniority:
        return _("A mentor must be more senior than their mentee.")
    if not {t.pk for t in mentor.topics.all()} & {t.pk for t in mentee.topics.all()}:
        return _("They share no mentoring topic.")
    taken = mentor.mentoring.filter(status__in=counting).exclude(pk__in=list(excluding)).count()
    if taken >= mentor.mentee_capacity:
        return _("%(name)s has no room for another mentee.") % {"name": mentor}
    return ""
