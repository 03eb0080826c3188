"""Reads of the employer survey: access, progress of invitations, and the results in SQL."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Lower
from django.utils import timezone

from reporting.breakdowns import Breakdown, Ranking, build_breakdown, build_ranking
from reporting.releases import current_release

from .models import (
    Employer,
    EmployerResponse,
    FindingsAnnouncement,
    Invitation,
    LinkedAccount,
    OptionKind,
    ResponseStatus,
    Sector,
    SizeBand,
    SkillRank,
    Survey,
)

SESSION_KEY = "employer-survey-access"
RANKED = 5  # a top five (SkillRank.rank runs 1 to 5)
RANKING = ("skills", "ranking")  # the ranking's name among the tables of a release


def survey_with_lists(*, slug: str) -> Survey:
    """A survey with its answer and skills lists (raises ``Survey.DoesNotExist``)."""
    return Survey.objects.prefetch_related("options", "skills").get(slug=slug)


def invitation_in_session(request, survey: Survey) -> Invitation | None:
    """The invitation whose link this browser session followed for ``survey``, while that
    link still works: sending the invitation again changes its token and expiry ends it,
    in every session at once."""
    entry = request.session.get(SESSION_KEY, {}).get(str(survey.pk))
    if not (isinstance(entry, list) and len(entry) == 2):
        return None
    pk, token_hash = entry
    return (
        Invitation.objects.select_related("employer")
        .filter(pk=pk, survey=survey, token_hash=token_hash, expires_at__gt=timezone.now())
        .first()
    )


def remember_invitation(request, invitation: Invitation) -> None:
    """Let this browser session answer for the invitation's organisation while its link
    works."""
    access = request.session.get(SESSION_KEY, {})
    access[str(invitation.survey_id)] = [invitation.pk, invitation.token_hash]
    request.session[SESSION_KEY] = access


def employer_for(request, survey: Survey) -> Employer | None:
    """The organisation this visitor may answer for: the one whose invitation link this
    session followed, while it works; or one their account answers for, as a contact
    staff added or through a link they followed signed in, while that link works."""
    invitation = invitation_in_session(request, survey)
    if invitation is not None:
        return invitation.employer
    if request.user.is_authenticated:
        return (
            Employer.objects.filter(_answered_by(request.user), invitations__survey=survey)
            .distinct()
            .first()
        )
    return None


def _answered_by(user) -> Q:
    """Organisations an account answers for: as a contact, or through a working link."""
    return Q(contacts=user) | Q(
        invitations__linked_accounts__user=user, invitations__expires_at__gt=timezone.now()
    )


def response_for(survey: Survey, employer: Employer) -> EmployerResponse | None:
    return (
        EmployerResponse.objects.filter(survey=survey, employer=employer)
        .prefetch_related(
            "options", Prefetch("ranks", queryset=SkillRank.objects.select_related("skill"))
        )
        .first()
    )


def answers_of(response: EmployerResponse | None) -> dict:
    """A saved response as the form's initial data."""
    if response is None:
        return {}
    answers = {
        "barriers_other": response.barriers_other,
        "changes_other": response.changes_other,
        "offers_other": response.offers_other,
        "entry_level_roles": response.entry_level_roles,
        "apprenticeships": response.apprenticeships,
        "contact_name": response.contact_name,
    }
    for field, kind in (
        ("barriers", OptionKind.BARRIER),
        ("changes", OptionKind.CHANGE),
        ("offers", OptionKind.OFFER),
    ):
        answers[field] = [str(o.pk) for o in response.options.all() if o.kind == kind]
    for rank in response.ranks.all():
        answers[f"rank_{rank.rank}"] = str(rank.skill_id) if rank.skill_id else "other"
        if not rank.skill_id:
            answers["other_skill"] = rank.other
    return answers


