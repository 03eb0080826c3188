"""Demo data for ``seed_demo``: an open employer survey, with the demo employer contact
invited for a demo organisation."""

import datetime

from django.utils import timezone

from . import services
from .models import Employer, Invitation, Sector, SizeBand, Survey


def seed(*, contact, activity=None) -> tuple[Survey, Invitation]:
    survey = Survey.objects.filter(slug="recruiting-locally").first()
    if survey is None:
        now = timezone.now()
        survey = services.survey_create(
            title="Recruiting locally for digital tech roles",
            slug="recruiting-locally",
            opens_at=now - datetime.timedelta(days=7),
            closes_at=now + datetime.timedelta(days=60),
            introduction=(
                "The Diversity in Tech commission asks employers what makes it hard to recruit "
                "local people into digital tech roles, what would help, and the top skills for "
                "an entry-level role."
            ),
            privacy_notice=(
                "Your organisation's answers are used to understand local recruitment and are "
                "published only as totals that name no organisation. The contact name you give "
                "is used only to follow up your offers. Answers are kept for five years."
            ),
            activity=activity,
        )
    employer = Employer.objects.filter(name="Demo Digital Ltd").first() or services.employer_save(
        name="Demo Digital Ltd", sector=Sector.TECH, size_band=SizeBand.SMALL, in_borough=True
    )
    employer.contacts.add(contact)
    invitation = Invitation.objects.filter(
        survey=survey, employer=employer, expires_at__gt=timezone.now()
    ).first() or services.invitation_create(
        survey=survey, employer=employer, email=contact.email, invited_by=None
    )
    return survey, invitation
