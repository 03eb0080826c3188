"""Every write to the employer survey goes through here."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dit_portal.queueing import enqueue_on_commit

from . import tasks
from .models import (
    Employer,
    EmployerResponse,
    Invitation,
    OptionKind,
    ResponseStatus,
    Skill,
    SkillRank,
    Survey,
    SurveyOption,
    hash_token,
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


class InvitationInvalid(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "unknown" or "expired"


def survey_create(
    *,
    title: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    introduction: str,
    privacy_notice: str,
    activity=None,
    slug: str = "",
) -> Survey:
    """Set up a survey with the starting answer and skills lists, which staff can edit."""
    survey = Survey(
        title=title,
        slug=slug or slugify(title)[:200],
        opens_at=opens_at,
        closes_at=closes_at,
        introduction=introduction,
        privacy_notice=privacy_notice,
        activity=activity,
    )
    survey.full_clean()
    defaults = json.loads(DEFAULTS.read_text(encoding="utf-8"))
    with transaction.atomic():
        survey.save()
        SurveyOption.objects.bulk_create(
            SurveyOption(survey=survey, kind=kind, label=label, position=i)
            for kind in OptionKind.values
            for i, label in enumerate(defaults[kind])
        )
        Skill.objects.bulk_create(
            Skill(survey=survey, name=name, position=i) for i, name in enumerate(defaults["skill"])
        )
    return survey


def survey_update(*, survey: Survey, **fields) -> Survey:
    """Change a survey's details (title, dates, texts, roadmap activity)."""
    editable = {"title", "opens_at", "closes_at", "introduction", "privacy_notice", "activity"}
    unknown = set(fields) - editable
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.full_clean()
    survey.save()
    return survey


def option_save(
    *, survey: Survey, kind: str, label: str, option: SurveyOption | None = None, is_active=True
) -> SurveyOption:
    """Add an answer to one of the lists, or rename or retire one."""
    option = option or SurveyOption(survey=survey, kind=kind)
    option.label = label.strip()
    option.is_active = is_active
    if option.pk is None:
        option.position = survey.options.filter(kind=kind).count()
    option.full_clean()
    option.save()
    return option


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
    editable = {"name", "sector", "size_band", "in_borough"}
    unknown = set(fields) - editable
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    employer = employer or Employer()
    for name, value in fields.items():
        setattr(employer, name, value.strip() if isinstance(value, str) else value)
    employer.full_clean()
    employer.save()
    return employer


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
        enqueue_on_commit(tasks.send_invitation, invitation.pk)
    return invitation


def invitation_resend(*, invitation: Invitation) -> Invitation:
    """Send the same link again, valid for another full period."""
    invitation.expires_at = timezone.now() + datetime.timedelta(
        days=settings.INVITATION_EXPIRY_DAYS
    )
    with transaction.atomic():
        invitation.save(update_fields=["expires_at"])
        enqueue_on_commit(tasks.send_invitation, invitation.pk)
    return invitation


def invitation_open(*, token: str, user=None) -> Invitation:
    """Follow an invitation link. Records when it was first opened; a signed-in person
    who follows it becomes able to answer for the organisation from their account."""
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
        invitation.employer.contacts.add(user)
    return invitation


def _validated(
    survey: Survey, answers: dict
) -> tuple[list[int], list[tuple[int, int | None, str]]]:
    wanted = {
        int(pk): kind for field, kind in OPTION_ANSWERS.items() for pk in answers.get(field, ())
    }
    found = dict(survey.options.filter(pk__in=wanted).values_list("pk", "kind"))
    if found != wanted:
        raise ValidationError(_("One of the ticked answers is not part of this survey."))
    ranks = []
    skill_ids = set(survey.skills.values_list("pk", flat=True))
    for rank in RANKS:
        value = answers.get(f"rank_{rank}", "")
        if value == "other":
            ranks.append((rank, None, answers.get("other_skill", "").strip()))
        elif value:
            if int(value) not in skill_ids:
                raise ValidationError(_("One of the ranked skills is not part of this survey."))
            ranks.append((rank, int(value), ""))
    return list(wanted), ranks


def _write(response: EmployerResponse, answers: dict, survey: Survey) -> None:
    option_ids, ranks = _validated(survey, answers)
    for name in TEXT_ANSWERS:
        setattr(response, name, answers.get(name, "").strip())
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
    """Keep what the employer has answered so far, to come back to."""
    if not survey.is_open():
        raise SurveyClosed
    with transaction.atomic():
        response = _locked_response(survey, employer)
        if response.is_submitted:
            raise ResponseLocked
        _write(response, answers, survey)
    return response


def response_submit(
    *, survey: Survey, employer: Employer, answers: dict, user=None
) -> EmployerResponse:
    """Submit the organisation's answers. Once submitted they are read-only; submitting
    again, from a second tab or a double click, is refused rather than overwriting."""
    if not survey.is_open():
        raise SurveyClosed
    with transaction.atomic():
        response = _locked_response(survey, employer)
        if response.is_submitted:
            raise ResponseLocked
        _write(response, answers, survey)
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = timezone.now()
        response.submitted_by = user if user is not None and user.is_authenticated else None
        response.save(update_fields=["status", "submitted_at", "submitted_by"])
    return response


def findings_publish(*, survey: Survey, summary: str) -> Survey:
    """Publish the aggregate findings of a closed survey."""
    if not survey.has_closed():
        raise ValidationError(_("Findings can only be published once the survey closes."))
    survey.findings_published = True
    survey.findings_summary = summary
    survey.save(update_fields=["findings_published", "findings_summary"])
    return survey


def findings_withdraw(*, survey: Survey) -> Survey:
    survey.findings_published = False
    survey.save(update_fields=["findings_published"])
    return survey