def chosen_answers(response: EmployerResponse) -> dict[str, list[str]]:
    """A saved response's ticked answers, as labels, by list ("barrier", "change",
    "offer"), and its ranked skills in order ("skills"), for the pages that show the answers
    back. No queries beyond those of ``response_for``, which prefetches them."""
    chosen: dict[str, list[str]] = {kind: [] for kind in OptionKind.values}
    for option in response.options.all():
        chosen[option.kind].append(option.label)
    chosen["skills"] = [
        rank.skill.name if rank.skill_id else rank.other for rank in response.ranks.all()
    ]
    return chosen


def surveys_for_user(user) -> list[Survey]:
    """Surveys the signed-in person can answer for one of their organisations."""
    if not user.is_authenticated:
        return []
    return list(
        Survey.objects.filter(
            Q(invitations__employer__contacts=user)
            | Q(invitations__linked_accounts__user=user, invitations__expires_at__gt=timezone.now())
        ).distinct()
    )


# How far an invited organisation has got, as a number to sort by (on the annotations of
# ``invitation_progress``): not opened, opened, draft saved, submitted.
PROGRESS_STAGE = Case(
    When(submitted_at__isnull=False, then=Value(3)),
    When(has_draft=True, then=Value(2)),
    When(opened__isnull=False, then=Value(1)),
    default=Value(0),
)


def invitation_progress(*, survey: Survey):
    """Each invited organisation with where it has got to: invited, opened, draft,
    submitted (one query)."""
    latest = Invitation.objects.filter(survey=survey, employer=OuterRef("pk")).order_by(
        "-created_at"
    )
    responses = EmployerResponse.objects.filter(survey=survey, employer=OuterRef("pk"))
    return (
        Employer.objects.filter(invitations__survey=survey)
        .annotate(
            invitation_id=Subquery(latest.values("pk")[:1]),
            invited_email=Subquery(latest.values("email")[:1]),
            last_sent=Max("invitations__sent_at", filter=Q(invitations__survey=survey)),
            expires=Max("invitations__expires_at", filter=Q(invitations__survey=survey)),
            opened=Max("invitations__opened_at", filter=Q(invitations__survey=survey)),
            has_draft=Exists(responses.filter(status=ResponseStatus.DRAFT)),
            submitted_at=Subquery(
                responses.filter(status=ResponseStatus.SUBMITTED).values("submitted_at")[:1]
            ),
        )
        .distinct()
        .order_by("name")
    )


@dataclass
class Account:
    """An account that can answer for an organisation, and how: as a contact staff added
    (``until`` is None), or through an invitation link it followed, until the link expires."""

    user_id: int
    email: str
    until: datetime.datetime | None = None


def accounts_by_employer(*, survey: Survey, employer_ids=None) -> dict[int, list[Account]]:
    """For each organisation invited to ``survey`` (or only those of ``employer_ids``),
    the accounts that can answer for it (two queries)."""
    found: dict[int, list[Account]] = {}
    contacts = Employer.contacts.through.objects.filter(employer__invitations__survey=survey)
    linked = LinkedAccount.objects.filter(
        invitation__survey=survey, invitation__expires_at__gt=timezone.now()
    )
    if employer_ids is not None:
        contacts = contacts.filter(employer_id__in=employer_ids)
        linked = linked.filter(invitation__employer_id__in=employer_ids)
    contacts = contacts.values_list("employer_id", "user_id", "user__email")
    for employer_id, user_id, email in contacts.distinct().order_by("user__email"):
        found.setdefault(employer_id, []).append(Account(user_id, email))
    linked = linked.values_list(
        "invitation__employer_id", "user_id", "user__email", "invitation__expires_at"
    )
    for employer_id, user_id, email, until in linked.order_by("user__email"):
        found.setdefault(employer_id, []).append(Account(user_id, email, until))
    return found


@dataclass
class RankedSkill:
    name: str
    points: int
    in_top_five: int
    ranked_first: int


