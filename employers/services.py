"""Every write to the employer survey goes through here."""

import datetime
import json
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.services import model_update
from reporting.releases import current_release
from surveys import services as surveys
from surveys.models import SETTINGS_FIELDS
from surveys.services import questionnaire_create

from . import emails, selectors
from .models import (
    Employer,
    EmployerResponse,
    FindingsAnnouncement,
    Invitation,
    LinkedAccount,
    OptionKind,
    ResponseStatus,
    Skill,
    SkillRank,
    Survey,
    SurveyOption,
    hash_token,
    new_salt,
    token_for,
)

DEFAULTS = Path(__file__).resolve().parent / "data" / "defaults.json"

OPTION_ANSWERS = {
    "barriers": OptionKind.BARRIER,
    "changes": OptionKind.CHANGE,
    "offers": OptionKind.OFFER,
}
TEXT_ANSWERS = (
    "barriers_other",
    "changes_other",
    "offers_other",
    "entry_level_roles",
    "apprenticeships",
    "contact_name",
)
RANKS = range(1, 6)


class SurveyClosed(Exception):
    """The survey is not open, so nothing can be saved or submitted."""


class ResponseLocked(Exception):
    """The response was submitted: it is read-only for the employer now."""


class ResponseChanged(Exception):
    """The draft was saved again after the employer checked it, so what they checked is
    not what would be submitted."""


class InvitationInvalid(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "unknown" or "expired"


def survey_create(**settings) -> Survey:
    """Set up a survey (``surveys.models.SETTINGS_FIELDS``, and a slug if wanted) with the
    starting answer and skills lists, which staff can then edit."""
    defaults = json.loads(DEFAULTS.read_text(encoding="utf-8"))
    with transaction.atomic():
        survey = questionnaire_create(
            Survey,
            option_model=SurveyOption,
            lists={kind: defaults[kind] for kind in OptionKind.values},
            **settings,
        )
        Skill.objects.bulk_create(
            Skill(survey=survey, name=name, position=i) for i, name in enumerate(defaults["skill"])
        )
    return survey


EMPLOYER_FIELDS = ("name", "sector", "size_band", "in_borough")


def survey_update(*, survey: Survey, **fields) -> Survey:
    """Change a survey's details (title, dates, texts, roadmap activity)."""
    return model_update(survey, fields, editable=SETTINGS_FIELDS)


def option_save(
    *, survey: Survey, kind: str, label: str, option: SurveyOption | None = None, is_active=True
) -> SurveyOption:
    """Add an answer to one of the lists, or rename or retire one."""
    return surveys.option_save(
        questionnaire=survey,
        option_model=SurveyOption,
        kind=kind,
        label=label,
        option=option,
        is_active=is_active,
    )


def skill_save(*, survey: Survey, name: str, skill: Skill | None = None, is_active=True) -> Skill:
    """Add a skill to the list employers rank from, or rename or retire one."""
    skill = skill or Skill(survey=survey, position=survey.skills.count())
    skill.name = name.strip()
    skill.is_active = is_active
    skill.full_clean()
    skill.save()
    return skill


def employer_save(*, employer: Employer | None = None, **fields) -> Employer:
    """Add an organisation, or change one's name, sector, size or location."""
    stripped = {name: v.strip() if isinstance(v, str) else v for name, v in fields.items()}
    return model_update(employer or Employer(), stripped, editable=EMPLOYER_FIELDS)


def invitation_create(*, survey: Survey, employer: Employer, email: str, invited_by) -> Invitation:
    """Invite an organisation to the survey; the email goes once the invitation is saved."""
    invitation = Invitation(
        survey=survey,
        employer=employer,
        email=email.strip().lower(),
        invited_by=invited_by,
        expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_EXPIRY_DAYS),
    )
    invitation.token_hash = hash_token(token_for(invitation.salt))
    invitation.full_clean()
    with transaction.atomic():
        invitation.save()
        emails.post_invitation(invitation)
    return invitation


