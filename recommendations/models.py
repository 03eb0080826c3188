"""The commission's recommendations, what they rest on and what delivers them.

A recommendation is traced to its evidence: published figures (always read from a frozen,
disclosure-audited release, never from live counts), consultation themes with quotes staff
checked for identifying details, roadmap activities and documents of the evidence library.
The roadmap activities that deliver it are its actions; its progress is counted from them.
"""

import uuid

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.constraints import ConstraintMessagesBesideFields
from common.fields import HttpsURLField
from common.uploads import kind_of, stored_kind, validate_document
from common.validators import within_service_years
from consultation.models import Response, Theme
from milestones.models import Activity, Precision
from reporting.models import Release


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_TAKEN_FORWARD = "not_taken_forward", _("Not taken forward")


class Recommendation(ConstraintMessagesBesideFields, models.Model):
    """One of the commission's recommendations. Drafts (not yet published) are for staff
    only: the public pages, the API and the news see published ones."""

    constraint_fields = {
        "recommendation_not_taken_forward_says_why": "status_reason",
        "recommendation_month_target_is_first_of_month": "target_on",
    }

    number = models.PositiveSmallIntegerField(
        _("number"),
        unique=True,
        error_messages={"unique": _("Another recommendation already has this number.")},
    )
    slug = models.SlugField(_("address"), max_length=120, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what the commission recommends"), max_length=5000)
    owner = models.CharField(
        _("owner"),
        max_length=150,
        help_text=_("The council team or partner responsible, e.g. Economic Development, JSFL."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    status_reason = models.TextField(
        _("why it was not taken forward"),
        max_length=2000,
        blank=True,
        help_text=_("Required when a recommendation is not taken forward; shown to the public."),
    )
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    target_on = models.DateField(
        _("target date"), null=True, blank=True, validators=[within_service_years]
    )
    target_precision = models.CharField(
        _("target given as"), max_length=5, choices=Precision.choices, default=Precision.MONTH
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    is_example = models.BooleanField(
        _("example"),
        default=False,
        help_text=_("Demonstration data, marked as an example wherever it is shown."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.NOT_TAKEN_FORWARD) | ~Q(status_reason=""),
                name="recommendation_not_taken_forward_says_why",
                violation_error_message=_("Say why the recommendation is not being taken forward."),
            ),
            models.CheckConstraint(
                condition=Q(target_on__isnull=True)
                | Q(target_precision=Precision.DAY)
                | Q(target_on__day=1),
                name="recommendation_month_target_is_first_of_month",
                violation_error_message=_(
                    "A target given as a month is stored as the first of that month."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("recommendations:detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ProgressUpdate(models.Model):
    """A dated note of progress by staff, and with it any change of status: the
    recommendation's public history."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="updates"
    )
    written_on = models.DateField(
        _("date"), default=timezone.localdate, validators=[within_service_years]
    )
    text = models.TextField(_("progress"), max_length=3000, blank=True)
    status_from = models.CharField(max_length=20, choices=Status.choices, blank=True)
    status_to = models.CharField(max_length=20, choices=Status.choices, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    posted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_on", "-posted_at", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(status_to=""),
                name="progress_update_says_something",
                violation_error_message=_("Write what has happened."),
            ),
        ]

    def __str__(self):
        return f"{self.recommendation.number}: {self.written_on:%d %b %Y}"


class DocumentKind(models.TextChoices):
    DATA_ANALYSIS = "data_analysis", _("Data analysis")
    LITERATURE_REVIEW = "literature_review", _("Literature review")
    CABINET_PAPER = "cabinet_paper", _("Cabinet paper")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other document")


def document_path(document: "Document", filename: str) -> str:
    """A random name with the extension of the kind the content is, never the upload's."""
    kind = kind_of(document.file)
    return f"evidence/{uuid.uuid4().hex}.{kind.extension if kind else 'bin'}"


class Document(ConstraintMessagesBesideFields, models.Model):
    """A document of the evidence library: the data analysis, the literature review, the
    Cabinet paper, the report. Public once published; a file on the portal or a link."""

    constraint_fields = {"document_has_a_file_or_a_link": "file"}

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=120, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    published_on = models.DateField(_("date"), validators=[within_service_years])
    published_precision = models.CharField(
        _("date given as"), max_length=5, choices=Precision.choices, default=Precision.MONTH
    )
    summary = models.TextField(_("summary"), max_length=3000)
    file = models.FileField(
        _("file"),
        upload_to=document_path,
        blank=True,
        max_length=200,
        validators=[validate_document],
    )
    url = HttpsURLField(_("link"), blank=True)
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("roadmap activity that produced it"),
    )
    is_published = models.BooleanField(_("published"), default=False)
    is_example = models.BooleanField(_("example"), default=False)

    class Meta:
        ordering = ["published_on", "pk"]
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="document_has_a_file_or_a_link",
                violation_error_message=_("Upload a file or give a link, not both."),
            ),
            models.CheckConstraint(
                condition=Q(published_precision=Precision.DAY) | Q(published_on__day=1),
                name="document_month_date_is_first_of_month",
                violation_error_message=_(
                    "A date given as a month is stored as the first of that month."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("recommendations:evidence") + f"#{self.slug}"

    @property
    def file_kind(self):
        """The kind of an uploaded file, or None for a link."""
        return stored_kind(self.file)


class EvidenceKind(models.TextChoices):
    FIGURE = "figure", _("Published figure")
    ACTIVITY = "activity", _("Roadmap activity")
    DOCUMENT = "document", _("Document")


class Evidence(ConstraintMessagesBesideFields, models.Model):
    """What a recommendation rests on. A figure is a row of a table of a published
    release (the release, the table's name and the row's key), shown as that release
    published it; when the table is a consultation's themes, ``theme`` is the theme."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    release = models.ForeignKey(
        Release, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    table = models.CharField(_("table"), max_length=100, blank=True)
    row_key = models.CharField(_("row"), max_length=50, blank=True)
    label = models.CharField(_("what it counts"), max_length=300, blank=True)
    # The figure as its release published it, copied when linked (``figures.snapshot``).
    figure = models.JSONField(default=dict, editable=False)
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence"
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    note = models.CharField(
        _("what it shows"),
        max_length=500,
        blank=True,
        help_text=_("In a sentence: why this evidence matters to the recommendation."),
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recommendation", "kind", "added_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=EvidenceKind.FIGURE,
                        release__isnull=False,
                        activity__isnull=True,
                        document__isnull=True,
                    )
                    & ~Q(table="")
                    & ~Q(row_key="")
                )
                | Q(
                    kind=EvidenceKind.ACTIVITY,
                    release__isnull=True,
                    activity__isnull=False,
                    document__isnull=True,
                )
                | Q(
                    kind=EvidenceKind.DOCUMENT,
                    release__isnull=True,
                    activity__isnull=True,
                    document__isnull=False,
                ),
                name="evidence_is_one_thing",
                violation_error_message=_(
                    "Evidence is one published figure, one activity or one document."
                ),
            ),
            models.UniqueConstraint(
                fields=["recommendation", "release", "table", "row_key"],
                condition=Q(kind=EvidenceKind.FIGURE),
                name="figure_evidence_once",
                violation_error_message=_("This figure is already evidence for it."),
            ),
            models.UniqueConstraint(
                fields=["recommendation", "activity"],
                name="activity_evidence_once",
                violation_error_message=_("This activity is already evidence for it."),
            ),
            models.UniqueConstraint(
                fields=["recommendation", "document"],
                name="document_evidence_once",
                violation_error_message=_("This document is already evidence for it."),
            ),
        ]

    def __str__(self):
        return self.label or str(self.activity or self.document)


class Quote(models.Model):
    """Words from a resident's answer, quoted beside a theme. Shown publicly only once
    staff have checked them for identifying details and marked them fit to publish;
    changing the words takes the mark away. Goes with the answer when it is erased."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="quotes")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(
        _("words to quote"),
        max_length=1000,
        help_text=_(
            "Take out names, places, employers and anything else that could identify "
            "someone; mark the cuts with [...]."
        ),
    )
    fit_to_publish = models.BooleanField(_("checked and fit to publish"), default=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["evidence", "pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.CheckConstraint(
                condition=Q(fit_to_publish=False) | Q(checked_at__isnull=False),
                name="quote_fit_only_when_checked",
                violation_error_message=_("A quote is fit to publish only once checked."),
            ),
        ]

    def __str__(self):
        return self.text[:60]


class Action(models.Model):
    """A roadmap activity that delivers the recommendation."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="recommendation_actions"
    )
    note = models.CharField(_("how it delivers it"), max_length=300, blank=True)

    class Meta:
        ordering = ["recommendation", "activity__starts_on", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "activity"],
                name="action_once_per_recommendation",
                violation_error_message=_("This activity already delivers it."),
            ),
        ]

    def __str__(self):
        return str(self.activity)


auditlog.register(Recommendation)
auditlog.register(ProgressUpdate)
auditlog.register(Evidence)
# A resident's words are not copied into the audit log: they go when the answer is erased.
auditlog.register(Quote, exclude_fields=["text", "response"])
auditlog.register(Action)
auditlog.register(Document)
