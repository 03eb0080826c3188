"""What a person sees when a part of the portal's machinery is down: never a false
"thank you", and never a lost submission."""

import datetime
import logging

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultation.models import Contact, Response
from notifications import queueing
from notifications.models import PendingTask
from tests.conftest import broker_outage, database_outage
from tests.consultation.factories import ConsultationFactory
from tests.consultation.test_questionnaire import answer_every_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_submission_during_a_database_outage_is_not_thanked():
    # As a browser sees it: whatever fails inside, the answer is a page, not a traceback.
    client = Client(raise_request_exception=False)
    consultation = ConsultationFactory()
    check = answer_every_page(client, consultation)["Location"]
    key = client.get(check).context["submission_key"]

    with database_outage():
        response = client.post(check, {"submission_key": key})

    assert response.status_code == 503
    assert "Nothing you sent has been saved" in response.content.decode()
    assert not Response.objects.exists()
    # Once it is back, the same answers go through.
    assert client.post(check, {"submission_key": key}).status_code == 302
    assert Response.objects.count() == 1


def _sign_up_for_news(client, consultation):
    check = answer_every_page(
        client,
        consultation,
        contact={"email": "resident@example.org", "consent": "on"},
    )["Location"]
    key = client.get(check).context["submission_key"]
    return client.post(check, {"submission_key": key})


def test_a_broker_outage_loses_no_submission(client, caplog):
    consultation = ConsultationFactory()

    with broker_outage(), caplog.at_level(logging.ERROR):
        response = _sign_up_for_news(client, consultation)

    assert response.status_code == 302
    assert response["Location"] == reverse("consultation:done", args=[consultation.slug])
    assert Response.objects.filter(consultation=consultation).count() == 1
    assert Contact.objects.filter(email="resident@example.org").exists()
    assert "the broker is unreachable" in caplog.text


def _later(minutes):
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes))


def test_an_email_the_broker_never_took_goes_once_it_is_back(client, mailoutbox):
    consultation = ConsultationFactory()
    with broker_outage():
        assert _sign_up_for_news(client, consultation).status_code == 302
        with _later(61):
            assert queueing.requeue_pending()["queued"] == 0  # still down: nothing lost

    assert mailoutbox == []
    assert PendingTask.objects.get().task == "consultation.tasks.send_contact_confirmation"

    with _later(122):
        queueing.requeue_pending()
        queueing.requeue_pending()

    assert [m.to for m in mailoutbox] == [["resident@example.org"]]
    assert not PendingTask.objects.exists()


def test_an_email_that_gave_up_on_the_mail_server_goes_later(client, settings, mailoutbox):
    """Every try of the task fails against a mail server that refuses connections."""
    consultation = ConsultationFactory()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2

    assert _sign_up_for_news(client, consultation).status_code == 302
    assert PendingTask.objects.count() == 1
    with _later(61):
        queueing.requeue_pending()
    assert PendingTask.objects.get().attempts == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with _later(122):
        queueing.requeue_pending()

    assert [m.to for m in mailoutbox] == [["resident@example.org"]]
    assert not PendingTask.objects.exists()


def test_nothing_is_left_pending_once_an_email_has_gone(client, mailoutbox):
    assert _sign_up_for_news(client, ConsultationFactory()).status_code == 302

    assert len(mailoutbox) == 1
    assert not PendingTask.objects.exists()