def organisation_invite(
    *, survey: Survey, email: str, invited_by, employer: Employer | None = None, **new_employer
) -> Invitation:
    """Invite an organisation on record (``employer``) or a new one (its details as
    ``employer_save`` takes them): a new organisation is kept only with its invitation."""
    with transaction.atomic():
        employer = employer or employer_save(**new_employer)
        return invitation_create(
            survey=survey, employer=employer, email=email, invited_by=invited_by
        )


def invitation_resend(*, invitation: Invitation) -> Invitation:
    """Send the invitation again with a new link, valid for a full period. The old link
    stops working, so a forwarded or leaked copy of it cannot be used. Refused once the
    organisation has submitted or the survey has closed: the link could do nothing then."""
    if invitation.survey.has_closed():
        raise ValidationError(_("The survey has closed, so the invitation cannot be sent again."))
    if EmployerResponse.objects.filter(
        survey_id=invitation.survey_id,
        employer_id=invitation.employer_id,
        status=ResponseStatus.SUBMITTED,
    ).exists():
        raise ValidationError(
            _("%(employer)s has already submitted, so the invitation was not sent again.")
            % {"employer": invitation.employer}
        )
    invitation.salt = new_salt()
    invitation.token_hash = hash_token(token_for(invitation.salt))
    invitation.expires_at = timezone.now() + datetime.timedelta(
        days=settings.INVITATION_EXPIRY_DAYS
    )
    with transaction.atomic():
        invitation.save(update_fields=["salt", "token_hash", "expires_at"])
        # The old link no longer works, so nor does what it gave: browser sessions that
        # opened it check its token hash, and the accounts it linked are unlinked here.
        for linked in invitation.linked_accounts.all():
            linked.delete()
        emails.post_invitation(invitation)
    return invitation


