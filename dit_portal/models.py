from auditlog.registry import auditlog
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import roles


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Email is the login; there is no username."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        help_text=_("Can sign in to the Django admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_case_insensitive"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def group_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    @property
    def is_commission_staff(self) -> bool:
        return self.is_superuser or roles.COMMISSION_STAFF in self.group_names

    @property
    def is_network_coordinator(self) -> bool:
        return self.is_superuser or roles.NETWORK_COORDINATORS in self.group_names

    @property
    def has_staff_role(self) -> bool:
        """Commission staff, coordinators, admins and anyone with admin-site access.

        These are the people who must use MFA.
        """
        return (
            self.is_superuser or self.is_staff or bool(self.group_names & set(roles.STAFF_GROUPS))
        )


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


# Who gave whom which role, and who switched an account off.
auditlog.register(
    User, include_fields=["is_active", "is_staff", "is_superuser"], m2m_fields={"groups"}
)
