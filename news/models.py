"""Opportunities the commission and the network tell people about: a training course, a
job fair, an apprenticeship scheme, a showcase. Each is sent once, by email, to residents
who asked for news on its topics and to network members who asked for the network's
news, and then stays in the public archive."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.constraints import ConstraintMessagesBesideFields
from common.fields import HttpsURLField
from common.validators import within_service_years
from consultation.models import NewsTopic


class Opportunity(ConstraintMessagesBesideFields, models.Model):
    constraint_fields = {"opportunity_has_an_audience": "to_residents"}

    title = models.CharField(_("title"), max_length=150)
    text = models.TextField(_("what it is"), max_length=3000)
    link = HttpsURLField(_("link for more"), blank=True)
    closes_on = models.DateField(
        _("closing date"), null=True, blank=True, validators=[within_service_years]
    )
    topics = models.ManyToManyField(
        NewsTopic,
        blank=True,
        related_name="opportunities",
        verbose_name=_("topics"),
        help_text=_("Residents who chose any of these hear of it; none chosen: every resident."),
    )
    to_residents = models.BooleanField(_("residents who asked for news"), default=True)
    to_members = models.BooleanField(_("network members who asked for its news"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reach_residents = models.PositiveIntegerField(_("residents sent it"), default=0)
    reach_members = models.PositiveIntegerField(_("members sent it"), default=0)

    class Meta:
        ordering = ["-sent_at", "-created_at", "-pk"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        # Residents agreed to hear from the commission, members asked for the network's
        # news: each audience is written to by its own side.
        permissions = [
            ("send_to_residents", _("Can send opportunities to residents")),
            ("send_to_members", _("Can send opportunities to network members")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_residents=True) | Q(to_members=True),
                name="opportunity_has_an_audience",
                violation_error_message=_("Choose who to send it to: residents, members or both."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:archive") + f"#opportunity-{self.pk}"


auditlog.register(Opportunity)
