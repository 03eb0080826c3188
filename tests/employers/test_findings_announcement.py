"""Organisations that took part in the employer survey are told when its findings are
published: staff see how many, send themselves a test, then email them once per release,
each with a one-click stop (RFC 8058)."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from employers import emails, services
from employers.models import FindingsAnnouncement, Invitation
from notifications import outbox
from notifications.models import Message
from tests.employers.factories import EmployerFactory, SurveyFactory
from tests.employers.test_survey import complete_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(commission_staff):
    """A survey seven organisations answered, one only drafted, with one whose address was
    replaced by a later invitation; closed, its findings published."""
    survey = SurveyFactory(closes_at=datetime.datetime(2027, 1, 31, tzinfo=datetime.UTC))
    with time_machine.travel(datetime.datetime(2027, 1, 10, tzinfo=datetime.UTC)):
        for n in range(7):
            employer = EmployerFactory(name=f"Organisation {n}")
            services.invitation_create(
                survey=survey, employer=employer, email=f"old{n}@example.org", invited_by=None
            )
            if n == 0:
                services.invitation_create(
                    survey=survey, employer=employer, email="new0@example.org", invited_by=None
                )
            services.response_submit(
                survey=survey, employer=employer, answers=complete_answers(survey)
            )
        drafted = EmployerFactory(name="Only drafted")
        services.invitation_create(
            survey=survey, employer=drafted, email="draft@example.org", invited_by=None
        )
        services.response_save_draft(
            survey=survey, employer=drafted, answers=complete_answers(survey)
        )
    Message.objects.all().delete()  # the invitations went long ago
    return survey


def publish(survey, publish_as_staff):
    publish_as_staff(
        reverse("employers:findings_manage", args=[survey.slug]), "What employers told us."
    )


def send_due():
    return outbox.dispatch(enqueue=outbox.deliver)


AFTER = time_machine.travel(datetime.datetime(2027, 2, 10, tzinfo=datetime.UTC))


def test_staff_test_then_email_each_organisation_that_took_part_once(
    survey, client_for, commission_staff, publish_as_staff, mailoutbox
):
    with AFTER:
        publish(survey, publish_as_staff)
        staff = client_for(commission_staff)
        page = staff.get(reverse("employers:findings_manage", args=[survey.slug])).content
        assert "7 organisations that took part can be told" in page.decode()

        announce = reverse("employers:findings_announce", args=[survey.slug])
        staff.post(announce, {"action": "test"})
        send_due()
        (test,) = mailoutbox
        assert (test.to, test.subject.startswith("[Test] Findings published")) == (
            [commission_staff.email],
            True,
        )

        asked = staff.post(announce).content.decode()
        assert "Email 7 organisations?" in asked
        staff.post(announce, {"confirmed": "yes"})
        staff.post(announce, {"confirmed": "yes"})  # again: refused, nothing more goes
        send_due()
        send_due()

    sent = sorted(m.to[0] for m in mailoutbox[1:])
    assert sent == ["new0@example.org"] + [f"old{n}@example.org" for n in range(1, 7)]
    assert FindingsAnnouncement.objects.get().reach == 7
    email = mailoutbox[1]
    assert "The figures are for all employers together; no organisation is named." in email.body
    assert f"/employers/survey/{survey.slug}/findings/" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_organisation_stops_the_emails_in_one_click(
    survey, commission_staff, publish_as_staff, mailoutbox
):
    invitation = Invitation.objects.get(email="old3@example.org")
    stop = reverse("employers:stop_emails", args=[emails.stop_token(invitation)])
    mail_program = Client(enforce_csrf_checks=True)
    assert "Stop emails about the survey" in mail_program.get(stop).content.decode()
    mail_program.post(
        stop, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    invitation.refresh_from_db()
    assert invitation.emails_stopped_at is not None
    assert Client().get(stop.replace("/stop/", "x/stop/")).status_code == 404

    with AFTER:
        publish(survey, publish_as_staff)
        services.findings_announce(survey=survey, sent_by=commission_staff)
        send_due()
    assert "old3@example.org" not in [m.to[0] for m in mailoutbox]
    assert len(mailoutbox) == 6


def test_findings_taken_down_before_the_emails_go_send_nothing(
    survey, commission_staff, publish_as_staff, mailoutbox
):
    from surveys import publishing

    with AFTER:
        publish(survey, publish_as_staff)
        services.findings_announce(survey=survey, sent_by=commission_staff)
        publishing.findings_withdraw(questionnaire=survey)
        send_due()
    assert mailoutbox == []
    assert set(Message.objects.values_list("note", flat=True)) == {
        "The findings were taken down before this was sent."
    }
