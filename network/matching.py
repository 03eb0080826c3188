"""Mentor matching for the whole network at once, as an assignment problem.

Every mentor contributes one "slot" per mentee they can still take. Each possible pair
(mentee, mentor slot) gets a fit score, and SciPy's ``linear_sum_assignment`` picks the set
of pairs with the best total fit, each mentee matched at most once and each slot used at
most once. That beats first-come or greedy pairing, which can give one mentee a slightly
better mentor at the cost of leaving another with none.

A pair is possible only if the mentor is more senior than the mentee and they share at
least one topic, and it was not rejected before. Fit, for possible pairs:
- 10 for each shared topic;
- 5 when they work for different organisations (building trust between councils), and
  5 more when the mentee asked for someone from elsewhere;
- 3 when the mentor is 1 to 3 levels more senior, 1 when 4 or 5 levels.
Only what members gave for mentoring is used: level, topics, organisation, capacity and
preference. Nothing from equality monitoring.
"""

from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from scipy.optimize import linear_sum_assignment

from .models import MatchStatus, Membership, MembershipStatus, MentoringMatch, Seniority, Topic

PER_TOPIC = 10
CROSS_ORGANISATION = 5
PREFERENCE_MET = 5
CLOSE_LEVEL, NEAR_LEVEL = 3, 1


@dataclass
class Proposal:
    mentor_id: int
    mentee_id: int
    score: float
    reasons: list[str]


def _members(**filters):
    return list(
        Membership.objects.filter(status=MembershipStatus.APPROVED, **filters)
        .select_related("organisation")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("pk", "name")))
    )


def _topic_matrix(members, topic_index) -> np.ndarray:
    matrix = np.zeros((len(members), len(topic_index)), dtype=np.int32)
    for row, member in enumerate(members):
        for topic in member.topics.all():
            matrix[row, topic_index[topic.pk]] = 1
    return matrix


def propose() -> list[Proposal]:
    """The best set of new pairs for members who want a mentor and have none (6 queries)."""
    current = Q(mentoring__status=MatchStatus.CONFIRMED)
    mentors = _members(offers_mentoring=True)
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
    mentees = [m for m in _members(seeks_mentoring=True) if m.pk not in matched]
    slots = [
        i
        for i, m in enumerate(mentors)
        for _ in range(max(m.mentee_capacity - taken.get(m.pk, 0), 0))
    ]
    if not mentees or not slots:
        return []
    rejected = set(
        MentoringMatch.objects.filter(status=MatchStatus.REJECTED).values_list(
            "mentee_id", "mentor_id"
        )
    )
    topic_index = {pk: i for i, pk in enumerate(Topic.objects.values_list("pk", flat=True))}
    score = _scores(mentees, mentors, topic_index, rejected)
    benefit = score[:, slots]
    rows, cols = linear_sum_assignment(benefit, maximize=True)
    proposals = []
    for row, col in zip(rows, cols, strict=True):
        if benefit[row, col] <= 0:
            continue  # the solver fills every row it can; a zero means no possible pair
        mentee, mentor = mentees[row], mentors[slots[col]]
        proposals.append(
            Proposal(mentor.pk, mentee.pk, float(benefit[row, col]), reasons_for(mentor, mentee))
        )
    return proposals


def _scores(mentees, mentors, topic_index, rejected) -> np.ndarray:
    """Fit of every (mentee, mentor) pair; 0 where the pair is not possible."""
    shared = _topic_matrix(mentees, topic_index) @ _topic_matrix(mentors, topic_index).T
    mentee_level = np.array([m.seniority for m in mentees])[:, None]
    mentor_level = np.array([m.seniority for m in mentors])[None, :]
    gap = mentor_level - mentee_level
    mentee_org = np.array([m.organisation_id for m in mentees])[:, None]
    mentor_org = np.array([m.organisation_id for m in mentors])[None, :]
    prefers = np.array([m.prefers_other_organisation for m in mentees])[:, None]
    cross = mentee_org != mentor_org
    score = (
        PER_TOPIC * shared
        + cross * (CROSS_ORGANISATION + PREFERENCE_MET * prefers)
        + np.where(gap <= 3, CLOSE_LEVEL, np.where(gap <= 5, NEAR_LEVEL, 0))
    ).astype(float)
    possible = (gap > 0) & (shared > 0)
    possible &= np.array([[m.pk for m in mentors]]) != np.array([[m.pk for m in mentees]]).T
    mentee_row = {m.pk: i for i, m in enumerate(mentees)}
    mentor_col = {m.pk: i for i, m in enumerate(mentors)}
    for mentee_id, mentor_id in rejected:
        if mentee_id in mentee_row and mentor_id in mentor_col:
            possible[mentee_row[mentee_id], mentor_col[mentor_id]] = False
    return np.where(possible, score, 0.0)


def reasons_for(mentor: Membership, mentee: Membership) -> list[str]:
    """Why a pair fits, in words a coordinator reads."""
    shared = sorted({t.name for t in mentor.topics.all()} & {t.name for t in mentee.topics.all()})
    reasons = [
        _("Shared topics: %(topics)s") % {"topics": ", ".join(shared) or _("none")},
        _("Levels: mentor %(mentor)s, mentee %(mentee)s")
        % {
            "mentor": Seniority(mentor.seniority).label,
            "mentee": Seniority(mentee.seniority).label,
        },
    ]
    if mentor.organisation_id != mentee.organisation_id:
        reasons.append(_("From different organisations"))
    else:
        reasons.append(_("From the same organisation"))
    return reasons


def fit(mentor: Membership, mentee: Membership) -> float:
    """The fit score of one pair, by the same rules as ``propose`` (0 if not possible)."""
    topic_ids = sorted({t.pk for t in mentor.topics.all()} | {t.pk for t in mentee.topics.all()})
    topic_index = {pk: i for i, pk in enumerate(topic_ids)}
    return float(_scores([mentee], [mentor], topic_index, set())[0, 0])


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
