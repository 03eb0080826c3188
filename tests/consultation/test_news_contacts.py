"""Residents who asked for news choose what about, change it from any email, and stop it
in one click from their mail program (RFC 8058), which erases their address."""

import pytest
from django.test import Client
from django.urls import reverse

from consultation.models import Contact, NewsTopic
from tests.consultation.factories import ConsultationFactory
from tests.consultation.test_questionnaire import answer_every_page, key_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    return ConsultationFactory(title="Digital tech: have your say")


def topic_ids(*names):
    return [str(NewsTopic.objects.get(name=name).pk) for name in names]


def sign_up(client, consultation, django_capture_on_commit_callbacks, topics=()):
    answer_every_page(
        client,
        consultation,
        contact={"email": "ama@example.org", "consent": "on", "topics": list(topics)},
    )
    check_url = reverse("consultation:check", args=[consultation.slug])
    key = key_on(client.get(check_url))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(check_url, {"submission_key": key})
    return Contact.objects.get()


def test_a_resident_chooses_topics_and_the_confirmation_says_how_to_change_or_stop(
    client, consultation, mailoutbox, django_capture_on_commit_callbacks
):
    page = client.get(reverse("consultation:step", args=[consultation.slug, "contact"]))
    html = page.content.decode()
    for name in ("Training and courses", "Jobs and apprenticeships", "Events and showcases"):
        assert name in html
    assert "Leave them all unticked to hear about everything." in html

    chosen = topic_ids("Training and courses", "Mentoring and coaching")
    contact = sign_up(client, consultation, django_capture_on_commit_callbacks, chosen)

    assert sorted(t.name for t in contact.topics.all()) == [
        "Mentoring and coaching",
        "Training and courses",
    ]
    (confirmation,) = mailoutbox
    assert "You chose to hear about: Training and courses, Mentoring and coaching." in (
        confirmation.body
    )
    manage = f"http://127.0.0.1:8000/consultation/contact/{contact.token}/"
    assert f"Change what you hear about: {manage}" in confirmation.body
    unsubscribe = f"{manage}unsubscribe/"
    assert confirmation.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert confirmation.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_topics_typed_without_an_address_are_not_kept(client, consultation):
    answer_every_page(
        client, consultation, contact={"email": "", "topics": topic_ids("Training and courses")}
    )
    html = client.get(reverse("consultation:check", args=[consultation.slug])).content.decode()
    assert "What would you like to hear about?" not in html


def test_a_resident_changes_what_they_hear_about_from_the_link(
    client, consultation, django_capture_on_commit_callbacks
):
    contact = sign_up(client, consultation, django_capture_on_commit_callbacks)
    manage = reverse("consultation:contact_topics", args=[contact.token])
    anyone = Client()

    page = anyone.get(manage).content.decode()
    assert "a•••@example.org" in page
    assert "ama@example.org" not in page  # whoever holds the link does not learn it

    anyone.post(manage, {"topics": topic_ids("Events and showcases")})
    assert [t.name for t in contact.topics.all()] == ["Events and showcases"]
    refused = anyone.post(manage, {"topics": ["999999"]})
    assert "Select a valid choice" in refused.content.decode()
    assert [t.name for t in contact.topics.all()] == ["Events and showcases"]


def test_one_click_unsubscribe_erases_the_address_without_a_cookie_or_token(
    client, consultation, django_capture_on_commit_callbacks
):
    contact = sign_up(client, consultation, django_capture_on_commit_callbacks)
    address = reverse("consultation:unsubscribe", args=[contact.token])
    mail_program = Client(enforce_csrf_checks=True)

    # Opened in a browser (or fetched by a scanner) it only asks.
    assert mail_program.get(address)["Location"] == contact.get_withdraw_url()
    contact.refresh_from_db()
    assert contact.email == "ama@example.org"

    response = mail_program.post(
        address, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    contact.refresh_from_db()
    assert (contact.email, contact.withdrawn_at is not None) == ("", True)
    # The link to change topics now says the emails are stopped.
    assert Client().get(contact.get_manage_url())["Location"] == contact.get_withdraw_url()
