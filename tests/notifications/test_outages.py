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
from notifications import outbox
from notifications.models import Message
from tests.conftest import broker_outage, database_outage
from tests.consultation.factories import ConsultationFactory
from tests.consultation.test_questionnaire import answer_every_page, key_on

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_submission_during_a_database_outage_is_not_thanked():
    # As a browser sees it: whatever fails inside, the answer is a page, not a traceback.
    client = Client(raise_request_exception=False)
    consultation = ConsultationFactory()
    check = answer_every_page(client, consultation)["Location"]
    key = key_on(client.get(check))

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
    key = key_on(client.get(check))
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


def _dispatch():
    return outbox.dispatch(enqueue=outbox.hand_over)


def test_an_email_the_broker_never_took_goes_once_it_is_back(client, mailoutbox):
    consultation = ConsultationFactory()
    with broker_outage():
        assert _sign_up_for_news(client, consultation).status_code == 302
        with _later(5):
            assert _dispatch().queue_errors == 1  # still down: nothing lost

    assert mailoutbox == []
    message = Message.objects.get()
    assert (message.topic, message.status) == ("consultation.contact_confirmation", "pending")

    with _later(10):
        assert _dispatch().queued == 1
        assert _dispatch().queued == 0

    assert [m.to for m in mailoutbox] == [["resident@example.org"]]
    assert Message.objects.get().status == "sent"


def test_an_email_the_mail_server_refused_goes_later(client, settings, mailoutbox):
    """Each try fails against a mail server that refuses connections; it waits longer
    after each, and goes once the server is back."""
    consultation = ConsultationFactory()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2

    assert _sign_up_for_news(client, consultation).status_code == 302
    assert Message.objects.get().attempts == 1
    with _later(1):
        assert _dispatch().queued == 0  # its back-off (2 minutes) has not passed
    with _later(3):
        _dispatch()
    message = Message.objects.get()
    assert (message.status, message.attempts) == ("pending", 2)
    assert "refused" in message.note.lower()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with _later(10):
        _dispatch()

    assert [m.to for m in mailoutbox] == [["resident@example.org"]]
    assert Message.objects.get().status == "sent"


def test_nothing_is_left_waiting_once_an_email_has_gone(client, mailoutbox):
    assert _sign_up_for_news(client, ConsultationFactory()).status_code == 302

    assert len(mailoutbox) == 1
    assert Message.objects.get().status == "sent"
