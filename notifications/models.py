import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    """One email to one recipient, from the moment something made it necessary until it
    was sent, failed for good or was no longer needed: the portal's one outbox.

    ``key`` names what the message is (an invitation link, a decision, a reminder at one
    offset before one version of a meeting) and is unique, so however many requests,
    scans, workers or retries ask for it, it is recorded once and sent once. A send claims
    the row (waiting to sending) first and marks it after; a claim older than
    ``EMAIL_CLAIM_TIMEOUT_SECONDS`` is a worker that died, and the message goes again
    under the same ``Message-ID`` so that mail programs show one copy.

    ``topic`` names the registered builder that writes it at send time
    (``notifications.outbox.topic``); ``about_kind``, ``about_id`` and ``sequence`` say
    which occurrence, and which version of it, the message is about, if any.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to send")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not needed")

    key = models.CharField(max_length=300, unique=True, editable=False)
    topic = models.CharField(_("kind"), max_length=60)
    recipient = models.EmailField(_("to"))
    params = models.JSONField(default=dict, blank=True)
    about_kind = models.CharField(max_length=20, blank=True)
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(
        default=0, help_text=_("The version (SEQUENCE) of the occurrence this email is about.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, db_index=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["about_kind", "about_id"]),
            models.Index(fields=["topic", "created_at"]),
        ]

    def __str__(self):
        return f"{self.topic} to {self.recipient}"

    @property
    def message_id(self) -> str:
        """The same on every attempt, so a copy sent twice (a worker that died after the
        mail server took it) is one message to mail programs."""
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:40]
        return f"<{digest}@{settings.CALENDAR_UID_DOMAIN}>"


class CalendarFeed(models.Model):
    """A person's own calendar address: every meeting, reflection session and event they
    are invited to or hold a place at (``notifications.calendars``). The address is signed
    from the account and ``nonce``; a new nonce retires every address given before, and
    deleting the row stops the feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(_("made"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)
