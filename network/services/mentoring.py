"""Mentor matching runs, the coordinators' decisions on the pairs, and a pairing's life
once confirmed: goals, monthly check-ins (prompted through the outbox), ending with
feedback from both, and rematching (matching never proposes an ended pair again)."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import emails
from ..models import (
    MatchStatus,
    Membership,
    MembershipStatus,
    MentoringCheckIn,
    MentoringFeedback,
    MentoringMatch,
    PairRole,
)
from .errors import NotAllowed


def _lock_mentors(mentor_ids) -> dict[int, Membership]:
    # A mentor's pairs are counted against their capacity and then written, so the mentor's
    # row is locked first. Rows are always locked mentors first, in order of pk, and pairs
    # after them, so that matching, confirming, changing and swapping queue behind one
    # another and never wait on each other in a circle. NO KEY UPDATE still lets new pairs
    # refer to the row.
    return {
        m.pk: m
        for m in Membership.objects.select_for_update(no_key=True)
        .filter(pk__in=mentor_ids)
        .order_by("pk")
    }


def _lock_proposed(*pks: int, refusal: str, more_mentors=()):
    """Lock proposed pairs and their mentors (and ``more_mentors``). Returns the pairs, in
    the order asked, and the locked mentors by pk."""
    mentor_ids = MentoringMatch.objects.filter(pk__in=pks).values_list("mentor_id", flat=True)
    mentors = _lock_mentors({*mentor_ids, *more_mentors})
    found = (
        MentoringMatch.objects.select_for_update()
        .filter(pk__in=pks, status=MatchStatus.PROPOSED)
        .in_bulk()
    )
    if len(found) != len(set(pks)):
        raise NotAllowed(refusal)
    if any(match.mentor_id not in mentors for match in found.values()):
        raise NotAllowed(_("Someone else changed this pair a moment ago. Look at it again."))
    return [found[pk] for pk in pks], mentors


def matching_run(*, run_by) -> list[MentoringMatch]:
    """Propose 1-2-1 pairs for the whole network at once (see ``network.matching``).
    Earlier proposals not yet decided are replaced; confirmed pairs stay."""
    from .. import matching  # it loads NumPy, which only mentoring needs

    try:
        with transaction.atomic():
            # Two runs at once would each propose a mentor for the same mentees: the second
            # waits here for the first, then replaces its proposals.
            _lock_mentors(
                Membership.objects.filter(
                    status=MembershipStatus.APPROVED, offers_mentoring=True
                ).values_list("pk", flat=True)
            )
            _delete_with_their_pairs(MentoringMatch.objects.filter(status=MatchStatus.PROPOSED))
            proposals = matching.propose()
            return MentoringMatch.objects.bulk_create(
                MentoringMatch(
                    mentor_id=p.mentor_id, mentee_id=p.mentee_id, score=p.score, reasons=p.reasons
                )
                for p in proposals
            )
    except IntegrityError as error:
        # Only if someone became a mentor in the middle of a run: nothing was saved.
        raise NotAllowed(_("Matching was run twice at the same moment. Run it again.")) from error


def _delete_with_their_pairs(matches) -> None:
    """Delete ``matches``, read with their mentors and mentees: the audit log names each
    deletion by its pair, which read one by one cost two queries a match (3 s for the 1,300
    proposals of a network of 5,000). ``QuerySet.delete`` reads the rows again without them."""
    found = list(matches.select_related("mentor", "mentee"))
    if found:
        collector = Collector(using=matches.db, origin=matches)
        collector.collect(found)
        collector.delete()


def match_confirm(*, match: MentoringMatch, decided_by) -> MentoringMatch:
    """Confirm a proposed pair, if the mentor still has room among their confirmed pairs and
    can still mentor the mentee; both are emailed."""
    from .. import matching  # it loads NumPy, which only mentoring needs

    with transaction.atomic():
        (match,), mentors = _lock_proposed(
            match.pk, refusal=_("Only a proposed pair can be confirmed.")
        )
        problem = matching.why_not(
            mentor=mentors[match.mentor_id],
            mentee=match.mentee,
            excluding=[match.pk],
            counting=[MatchStatus.CONFIRMED],
        )
        if problem:
            raise NotAllowed(problem)
        match.status = MatchStatus.CONFIRMED
        match.decided_at, match.decided_by = timezone.now(), decided_by
        match.save(update_fields=["status", "decided_at", "decided_by"])
        emails.post_match(match)
    return match


def match_reject(*, match: MentoringMatch, decided_by) -> MentoringMatch:
    """Reject a proposed pair: matching will not propose it again."""
    with transaction.atomic():
        (match,), _mentors = _lock_proposed(
            match.pk, refusal=_("Only a proposed pair can be rejected.")
        )
        match.status = MatchStatus.REJECTED
        match.decided_at, match.decided_by = timezone.now(), decided_by
        match.save(update_fields=["status", "decided_at", "decided_by"])
    return match


def match_unreject(*, match: MentoringMatch) -> MentoringMatch:
    """Undo a rejection: the pair is proposed again, as it was, if the mentee has no other
    pair and the mentor can still take them."""
    from .. import matching  # it loads NumPy, which only mentoring needs

    with transaction.atomic():
        mentor = _lock_mentors([match.mentor_id])[match.mentor_id]
        match = MentoringMatch.objects.select_for_update().get(pk=match.pk)
        if match.status != MatchStatus.REJECTED:
            raise NotAllowed(_("Only a rejected pair can be proposed again."))
        if match.mentee.mentored_by.filter(
            status__in=[MatchStatus.PROPOSED, MatchStatus.CONFIRMED]
        ).exists():
            raise NotAllowed(_("%(mentee)s has another pair now.") % {"mentee": match.mentee})
        problem = matching.why_not(mentor=mentor, mentee=match.mentee, excluding=[match.pk])
        if problem:
            raise NotAllowed(problem)
        match.status, match.decided_at, match.decided_by = MatchStatus.PROPOSED, None, None
        match.save(update_fields=["status", "decided_at", "decided_by"])
    return match


def match_change_mentor(*, match: MentoringMatch, mentor: Membership, decided_by) -> MentoringMatch:
    """Give a proposed pair's mentee a different mentor, who must be able to mentor them."""
    from .. import matching  # it loads NumPy, which only mentoring needs

    with transaction.atomic():
        (match,), mentors = _lock_proposed(
            match.pk, refusal=_("Only a proposed pair can be changed."), more_mentors=[mentor.pk]
        )
        mentor = mentors[mentor.pk]
        problem = matching.why_not(mentor=mentor, mentee=match.mentee, excluding=[match.pk])
        if problem:
            raise NotAllowed(problem)
        _set_mentor(match, mentor, _("Chosen by a coordinator"))
    return match


