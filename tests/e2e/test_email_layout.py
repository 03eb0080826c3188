"""The portal's emails read on a phone: the HTML part of an invitation (with its long
reply links) and of an opportunity, opened in Chromium at 320 px, is no wider than the
screen, keeps a readable size of text, and has no axe violation. Kept as screenshots."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from consultation import services as consultation_services
from news import services as news_services
from notifications import outbox
from tests.consultation.factories import ConsultationFactory
from tests.e2e.conftest import ARTIFACTS
from tests.milestones.factories import AdvisoryMeetingFactory, AdvisoryMemberFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def emails_sent():
    outbox.dispatch(enqueue=outbox.deliver)
    return {m.subject.split(":")[0]: m.alternatives[0][0] for m in mail.outbox}


def test_emails_fit_a_320_px_phone(visitors, commission_staff):
    start = timezone.now() + datetime.timedelta(days=20)
    AdvisoryMeetingFactory(
        title="Advisory Group Meeting: the skills offer and what residents told us",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        location="Hackney Town Hall, Mare Street, London E8 1EA",
        members=[AdvisoryMemberFactory(email="a.very.long.name.for.an.adviser@example.org")],
    )
    consultation_services.contact_add(
        consultation=ConsultationFactory(), email="res@example.org", consent_text="Yes"
    )
    opportunity = news_services.opportunity_save(
        title="Free cloud skills course", text="Twelve weeks, evenings.", to_residents=True
    )
    news_services.opportunity_send(opportunity=opportunity, sent_by=commission_staff)
    html = emails_sent()
    assert {"Invitation", "Opportunity"} <= set(html)

    phone = visitors(width=320)
    folder = ARTIFACTS / "emails"
    folder.mkdir(parents=True, exist_ok=True)
    problems = []
    for kind in ("Invitation", "Opportunity"):
        phone.page.set_content(html[kind])
        overflow = phone.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        size = phone.page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('p')).fontSize)"
        )
        if overflow > 0:
            problems.append(f"{kind}: {overflow}px wider than a 320 px screen")
        if size < 16:
            problems.append(f"{kind}: text {size}px")
        problems += [f"{kind}: {text}" for _rule, text in phone.axe()]
        phone.page.screenshot(path=str(folder / f"{kind.lower()}-320.png"), full_page=True)
    assert problems == []