def invitation_open(*, token: str, user=None) -> Invitation:
    """Follow an invitation link. Records when it was first opened; a signed-in person
    who follows it can answer for the organisation from their account for as long as the
    link works (``LinkedAccount``)."""
    invitation = (
        Invitation.objects.select_related("survey", "employer")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationInvalid("unknown")
    if invitation.has_expired():
        raise InvitationInvalid("expired")
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
    if user is not None and user.is_authenticated:
        LinkedAccount.objects.get_or_create(invitation=invitation, user=user)
    return invitation


def account_unlink(*, survey: Survey, employer: Employer, user) -> int:
    """Stop an account answering for an organisation: as its contact, and through any
    invitation link to this survey it followed. The organisation's response stays as it
    is. Returns how many ways in were closed."""
    with transaction.atomic():
        closed = 0
        if employer.contacts.filter(pk=user.pk).exists():
            employer.contacts.remove(user)
            closed += 1
        for linked in LinkedAccount.objects.filter(
            invitation__survey=survey, invitation__employer=employer, user=user
        ):
            linked.delete()
            closed += 1
    return closed


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _validated(
    survey: Survey, response: EmployerResponse, answers: dict, *, complete: bool
) -> tuple[list[int], list[tuple[int, int | None, str]]]:
    """The ticked options and the ranks, checked against the survey's rules; every
    mistake found is raised at once, keyed by the form field it belongs to.

    Retired options and skills can no longer be chosen, except by a response that chose
    them before they were retired: its draft is saved again without losing them.
    """
    errors: dict[str, list[str]] = {}

    def error(field, message):
        errors.setdefault(field, []).append(message)

    kept_options = set(response.options.values_list("pk", flat=True)) if response.pk else set()
    kept_skills = (
        set(response.ranks.filter(skill__isnull=False).values_list("skill_id", flat=True))
        if response.pk
        else set()
    )
    options = {o.pk: o for o in survey.options.all()}
    skills = {s.pk: s for s in survey.skills.all()}

    option_ids = []
    for field, kind in OPTION_ANSWERS.items():
        for value in answers.get(field, ()):
            option = options.get(_int_or_none(value))
            if option is None or option.kind != kind:
                error(field, _("One of the ticked answers is not part of this survey."))
            elif not option.is_active and option.pk not in kept_options:
                error(field, _("“%(answer)s” is no longer offered.") % {"answer": option})
            else:
                option_ids.append(option.pk)

    ranks, seen = [], {}
    chosen = [answers.get(f"rank_{rank}", "") or "" for rank in RANKS]
    other_skill = (answers.get("other_skill") or "").strip()
    for rank, value in zip(RANKS, chosen, strict=True):
        field = f"rank_{rank}"
        if not value:
            if any(chosen[rank:]):
                error(
                    field,
                    _("Choose a skill for rank %(rank)s, or move the ones below it up")
                    % {"rank": rank},
                )
            continue
        if value in seen:
            error(
                field,
                _("Choose each skill only once: %(skill)s is ranked %(first)s and %(rank)s")
                % {
                    "skill": _skill_name(value, skills, other_skill),
                    "first": seen[value],
                    "rank": rank,
                },
            )
            continue
        seen[value] = rank
        if value == "other":
            ranks.append((rank, None, other_skill))
            continue
        skill = skills.get(_int_or_none(value))
        if skill is None:
            error(field, _("This skill is not part of this survey."))
        elif not skill.is_active and skill.pk not in kept_skills:
            error(field, _("“%(skill)s” is no longer offered; choose another") % {"skill": skill})
        else:
            ranks.append((rank, skill.pk, ""))
    if "other" in seen and not other_skill:
        error("other_skill", _("Write in the other skill you chose"))
    if other_skill and "other" not in seen:
        error("other_skill", _("Choose “Other” at one of the ranks, or clear this box"))

    if complete:
        for field, message in (
            ("barriers", _("Select at least one barrier, or describe it")),
            ("changes", _("Select at least one change, or describe it")),
        ):
            if not answers.get(field) and not (answers.get(f"{field}_other") or "").strip():
                error(field, message)
        if not chosen[0]:
            error("rank_1", _("Choose at least the most important skill"))
        if not answers.get("apprenticeships"):
            error("apprenticeships", _("Say whether you offer apprenticeships"))
    if errors:
        raise ValidationError(errors)
    return option_ids, ranks


def _skill_name(value: str, skills: dict, other_skill: str) -> str:
    """The skill an answer to a rank names, as the employer sees it in the list."""
    if value == "other":
        return other_skill or _("Other")
    skill = skills.get(_int_or_none(value))
    return skill.name if skill is not None else value


def _write(
    response: EmployerResponse, answers: dict, survey: Survey, *, complete: bool = False
) -> None:
    option_ids, ranks = _validated(survey, response, answers, complete=complete)
    for name in TEXT_ANSWERS:
        setattr(response, name, (answers.get(name) or "").strip())
    response.full_clean(exclude=["survey", "employer"])
    response.save()
    response.options.set(option_ids)
    response.ranks.all().delete()
    SkillRank.objects.bulk_create(
        SkillRank(response=response, rank=rank, skill_id=skill_id, other=other)
        for rank, skill_id, other in ranks
    )


def _locked_response(survey: Survey, employer: Employer) -> EmployerResponse:
    """The organisation's response, locked for this transaction (created if need be)."""
    try:
        with transaction.atomic():
            EmployerResponse.objects.get_or_create(survey=survey, employer=employer)
    except IntegrityError:
        pass  # created at the same moment by another request: lock that one
    return EmployerResponse.objects.select_for_update().get(survey=survey, employer=employer)


def response_save_draft(*, survey: Survey, employer: Employer, answers: dict) -> EmployerResponse:
    """Keep what the employer has answered so far, to come back to. A draft may be partial,
    but what is there must make sense (raises ``ValidationError``, keyed by field)."""
    if not survey.is_open():
        raise SurveyClosed
    with transaction.atomic():
        response = _locked_response(survey, employer)
        if response.is_submitted:
            raise ResponseLocked
        _write(response, answers, survey)
    return response


def response_check(*, survey: Survey, employer: Employer, answers: dict) -> None:
    """Check ``answers`` as submitting them would, writing nothing: every mistake and every
    missing answer at once (raises ``ValidationError``, keyed by field). The check-answers
    step is shown only for answers that could be submitted."""
    response = EmployerResponse.objects.filter(survey=survey, employer=employer).first()
    _validated(
        survey,
        response or EmployerResponse(survey=survey, employer=employer),
        answers,
        complete=True,
    )


def response_submit(
    *,
    survey: Survey,
    employer: Employer,
    answers: dict,
    user=None,
    checked_at: datetime.datetime | None = None,
) -> EmployerResponse:
    """Submit the organisation's answers. Once submitted they are read-only; submitting
    again, from a second tab or a double click, is refused rather than overwriting.
    Every answer the commission needs must be there (raises ``ValidationError``).

    ``checked_at`` is when the draft the employer checked was last saved: if it has been
    saved again since (by a colleague with the same link, or in another tab), nothing is
    submitted (raises ``ResponseChanged``), so no one submits answers they have not seen."""
    if not survey.is_open():
        raise SurveyClosed
    with transaction.atomic():
        response = _locked_response(survey, employer)
        if response.is_submitted:
            raise ResponseLocked
        if checked_at is not None and response.updated_at != checked_at:
            raise ResponseChanged
        _write(response, answers, survey, complete=True)
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = timezone.now()
        response.submitted_by = user if user is not None and user.is_authenticated else None
        response.save(update_fields=["status", "submitted_at", "submitted_by"])
    return response


def findings_announce(*, survey: Survey, sent_by) -> FindingsAnnouncement:
    """Tell each organisation that took part (``selectors.findings_audience``) that the
    current release of the findings is published: once per release, one email each."""
    survey = Survey.objects.get(pk=survey.pk)  # as published now, not as the caller read it
    release = current_release(survey)
    if release is None or not survey.findings_are_public:
        raise ValidationError(_("The findings are not published."))
    audience = selectors.findings_audience(survey)
    if not audience:
        raise ValidationError(_("No organisation that took part can be emailed."))
    try:
        with transaction.atomic():
            announcement = FindingsAnnouncement.objects.create(
                survey=survey, release_number=release.number, sent_by=sent_by, reach=len(audience)
            )
            for invitation in audience:
                emails.post_findings(invitation, release_number=release.number)
    except IntegrityError as error:
        raise ValidationError(
            _("Release %(number)s's findings have already been announced.")
            % {"number": release.number}
        ) from error
    return announcement


def findings_announce_test(*, survey: Survey, to: str) -> None:
    """Email ``to`` (the staff member looking) the announcement as organisations get it."""
    emails.post_findings_test(survey, to=to, stamp=uuid.uuid4().hex)


def invitation_hear_of_progress(*, invitation: Invitation, wanted: bool) -> Invitation:
    """The address an invitation went to asks to hear, or no longer to hear, when the
    commission's recommendations change status (sent by the recommendations app). An
    address that stopped every email about the survey is not written to again."""
    if wanted and invitation.emails_stopped_at is not None:
        raise ValidationError(_("This address asked for no more emails about the survey."))
    invitation.hears_of_progress_at = timezone.now() if wanted else None
    invitation.save(update_fields=["hears_of_progress_at"])
    return invitation


def invitation_stop_emails(*, invitation: Invitation) -> Invitation:
    """The address an invitation went to asks for no more emails about the survey."""
    Invitation.objects.filter(pk=invitation.pk, emails_stopped_at__isnull=True).update(
        emails_stopped_at=timezone.now(), hears_of_progress_at=None
    )
    invitation.refresh_from_db()
    return invitation
