from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.constraints import ConstraintMessagesBesideFields
from common.models import LeavesVersionsAlone
from common.slugs import addressed_elsewhere
from common.validators import within_service_years

# What staff set up and may change of a questionnaire, on its settings page.
SETTINGS_FIELDS = ("title", "opens_at", "closes_at", "introduction", "privacy_notice", "activity")


class Questionnaire(ConstraintMessagesBesideFields, LeavesVersionsAlone, models.Model):
    """A questionnaire that takes answers between its opening and closing times, and whose
    findings staff may publish once it has closed. Subclasses add their own questions and
    the constraint that it closes after it opens, in their own words."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    opens_at = models.DateTimeField(_("opens"), validators=[within_service_years])
    closes_at = models.DateTimeField(_("closes"), validators=[within_service_years])
    introduction = models.TextField(_("introduction"), max_length=5000)
    privacy_notice = models.TextField(
        _("privacy notice"),
        max_length=20000,
        help_text=_("Why the answers are collected, how long they are kept, how to withdraw."),
    )
    activity = models.ForeignKey(
        "milestones.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name=_("roadmap activity"),
    )
    findings_published = models.BooleanField(_("findings published"), default=False)
    findings_summary = models.TextField(_("summary of findings"), max_length=5000, blank=True)

    # The pages addressed by the slug (URL names taking it as their one argument).
    slug_pages: tuple[str, ...] = ()

    class Meta:
        abstract = True
        ordering = ["-opens_at"]

    def __str__(self):
        return self.title

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as invalid:
            errors = invalid.update_error_dict(errors)
        checked = self.slug and "slug" not in errors and "slug" not in (exclude or ())
        if checked and addressed_elsewhere(self.slug, self.slug_pages):
            errors["slug"] = [
                ValidationError(
                    _("“%(slug)s” is the address of another page; choose another."),
                    code="reserved",
                    params={"slug": self.slug},
                )
            ]
        if errors:
            raise ValidationError(errors)

    @classmethod
    def opens_or_closes_next(cls, now):
        """The next moment after ``now`` at which one of them opens or closes, None if none
        will (1 query): public pages that say which are open change then."""
        later = cls.objects.aggregate(
            opens=models.Min("opens_at", filter=models.Q(opens_at__gt=now)),
            closes=models.Min("closes_at", filter=models.Q(closes_at__gt=now)),
        )
        return min((moment for moment in later.values() if moment is not None), default=None)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    @property
    def findings_are_public(self) -> bool:
        """Published, and closed: reopening a questionnaire (moving its close into the
        future) takes its findings down until it closes again, since figures published
        mid-way would change under their readers."""
        return self.findings_published and self.has_closed()


class AnswerOption(ConstraintMessagesBesideFields, models.Model):
    """One answer people can tick, in a list staff can edit. Subclasses say which
    questionnaire it belongs to (``questionnaire_field``) and which questions it answers."""

    questionnaire_field: str

    label = models.CharField(_("answer"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Untick to stop offering it; answers stay.")
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.label
