from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class SentNotification(models.Model):
    """A one-off email the portal has sent, by a key naming what it was about.

    A task claims the key before sending and releases it if the mail server fails, so a
    task run twice, or retried after a failure, sends the email once.
    """

    key = models.CharField(max_length=200, unique=True)
    recipient = models.EmailField()
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "dit_portal_sentnotification"  # its table from when dit_portal held it
        ordering = ["-claimed_at"]
        verbose_name = _("sent notification")
        verbose_name_plural = _("sent notifications")

    def __str__(self):
        return self.key


class PendingTask(models.Model):
    """Background work a change made necessary (a one-off email, mostly), kept until it
    has run.

    Written in the transaction that made it necessary, queued once that commits, and
    deleted when the task succeeds. A row still here later, because the broker was down or
    the task gave up on the mail server, is queued again by Celery beat
    (``queueing.requeue_pending``); every such task is safe to run twice.
    """

    key = models.CharField(max_length=300, db_index=True, editable=False)
    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    queued_at = models.DateTimeField(_("last queued"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("times queued"), default=0)

    class Meta:
        db_table = "dit_portal_pendingtask"  # its table from when dit_portal held it
        ordering = ["created_at", "pk"]
        verbose_name = _("pending task")
        verbose_name_plural = _("pending tasks")

    def __str__(self):
        return self.key


class ReminderDelivery(models.Model):
    """One email about one version (SEQUENCE) of an occurrence (an advisory meeting, a
    reflection session, an event) to one recipient: a reminder at one offset before it
    starts, or an update or cancellation.

    The table is the record of what was sent, and its unique constraint is what makes a
    reminder go at most once, however many scans, workers or retries there are: a send
    claims its row (pending to sending) before sending and marks it sent after.
    """

    class Purpose(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        UPDATE = "update", _("Update")
        CANCELLATION = "cancel", _("Cancellation")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to send")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not needed")

    kind = models.CharField(max_length=20)
    occurrence_id = models.PositiveBigIntegerField()
    recipient = models.EmailField()
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    offset_minutes = models.PositiveIntegerField(default=0)
    # Part of the unique key: a reminder belongs to one start time, so a moved occurrence
    # gets fresh reminders for the offsets still ahead of it.
    sequence = models.PositiveIntegerField(
        default=0, help_text=_("The version (SEQUENCE) of the occurrence this email is about.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_sequence = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "dit_portal_reminderdelivery"  # its table from when dit_portal held it
        ordering = ["-created_at"]
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "kind",
                    "occurrence_id",
                    "recipient",
                    "purpose",
                    "offset_minutes",
                    "sequence",
                ],
                name="reminder_once_per_recipient_occurrence_offset",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["kind", "occurrence_id"]),
        ]

    def __str__(self):
        return f"{self.purpose} {self.kind}:{self.occurrence_id} to {self.recipient}"

    @property
    def offset_label(self) -> str:
        hours = self.offset_minutes // 60
        if hours and hours % 24 == 0:
            days = hours // 24
            return ngettext("%(n)s day before", "%(n)s days before", days) % {"n": days}
        return ngettext("%(n)s hour before", "%(n)s hours before", hours) % {"n": hours}
