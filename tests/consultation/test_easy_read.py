"""The Easy Read version: the same questions in short sentences with a picture on each
page; its answers are the standard version's, so the results combine."""

import pytest
from django.test import Client
from django.urls import reverse

from consultation.models import Response, Version
from tests.conftest import make_user

from .factories import ConsultationFactory, answers, translate_all
from .test_questionnaire import SUBMISSION_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    return ConsultationFactory()


def _walk(client, consultation, version):
    base = reverse("consultation:detail", args=[consultation.slug])
    first = client.get(f"{base}answer/barriers/?version={version}").content.decode()
    for step in ("barriers", "changes", "support", "comments", "about-you", "circumstances"):
        client.post(f"{base}answer/{step}/", answers(consultation))
    client.post(f"{base}answer/contact/", {})
    check = client.get(f"{base}answer/check/").content.decode()
    key = SUBMISSION_KEY.search(check)[1]
    client.post(f"{base}answer/check/", {"submission_key": key, "website": ""})
    return first, check


def test_the_start_page_offers_easy_read(client, consultation):
    start = client.get(consultation.get_absolute_url()).content.decode()
    easy = reverse("consultation:easy_read", args=[consultation.slug])
    assert f'href="{easy}"' in start
    page = client.get(easy).content.decode()
    assert 'alt="A person sits at a computer."' in page
    assert "answer/barriers/?version=easy-read" in page


def test_easy_read_asks_the_same_questions_in_short_sentences_with_pictures(client, consultation):
    first, check = _walk(client, consultation, "easy-read")
    assert "Things that make it hard" in first
    assert "What makes it hard for you to learn digital skills or get a digital tech job?" in first
    assert 'src="/static/images/easy-read/barriers.svg"' in first
    assert 'alt="A person stands in front of a wall between them and a computer."' in first
    assert "Use the standard version of these questions" in first
    assert "Would you like a job in digital tech?" in check  # check your answers, in Easy Read
    response = Response.objects.get()
    assert response.version == Version.EASY_READ


def test_easy_and_standard_answers_count_under_the_same_questions(
    client_for, commission_staff, consultation
):
    _walk(Client(), consultation, "easy-read")
    _walk(Client(), consultation, "standard")
    assert sorted(Response.objects.values_list("version", flat=True)) == [
        Version.EASY_READ,
        Version.STANDARD,
    ]
    results = (
        client_for(commission_staff)
        .get(reverse("consultation_staff:results", args=[consultation.slug]), {"by": "version"})
        .context["results"]
    )
    ticked = [row for row in results.barriers.rows if row.total.count]
    assert ticked
    assert all(row.total.count == 2 for row in ticked)
    assert [label for _key, label in results.barriers.columns] == ["Standard", "Easy Read"]
    assert [cell.count for cell in ticked[0].cells] == [1, 1]


def test_easy_read_is_offered_only_where_its_sentences_are_translated(client, consultation):
    """In another language the standard version is asked (Easy Read is English for now)."""
    translate_all(consultation, "tr", make_user("reviewer@example.org"))
    turkish = f"/tr/consultation/{consultation.slug}/"
    assert "easy-read" not in client.get(turkish).content.decode()
    assert client.get(f"{turkish}easy-read/").status_code == 404
    page = client.get(f"{turkish}answer/barriers/?version=easy-read").content.decode()
    assert "easy-read.svg" not in page
    assert "images/easy-read/" not in page