def skill_ranking(*, survey: Survey) -> tuple[list[RankedSkill], list[tuple[str, int]], int]:
    """Skills ranked by Borda count over submitted responses: 5 points for a skill ranked
    1st, 4 for 2nd, down to 1 for 5th, summed over employers. Ties are broken by how often
    a skill was ranked first, then by how often it was in a top five.

    Returns the ranking, the "other" skills employers wrote in with how often, and the
    number of responses counted (3 queries).
    """
    ranks = SkillRank.objects.filter(
        response__survey=survey, response__status=ResponseStatus.SUBMITTED
    )
    rows = (
        ranks.filter(skill__isnull=False)
        .values(name=F("skill__name"))
        .annotate(
            points=Sum(Value(6) - F("rank")),
            in_top_five=Count("id"),
            ranked_first=Count("id", filter=Q(rank=1)),
        )
        .order_by("-points", "-ranked_first", "-in_top_five", "name")
    )
    others = (
        ranks.filter(skill__isnull=True)
        .values(text=Lower("other"))
        .annotate(n=Count("id"))
        .order_by("-n", "text")
    )
    counted = EmployerResponse.objects.filter(
        survey=survey, status=ResponseStatus.SUBMITTED
    ).count()
    return [RankedSkill(**row) for row in rows], [(o["text"], o["n"]) for o in others], counted


def publishable_ranking(*, survey: Survey) -> Ranking:
    """The skills ranking as the findings publish it, before disclosure control: each
    listed skill's Borda points and number of top fives, in order of points (ties by
    name: the tie-break by first places is for staff, as first places are not
    published). A skill in fewer than SUPPRESSION_THRESHOLD top fives is left out: its
    few rankings would show in its points (3 points from one top five is one employer's
    3rd place). How many ranked each skill at each position goes with it for the audit,
    never to be shown (3 queries)."""
    counts = {
        (row["skill"], row["rank"]): row["n"]
        for row in SkillRank.objects.filter(
            response__survey=survey,
            response__status=ResponseStatus.SUBMITTED,
            skill__isnull=False,
        )
        .values("skill", "rank")
        .annotate(n=Count("id"))
        .order_by()
    }
    respondents = EmployerResponse.objects.filter(
        survey=survey, status=ResponseStatus.SUBMITTED
    ).count()
    threshold = settings.SUPPRESSION_THRESHOLD
    return build_ranking(
        items=[(skill.pk, skill.name) for skill in survey.skills.all()],
        counts=counts,
        respondents=respondents,
        positions=RANKED,
        least=threshold,
    )


DIMENSIONS = {"sector": (Sector.choices, "sector"), "size_band": (SizeBand.choices, "size_band")}


def results(*, survey: Survey, by: str):
    """Staff results' figures: the skills ranked, the "other" skills, the responses counted
    and the breakdowns by ``by``, counted once per ``figures_version`` (which every change
    to what they count moves on, ``employers.signals``) and kept in the shared cache."""
    key = f"employer-figures:{survey.pk}:{by}:{survey.figures_version}"
    figures = cache.get(key)
    if figures is None:
        figures = (*skill_ranking(survey=survey), breakdowns(survey=survey, by=by))
        cache.set(key, figures, timeout=settings.FIGURES_CACHE_SECONDS)
    return figures


def breakdowns(*, survey: Survey, by: str) -> dict[str, Breakdown]:
    """Barriers, changes and offers among submitted responses, by sector or size band
    (2 queries)."""
    choices, field = DIMENSIONS[by]
    submitted = EmployerResponse.objects.filter(survey=survey, status=ResponseStatus.SUBMITTED)
    sizes = {
        row["group"]: row["n"]
        for row in submitted.values(group=F(f"employer__{field}"))
        .annotate(n=Count("id"))
        .order_by()
    }
    counts = {
        (row["options"], row["group"]): row["n"]
        for row in submitted.filter(options__isnull=False)
        .values("options", group=F(f"employer__{field}"))
        .annotate(n=Count("id"))
        .order_by()
    }
    options = list(survey.options.all())
    return {
        kind: build_breakdown(
            rows=[(o.pk, o.label) for o in options if o.kind == kind],
            columns=list(choices),
            counts=counts,
            group_sizes=sizes,
        )
        for kind in OptionKind.values
    }