def match_swap(
    *, match: MentoringMatch, other: MentoringMatch, decided_by
) -> tuple[MentoringMatch, MentoringMatch]:
    """Swap the mentors of two proposed pairs. Each mentor must be able to mentor their new
    mentee; the two pairs being swapped do not count against either mentor's capacity,
    since each mentor gives up one mentee for another."""
    from .. import matching  # it loads NumPy, which only mentoring needs

    if match.pk == other.pk:
        raise NotAllowed(_("Choose two different pairs."))
    with transaction.atomic():
        (first, second), mentors = _lock_proposed(
            match.pk, other.pk, refusal=_("Only proposed pairs can be swapped.")
        )
        if first.mentor_id == second.mentor_id:
            raise NotAllowed(_("These pairs have the same mentor."))
        swapped = ((first, mentors[second.mentor_id]), (second, mentors[first.mentor_id]))
        for pair, mentor in swapped:
            problem = matching.why_not(
                mentor=mentor, mentee=pair.mentee, excluding=[first.pk, second.pk]
            )
            if problem:
                raise NotAllowed(problem)
        for pair, mentor in swapped:
            _set_mentor(pair, mentor, _("Swapped by a coordinator"))
    return first, second


def _set_mentor(match: MentoringMatch, mentor: Membership, why: str) -> None:
    from .. import matching  # it loads NumPy, which only mentoring needs

    match.mentor = mentor
    match.score = matching.fit(mentor, match.mentee)
    match.reasons = [*matching.reasons_for(mentor, match.mentee), why]
    match.save(update_fields=["mentor", "score", "reasons"])


