"""The employer survey: organisations, invitations, and each organisation's one response.

The commission asked employers about the barriers to recruiting locally, the changes they
would ask for, and the top skills for an entry-level role.
"""

import base64
import hashlib
import hmac
import secrets

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.constraints import ConstraintMessagesBesideFields
from surveys.models import AnswerOption, Questionnaire


class Sector(models.TextChoices):
    TECH = "tech", _("Digital and technology")
    CREATIVE = "creative", _("Creative industries and media")
    FINANCE = "finance", _("Finance and professional services")
    PUBLIC = "public", _("Public sector")
    HEALTH = "health", _("Health and social care")
    EDUCATION = "education", _("Education")
    RETAIL = "retail", _("Retail and hospitality")
    CONSTRUCTION = "construction", _("Construction and property")
    CHARITY = "charity", _("Charity and voluntary sector")
    OTHER = "other", _("Other")


class SizeBand(models.TextChoices):
    MICRO = "micro", _("1 to 9 employees")
    SMALL = "small", _("10 to 49 employees")
    MEDIUM = "medium", _("50 to 249 employees")
    LARGE = "large", _("250 or more employees")


class Employer(models.Model):
    """An organisation that employs people."""

    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices)
    in_borough = models.BooleanField(_("based in the borough"), default=False)
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="employers",
        verbose_name=_("people who can answer for it"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="employer_name_unique",
                violation_error_message=_("An organisation with this name is already listed."),
            ),
        ]

    def __str__(self):
        return self.name


class Survey(Questionnaire):
    constraint_fields = {
        "survey_closes_after_it_opens": "closes_at",
    }

    slug_pages = ("employers:survey", "employers:staff_survey")
    version_fields = ("figures_version",)
    figures_version = models.PositiveBigIntegerField(
        default=0,
        editable=False,
        help_text=_(
            "Moved on with every change to the answers, the employers who gave them or the "
            "lists they answer from; keys the figures cache."
        ),
    )

    class Meta(Questionnaire.Meta):
        verbose_name = _("employer survey")
        verbose_name_plural = _("employer surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_it_opens",
                violation_error_message=_("The survey must close after it opens."),
            ),
        ]

    def get_absolute_url(self):
        return reverse("employers:survey", args=[self.slug])


class OptionKind(models.TextChoices):
    BARRIER = "barrier", _("Barrier to local recruitment")
    CHANGE = "change", _("Change asked for")
    OFFER = "offer", _("What the employer would offer")


class SurveyOption(AnswerOption):
    """An answer employers can tick, in a list staff can edit."""

    constraint_fields = {
        "survey_option_label_unique": "label",
    }

    questionnaire_field = "survey"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="options")
    kind = models.CharField(_("question"), max_length=10, choices=OptionKind.choices)

    class Meta:
        ordering = ["survey", "kind", "position", "pk"]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "kind", "label"],
                name="survey_option_label_unique",
                violation_error_message=_("This list already has an option with that label."),
            ),
        ]


class Skill(ConstraintMessagesBesideFields, models.Model):
    """A skill employers can rank among the top five for an entry-level role."""

    constraint_fields = {
        "skill_name_unique": "name",
    }

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(_("skill"), max_length=150)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["survey", "position", "name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "name"],
                name="skill_name_unique",
                violation_error_message=_("This survey already lists a skill with that name."),
            ),
        ]

    def __str__(self):
        return self.name


class AdvertTerm(ConstraintMessagesBesideFields, models.Model):
    """A word or phrase the job advert checker looks for, in a list the council edits in the
    admin: role titles (a coded word inside one is not counted), jargon (with plainer
    words), acronyms (with what they stand for) and acronyms everyone knows (never asked to
    be spelt out)."""

    class Kind(models.TextChoices):
        ROLE_TITLE = "role_title", _("Role title")
        JARGON = "jargon", _("Jargon")
        ACRONYM = "acronym", _("Acronym")
        COMMON_ACRONYM = "common_acronym", _("Acronym everyone knows")

    constraint_fields = {"advert_term_unique": "term"}

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    term = models.CharField(
        _("word or phrase"),
        max_length=80,
        help_text=_("Matched whatever its capitals, and with an s on the end."),
    )
    plain = models.CharField(
        _("plainer words, or what it stands for"),
        max_length=200,
        blank=True,
        help_text=_("For jargon, the words to use instead; for an acronym, written in full."),
    )

    class Meta:
        ordering = ["kind", "term"]
        verbose_name = _("job advert term")
        verbose_name_plural = _("job advert terms")
        constraints = [
            models.UniqueConstraint(
                Lower("term"),
                "kind",
                name="advert_term_unique",
                violation_error_message=_("This list already has that word or phrase."),
            ),
        ]

    def __str__(self):
        return self.term


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(16)