def publishable_tables(*, survey: Survey) -> dict[tuple[str, str], Breakdown]:
    """Every table the findings publish, unsuppressed, for disclosure control to protect
    together: each list by each dimension, and the skills ranking."""
    tables: dict[tuple[str, str], Breakdown | Ranking] = {
        (kind, by): table
        for by in DIMENSIONS
        for kind, table in breakdowns(survey=survey, by=by).items()
    }
    tables[RANKING] = publishable_ranking(survey=survey)
    return tables


@dataclass
class InvitationsToFollowUp:
    """An open survey's invited organisations that need following up: those that have not
    started (no draft, no answers) and those whose link expires soon before they have
    submitted."""

    slug: str
    title: str
    not_started: int
    expiring: int


def invitations_to_follow_up(
    *, now: datetime.datetime | None = None, within: datetime.timedelta = datetime.timedelta(days=7)
) -> list[InvitationsToFollowUp]:
    """Each open survey with how many invited organisations have not started it, and how
    many have not submitted and hold no invitation link working beyond ``within`` from now
    (one that ends sooner, not yet ended). Surveys with neither are left out (1 query)."""
    now = now or timezone.now()
    soon = now + within
    same = {"survey": OuterRef("survey"), "employer": OuterRef("employer")}
    responses = EmployerResponse.objects.filter(**same)
    expiring = (
        Q(expires_at__gt=now, expires_at__lte=soon)
        & ~Exists(responses.filter(status=ResponseStatus.SUBMITTED))
        & ~Exists(Invitation.objects.filter(**same, expires_at__gt=soon))
    )
    rows = (
        Invitation.objects.filter(survey__opens_at__lte=now, survey__closes_at__gt=now)
        .values("survey__slug", "survey__title", "survey__closes_at")
        .annotate(
            not_started=Count("employer", distinct=True, filter=~Exists(responses)),
            expiring=Count("employer", distinct=True, filter=expiring),
        )
        .order_by("survey__closes_at", "survey__slug")
    )
    return [
        InvitationsToFollowUp(
            r["survey__slug"], r["survey__title"], r["not_started"], r["expiring"]
        )
        for r in rows
        if r["not_started"] or r["expiring"]
    ]


def closed_without_findings(*, now=None):
    """Surveys that have closed and whose findings are not published yet, first closed
    first (1 query)."""
    return Survey.objects.filter(
        closes_at__lte=now or timezone.now(), findings_published=False
    ).order_by("closes_at", "pk")


def findings_audience(survey: Survey) -> list[Invitation]:
    """For each organisation that submitted an answer to ``survey``, the address of its
    latest invitation, unless that address asked for no more emails (1 query)."""
    submitted = EmployerResponse.objects.filter(
        survey=survey, status=ResponseStatus.SUBMITTED
    ).values("employer_id")
    latest = (
        Invitation.objects.filter(survey=survey, employer_id__in=submitted)
        .order_by("employer_id", "-created_at", "-pk")
        .select_related("employer")
    )
    found = {}
    for invitation in latest:
        found.setdefault(invitation.employer_id, invitation)
    return [i for i in found.values() if i.emails_stopped_at is None]


def findings_announcement(survey: Survey):
    """What the findings page says of telling the organisations: the current release,
    its announcement if sent, and who it would reach (3 queries)."""
    release = current_release(survey)
    if release is None or not survey.findings_are_public:
        return None
    return {
        "release": release,
        "sent": FindingsAnnouncement.objects.filter(
            survey=survey, release_number=release.number
        ).first(),
        "audience": findings_audience(survey),
    }
