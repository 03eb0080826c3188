"""What a person sees when a part of the portal's machinery is down: never a false
"thank you", and never a lost submission."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from consultation.models import Contact, Response
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


def test_a_broker_outage_loses_no_submission(client, caplog):
    consultation = ConsultationFactory()
    check = answer_every_page(
        client,
        consultation,
        contact={"email": "resident@example.org", "consent": "on"},
    )["Location"]
    key = client.get(check).context["submission_key"]

    with broker_outage(), caplog.at_level(logging.ERROR):
        response = client.post(check, {"submission_key": key})

    assert response.status_code == 302
    assert response["Location"] == reverse("consultation:done", args=[consultation.slug])
    assert Response.objects.filter(consultation=consultation).count() == 1
    assert Contact.objects.filter(email="resident@example.org").exists()
    assert "the broker is unreachable" in caplog.text