def token_for(salt: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"invitation:{salt}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


class Invitation(models.Model):
    """A link to the survey for one organisation, sent to one address, until it expires.

    The link's token is an HMAC of a random salt under the SECRET_KEY, so it can be sent
    again without being stored; only its hash is kept, for looking it up. A leaked
    database alone does not give working links.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("sent to"))
    salt = models.CharField(max_length=32, default=new_salt, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The address asked for no more emails about the survey (its findings), in one click.
    emails_stopped_at = models.DateTimeField(_("emails stopped"), null=True, blank=True)
    # The address asked to hear of the commission's progress on its recommendations.
    hears_of_progress_at = models.DateTimeField(
        _("asked to hear of progress"), null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.employer} – {self.email}"

    def get_absolute_url(self):
        return reverse("employers:invitation", args=[self.token])

    def has_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    @property
    def token(self) -> str:
        return token_for(self.salt)


class FindingsAnnouncement(models.Model):
    """The organisations that took part were emailed that a release of the survey's
    findings is published: once per release."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="announcements")
    release_number = models.PositiveIntegerField(_("release"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reach = models.PositiveIntegerField(_("organisations emailed"), default=0)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("findings announcement")
        verbose_name_plural = _("findings announcements")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "release_number"],
                name="findings_announced_once_per_release",
                violation_error_message=_("This release's findings have already been announced."),
            ),
        ]

    def __str__(self):
        return f"{self.survey}, release {self.release_number}"


class LinkedAccount(models.Model):
    """An account that followed an invitation link while signed in: it answers for the
    organisation from any browser for as long as that link works. Sending the invitation
    again (a new link) or the link's expiry ends it, as it ends access in every browser
    session that opened the old link. Contacts staff add (``Employer.contacts``) stay."""

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="linked_accounts"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    linked_at = models.DateTimeField(_("linked"), default=timezone.now)

    class Meta:
        ordering = ["linked_at"]
        verbose_name = _("account linked by an invitation")
        verbose_name_plural = _("accounts linked by invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "user"],
                name="account_linked_once_per_invitation",
                violation_error_message=_("This account is already linked by the invitation."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.invitation.employer}"


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Apprenticeships(models.TextChoices):
    YES = "yes", _("Yes")
    PLANNING = "planning", _("Not yet, but we plan to")
    NO = "no", _("No")


class EmployerResponse(models.Model):
    """An organisation's answers to a survey: a draft until submitted, then read-only."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="responses")
    status = models.CharField(
        _("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    options = models.ManyToManyField(SurveyOption, blank=True, related_name="responses")
    barriers_other = models.TextField(_("other barriers"), max_length=2000, blank=True)
    changes_other = models.TextField(_("other changes"), max_length=2000, blank=True)
    offers_other = models.TextField(_("other offers"), max_length=2000, blank=True)
    entry_level_roles = models.TextField(
        _("entry-level roles offered"), max_length=2000, blank=True
    )
    apprenticeships = models.CharField(
        _("apprenticeships offered"), max_length=10, choices=Apprenticeships.choices, blank=True
    )
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("employer response")
        verbose_name_plural = _("employer responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "employer"],
                name="one_response_per_employer_per_survey",
                violation_error_message=_(
                    "This organisation already has a response to this survey."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status=ResponseStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="submitted_response_has_a_time",
                violation_error_message=_("A submitted response needs the time it was submitted."),
            ),
        ]

    def __str__(self):
        return f"{self.employer} – {self.survey}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


class SkillRank(ConstraintMessagesBesideFields, models.Model):
    """One of an employer's top five skills, at its rank (1 is the most important)."""

    constraint_fields = {
        "one_skill_per_rank": "rank",
        "no_skill_ranked_twice": "skill",
        "rank_one_to_five": "rank",
    }

    response = models.ForeignKey(EmployerResponse, on_delete=models.CASCADE, related_name="ranks")
    rank = models.PositiveSmallIntegerField()
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, null=True, blank=True)
    other = models.CharField(_("other skill"), max_length=150, blank=True)

    class Meta:
        ordering = ["response", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "rank"],
                name="one_skill_per_rank",
                violation_error_message=_("Put one skill at each rank."),
            ),
            models.UniqueConstraint(
                fields=["response", "skill"],
                condition=Q(skill__isnull=False),
                name="no_skill_ranked_twice",
                violation_error_message=_("Rank each skill only once."),
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=5),
                name="rank_one_to_five",
                violation_error_message=_("Ranks go from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=(Q(skill__isnull=False) & Q(other=""))
                | (Q(skill__isnull=True) & ~Q(other="")),
                name="rank_is_a_listed_skill_or_other",
                violation_error_message=_("Choose a skill from the list, or describe another one."),
            ),
        ]

    def __str__(self):
        return f"{self.rank}. {self.skill or self.other}"


for model in (Survey, SurveyOption, Skill, Employer, AdvertTerm):
    auditlog.register(model)
# Responses are audited by status only: copying the answers into the audit history would
# keep them after the response itself is deleted under the retention rules.
auditlog.register(EmployerResponse, include_fields=["status", "submitted_at", "submitted_by"])
# Invitations are audited without their salt and token hash: with the SECRET_KEY the salt
# gives the working link, and the audit history is shown to every admin.
auditlog.register(Invitation, exclude_fields=["salt", "token_hash"])
auditlog.register(LinkedAccount)
