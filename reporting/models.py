from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Release(models.Model):
    """A frozen snapshot of what was published about one questionnaire: every table as it
    was on the day, suppression included, with the audit that let it out.

    The public findings page and every public download show the current release, never
    live counts, so answers added later change nothing public until staff publish again;
    the next release is audited together with every one before it (withdrawn ones too,
    since they were once public). The counts under each suppressed figure are kept for
    those audits and never shown.
    """

    questionnaire_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    questionnaire_id = models.PositiveBigIntegerField()
    questionnaire = GenericForeignKey("questionnaire_type", "questionnaire_id")
    number = models.PositiveIntegerField(_("release"))
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.TextField(_("summary of findings"), max_length=5000, blank=True)
    tables = models.JSONField(default=dict, editable=False)
    audit = models.JSONField(default=dict, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["questionnaire_type", "questionnaire_id", "-number"]
        verbose_name = _("published release")
        verbose_name_plural = _("published releases")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire_type", "questionnaire_id", "number"],
                name="release_number_unique_per_questionnaire",
                violation_error_message=_(
                    "This release number is already taken for these findings."
                ),
            )
        ]

    def __str__(self):
        return f"Release {self.number} ({self.published_at:%d %b %Y})"


class Publication(models.Model):
    """Staff asking for a questionnaire's findings to be published. The disclosure audit
    can take a while on a large questionnaire, so it runs in the background: staff see it
    waiting, then checking (with how far it has got), then its outcome: a new release, or
    the reasons it was refused. One at a time per questionnaire."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting to start")
        CHECKING = "checking", _("Checking the figures")
        PUBLISHED = "published", _("Published")
        REFUSED = "refused", _("Refused")
        FAILED = "failed", _("Stopped with an error")

    UNDER_WAY = (Status.WAITING, Status.CHECKING)

    questionnaire_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    questionnaire_id = models.PositiveBigIntegerField()
    questionnaire = GenericForeignKey("questionnaire_type", "questionnaire_id")
    summary = models.TextField(_("summary of findings"), max_length=5000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("asked for"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.WAITING)
    # How far the check has got: {"stage": "counting" | "checking", "rounds", "hidden"}.
    progress = models.JSONField(default=dict, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Why it was refused or stopped, in words for staff.
    outcome = models.JSONField(default=list, editable=False)
    release = models.OneToOneField(
        Release, on_delete=models.SET_NULL, null=True, blank=True, related_name="publication"
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("publishing run")
        verbose_name_plural = _("publishing runs")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire_type", "questionnaire_id"],
                condition=models.Q(status__in=["waiting", "checking"]),
                name="one_publication_under_way_per_questionnaire",
                violation_error_message=_("These findings are already being published."),
            )
        ]

    def __str__(self):
        return f"{self.get_status_display()} ({self.requested_at:%d %b %Y %H:%M})"

    @property
    def under_way(self) -> bool:
        return self.status in self.UNDER_WAY