# A pairing is prompted to check in this often.
CHECK_IN_EVERY = datetime.timedelta(days=30)


def role_in(match: MentoringMatch, member: Membership) -> str:
    """Whether ``member`` is the pair's mentor or mentee (``NotAllowed`` if neither)."""
    if match.mentor_id == member.pk:
        return PairRole.MENTOR
    if match.mentee_id == member.pk:
        return PairRole.MENTEE
    raise NotAllowed(_("This pairing is not yours."))


def _confirmed(match: MentoringMatch) -> MentoringMatch:
    match = MentoringMatch.objects.select_for_update().get(pk=match.pk)
    if match.status != MatchStatus.CONFIRMED:
        raise NotAllowed(_("This pairing has ended."))
    return match


def match_set_goals(*, match: MentoringMatch, member: Membership, goals: str) -> MentoringMatch:
    """Either of the pair records the goals they agreed (shown to both)."""
    role_in(match, member)
    with transaction.atomic():
        match = _confirmed(match)
        match.goals, match.goals_agreed_at = goals.strip(), timezone.now()
        match.full_clean(exclude=["mentor", "mentee"])
        match.save(update_fields=["goals", "goals_agreed_at"])
    return match


def match_check_in(
    *, match: MentoringMatch, member: Membership, how: str, note: str = ""
) -> MentoringCheckIn:
    """Either of the pair says how it is going; the note is for the coordinators."""
    role = role_in(match, member)
    with transaction.atomic():
        match = _confirmed(match)
        check_in = MentoringCheckIn(match=match, role=role, how=how, note=note.strip())
        check_in.full_clean()
        check_in.save()
    return check_in


def match_end(
    *, match: MentoringMatch, member: Membership, useful: int, comments: str = ""
) -> MentoringMatch:
    """Either of the pair ends it, with their feedback; the other is asked for theirs.
    The mentee may be matched again, never with the same mentor."""
    role = role_in(match, member)
    with transaction.atomic():
        match = _confirmed(match)
        match.status, match.ended_at = MatchStatus.ENDED, timezone.now()
        match.save(update_fields=["status", "ended_at"])
        _feedback(match, role, useful, comments)
        emails.post_match_ended(match, ended_by=role)
    return match


def match_feedback(
    *, match: MentoringMatch, member: Membership, useful: int, comments: str = ""
) -> MentoringFeedback:
    """The other of an ended pair gives their feedback, once."""
    role = role_in(match, member)
    if match.status != MatchStatus.ENDED:
        raise NotAllowed(_("Feedback is asked for when a pairing ends."))
    return _feedback(match, role, useful, comments)


def _feedback(match, role, useful, comments) -> MentoringFeedback:
    feedback = MentoringFeedback(match=match, role=role, useful=useful, comments=comments.strip())
    feedback.full_clean(exclude=["match"])
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError as error:
        raise NotAllowed(_("You have already given feedback on this pairing.")) from error
    return feedback


def check_in_prompts_due(*, now: datetime.datetime | None = None) -> int:
    """The outbox's scan (``EMAIL_SCANS``): prompt both of each confirmed pair to check in,
    a month after it was confirmed and every month after. Safe to run twice: a pair is
    prompted once a month. Returns how many pairs were prompted."""
    now = now or timezone.now()
    due = MentoringMatch.objects.filter(
        status=MatchStatus.CONFIRMED, decided_at__lte=now - CHECK_IN_EVERY
    ).filter(Q(prompted_at__isnull=True) | Q(prompted_at__lte=now - CHECK_IN_EVERY))
    prompted = 0
    for match in due.select_related("mentor__user", "mentee__user").select_for_update(of=("self",)):
        emails.post_check_in_prompt(match, at=now)
        match.prompted_at = now
        match.save(update_fields=["prompted_at"])
        prompted += 1
    return prompted
