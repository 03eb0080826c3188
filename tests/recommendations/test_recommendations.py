"""Recommendations traced to the evidence: a visitor goes from a roadmap activity to the
recommendation it serves, to the theme residents raised and the published figure behind
it, and back; every figure comes from a published release, never from live counts."""

import datetime
import html
import re
import uuid

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from consultation import services as consultation_services
from consultation.models import NewsTopic, Response
from employers import emails as employer_emails
from employers import services as employer_services
from milestones.models import Status as ActivityStatus
from notifications.models import Message
from recommendations import emails, figures, services
from recommendations.models import EvidenceKind, Quote, Status
from reporting.releases import current_release
from surveys.publishing import findings_withdraw
from tests.consultation.factories import answers
from tests.employers.factories import EmployerFactory, SurveyFactory
from tests.milestones.factories import ActivityFactory
from tests.world import MINIMAL_PDF

from .factories import (
    CHILDCARE,
    TRAVEL,
    published_consultation,
    recommendation,
    rest_on_theme,
    theme_row,
)

pytestmark = pytest.mark.django_db


def text_of(page) -> str:
    """The page's words as a reader sees them, spaced once."""
    words = html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode()))
    return re.sub(r"\s+", " ", words.replace("\xa0", " "))


@pytest.fixture
def traced():
    """A published recommendation resting on the childcare theme, delivered by a roadmap
    activity that is done and one still to come."""
    consultation = published_consultation()
    made = recommendation(1, title="Childcare for residents on courses")
    rest_on_theme(made, consultation, CHILDCARE, note="Most raised in their own words.")
    done = ActivityFactory(title="Skills offer", starts_on="2024-02-01")
    upcoming = ActivityFactory(title="Tech Week showcase")
    services.action_add(recommendation=made, activity=done)
    services.action_add(recommendation=made, activity=upcoming)
    return {"consultation": consultation, "recommendation": made, "done": done}


def test_a_visitor_goes_from_the_roadmap_to_the_figure_behind_a_recommendation_and_back(
    client, traced
):
    made, consultation = traced["recommendation"], traced["consultation"]
    activity_page = client.get(traced["done"].get_absolute_url())
    assert made.get_absolute_url() in activity_page.content.decode()

    page = client.get(made.get_absolute_url())
    words = text_of(page)
    # 24 of 40 answers were coded with the theme: the release's figure, not a live count.
    assert "What residents raised in their own words: Childcare while learning" in words
    assert "24 (60.0%) residents" in words
    assert "release 1" in words
    findings_url = reverse("consultation:findings", args=[consultation.slug])
    assert findings_url in page.content.decode()
    assert "1 of 2 roadmap activities done" in words
    assert traced["done"].get_absolute_url() in page.content.decode()

    findings = client.get(findings_url)
    you_said = reverse("recommendations:you_said_we_did", args=[consultation.slug])
    assert you_said in findings.content.decode()
    assert made.get_absolute_url() in findings.content.decode()

    outcome = text_of(client.get(you_said))
    assert outcome.index(CHILDCARE) < outcome.index(TRAVEL)  # most raised first
    assert "Raised in 24 (60.0%) answers" in outcome
    assert "Raised in fewer than 5 answers" in outcome  # the travel theme, 2, not shown
    assert "1. Childcare for residents on courses" in outcome
    assert "No recommendation answers this yet." in outcome  # nothing for travel

    assert made.get_absolute_url() in client.get(reverse("home")).content.decode() or (
        reverse("recommendations:index") in client.get(reverse("home")).content.decode()
    )


def test_answers_after_publishing_change_no_figure_until_a_new_release(client, traced):
    consultation = traced["consultation"]
    coded = consultation.themes.get(name=CHILDCARE)
    for _ in range(6):  # typed in from paper after publishing
        response, _new = consultation_services.response_submit(
            consultation=consultation,
            answers=answers(consultation, comments="Childcare", sex="female"),
            submission_key=uuid.uuid4(),
            channel="paper",
            submitted_at=consultation.closes_at - datetime.timedelta(hours=1),
        )
        consultation_services.response_code(response=response, themes=[coded], coded_by=None)
    assert coded.responses.count() == 30
    assert "24 (60.0%) residents" in text_of(
        client.get(traced["recommendation"].get_absolute_url())
    )


def test_a_withdrawn_release_takes_its_figures_off_the_page(client, traced):
    findings_withdraw(questionnaire=traced["consultation"])
    words = text_of(client.get(traced["recommendation"].get_absolute_url()))
    assert "24 (60.0%)" not in words
    assert "1 figure is not shown while its findings are not published." in words


def test_a_small_theme_is_never_shown_as_its_count(client):
    consultation = published_consultation()
    made = recommendation(2, title="Help with travel costs")
    rest_on_theme(made, consultation, TRAVEL)
    words = text_of(client.get(made.get_absolute_url()))
    assert "fewer than 5 residents" in words
    assert not re.search(r"\b2 \(", words)


def test_a_draft_is_nowhere_public(client, traced):
    draft = recommendation(7, title="A draft nobody should see", publish=False)
    services.action_add(recommendation=draft, activity=traced["done"])
    assert client.get(draft.get_absolute_url()).status_code == 404
    for url in (
        reverse("recommendations:index"),
        traced["done"].get_absolute_url(),
        reverse("recommendations:you_said_we_did", args=[traced["consultation"].slug]),
    ):
        assert "A draft nobody should see" not in client.get(url).content.decode()


def test_only_checked_quotes_are_published_and_changing_one_unchecks_it(
    client, traced, commission_staff
):
    evidence = traced["recommendation"].evidence.get(kind=EvidenceKind.FIGURE)
    answer = Response.objects.filter(themes__name=CHILDCARE).first()
    quote = services.quote_save(
        evidence=evidence, response=answer, text="I cannot study without childcare"
    )
    url = traced["recommendation"].get_absolute_url()
    assert "I cannot study without childcare" not in text_of(client.get(url))

    services.quote_check(quote=quote, checked_by=commission_staff)
    assert "I cannot study without childcare" in text_of(client.get(url))

    services.quote_save(evidence=evidence, quote=quote, text="I cannot study [...]")
    quote.refresh_from_db()
    assert not quote.fit_to_publish
    assert "I cannot study" not in text_of(client.get(url))


def test_a_quote_comes_from_an_answer_coded_with_its_theme_and_goes_with_it(traced):
    evidence = traced["recommendation"].evidence.get(kind=EvidenceKind.FIGURE)
    uncoded = Response.objects.exclude(themes__name=CHILDCARE).first()
    with pytest.raises(ValidationError, match="coded with this theme"):
        services.quote_save(evidence=evidence, response=uncoded, text="Anything")
    answer = Response.objects.filter(themes__name=CHILDCARE).first()
    services.quote_save(evidence=evidence, response=answer, text="Childcare")
    answer.delete()  # erased at the end of its retention
    assert not Quote.objects.exists()


@pytest.mark.parametrize(
    ("table", "row_key"),
    [("themes|sex", "999999"), ("nonsense|sex", "1"), ("", ""), ("themes|sex", "")],
)
def test_evidence_is_only_ever_a_row_of_a_public_release(traced, table, row_key):
    release = current_release(traced["consultation"])
    with pytest.raises(ValidationError):
        services.evidence_add(
            recommendation=traced["recommendation"],
            kind=EvidenceKind.FIGURE,
            release_id=release.pk,
            table=table,
            row_key=row_key,
        )


def test_a_figure_of_findings_not_yet_public_cannot_be_evidence(traced):
    release, table, key = theme_row(traced["consultation"], TRAVEL)
    findings_withdraw(questionnaire=traced["consultation"])
    with pytest.raises(ValidationError, match="not in any published release"):
        services.evidence_add(
            recommendation=recommendation(3),
            kind=EvidenceKind.FIGURE,
            release_id=release.pk,
            table=table,
            row_key=key,
        )


def test_progress_counts_only_what_the_public_roadmap_shows(client, traced):
    hidden = ActivityFactory(title="Internal planning", starts_on="2024-01-01", is_public=False)
    services.action_add(recommendation=traced["recommendation"], activity=hidden)
    words = text_of(client.get(traced["recommendation"].get_absolute_url()))
    assert "1 of 2 roadmap activities done" in words
    assert "Internal planning" not in words
    assert hidden.status == ActivityStatus.DONE


def test_not_taken_forward_needs_a_reason_and_shows_it(client, traced):
    made = traced["recommendation"]
    with pytest.raises(ValidationError):
        services.progress_post(recommendation=made, status=Status.NOT_TAKEN_FORWARD)
    made.refresh_from_db()
    assert made.status == Status.PROPOSED
    services.progress_post(
        recommendation=made, status=Status.NOT_TAKEN_FORWARD, status_reason="No funding found."
    )
    words = text_of(client.get(made.get_absolute_url()))
    assert "Not taken forward" in words
    assert "No funding found." in words
    assert "Status changed from Proposed to Not taken forward" in words


@pytest.fixture
def residents(traced):
    consultation = traced["consultation"]
    progress = NewsTopic.objects.get(key=emails.PROGRESS_TOPIC)
    other = NewsTopic.objects.exclude(key=emails.PROGRESS_TOPIC).first()

    def resident(email, *topics):
        return consultation_services.contact_add(
            consultation=consultation,
            email=email,
            consent_text="Yes",
            topics=[t.pk for t in topics],
        )

    found = {
        "asked": resident("asked@example.org", progress),
        "twice": resident("ASKED@example.org", progress, other),
        "everything": resident("all@example.org"),
        "other": resident("other@example.org", other),
        "withdrawn": resident("gone@example.org", progress),
    }
    consultation_services.contact_withdraw(contact=found["withdrawn"])
    Message.objects.all().delete()
    return found


def test_residents_who_asked_hear_of_a_status_change_once(
    residents, traced, mailoutbox, django_capture_on_commit_callbacks
):
    made = traced["recommendation"]
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_post(
            recommendation=made, status=Status.ACCEPTED, text="Agreed by Cabinet."
        )
    # Those who chose the topic, once per address; not those who chose no topic, whose
    # recorded consent is to hear of opportunities.
    assert sorted(m.to[0] for m in mailoutbox) == ["asked@example.org"]
    email = next(m for m in mailoutbox if m.to == ["asked@example.org"])
    assert "is now: Accepted" in email.body
    assert "Agreed by Cabinet." in email.body
    assert made.get_absolute_url() in email.body
    assert email.extra_headers["List-Unsubscribe"].startswith("<http")

    update = made.updates.get()
    assert emails.post_status_change(update.pk) == 1  # asked again: the outbox key holds
    assert Message.objects.filter(topic=emails.STATUS_CHANGE).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.progress_post(recommendation=made, text="Work has started.")
    assert len(mailoutbox) == 1  # an update with no change of status is not emailed


def test_a_draft_changing_status_tells_nobody(
    residents, mailoutbox, django_capture_on_commit_callbacks
):
    draft = recommendation(9, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_post(recommendation=draft, status=Status.ACCEPTED)
    assert mailoutbox == []


def test_employers_who_asked_hear_of_a_status_change_and_can_stop(
    client, traced, admin, mailoutbox, django_capture_on_commit_callbacks
):
    survey = SurveyFactory()
    invitations = {
        name: employer_services.invitation_create(
            survey=survey, employer=EmployerFactory(), email=email, invited_by=admin
        )
        for name, email in (("asks", "asks@example.org"), ("quiet", "quiet@example.org"))
    }
    page = reverse("employers:stop_emails", args=[employer_emails.stop_token(invitations["asks"])])
    assert "Email me when a recommendation changes" in client.get(page).content.decode()
    client.post(page, {"progress": "yes"})
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.progress_post(recommendation=traced["recommendation"], status=Status.DONE)
    assert [m.to for m in mailoutbox] == [["asks@example.org"]]
    assert "is now: Done" in mailoutbox[0].body
    # Their own page, to change this or stop (the link is signed anew for each email).
    tokens = re.findall(r"/employers/emails/([^/]+)/stop/", mailoutbox[0].body)
    assert tokens
    assert {employer_emails.invitation_of_stop_token(t) for t in tokens} == {invitations["asks"]}

    unsubscribe = mailoutbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe.endswith("/stop/?only=progress")
    Client(enforce_csrf_checks=True).post(  # the mail program's one-click unsubscribe
        unsubscribe.removeprefix("http://testserver"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    asked = invitations["asks"]
    asked.refresh_from_db()
    # It stops these emails only: the survey's own (its findings) still come.
    assert (asked.hears_of_progress_at, asked.emails_stopped_at) == (None, None)
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_post(recommendation=traced["recommendation"], status=Status.ACCEPTED)
    assert len(mailoutbox) == 1

    client.post(page)  # every email about the survey stops; asking again is refused
    client.post(page, {"progress": "yes"})
    asked.refresh_from_db()
    assert asked.emails_stopped_at is not None
    assert asked.hears_of_progress_at is None


def test_no_quote_goes_beside_a_count_too_small_to_publish(client, commission_staff):
    consultation = published_consultation()
    made = recommendation(4, title="Travel costs")
    small = rest_on_theme(made, consultation, TRAVEL)  # 2 answers: "fewer than 5"
    answer = Response.objects.filter(themes__name=TRAVEL).first()
    with pytest.raises(ValidationError, match="too small to publish"):
        services.quote_save(evidence=small, response=answer, text="The bus costs too much")
    # One quoted before the threshold or the figures changed is still not shown.
    quote = Quote.objects.create(evidence=small, response=answer, text="The bus costs too much")
    services.quote_check(quote=quote, checked_by=commission_staff)
    for url in (
        made.get_absolute_url(),
        reverse("recommendations:you_said_we_did", args=[consultation.slug]),
        f"/api/v1/recommendations/{made.slug}",
    ):
        assert "The bus costs too much" not in client.get(url).content.decode(), url


def test_a_residents_words_stay_out_of_the_audit_log(traced, commission_staff):
    evidence = traced["recommendation"].evidence.get(kind=EvidenceKind.FIGURE)
    answer = Response.objects.filter(themes__name=CHILDCARE).first()
    quote = services.quote_save(evidence=evidence, response=answer, text="Words-9Z of a resident")
    services.quote_check(quote=quote, checked_by=commission_staff)
    answer.delete()
    assert not LogEntry.objects.filter(changes_text__contains="Words-9Z").exists()
    assert not LogEntry.objects.filter(changes__icontains="Words-9Z").exists()


def test_the_same_theme_is_one_piece_of_evidence_whatever_table_it_came_from(traced):
    release, _table, key = theme_row(traced["consultation"], CHILDCARE)
    other_tables = [t for t in release.tables if t.startswith("themes|") and t != _table]
    with pytest.raises(ValidationError, match="already evidence"):
        services.evidence_add(
            recommendation=traced["recommendation"],
            kind=EvidenceKind.FIGURE,
            release_id=release.pk,
            table=other_tables[0],
            row_key=key,
        )


def test_the_theme_filter_offers_only_themes_of_public_findings(client, traced):
    assert CHILDCARE in client.get(reverse("recommendations:index")).context["themes"]
    findings_withdraw(questionnaire=traced["consultation"])
    page = client.get(reverse("recommendations:index"), {"theme": CHILDCARE})
    assert page.context["themes"] == []
    assert page.context["theme"] == ""
    assert CHILDCARE not in page.content.decode()


def test_a_documents_file_goes_with_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_save(
            title="Report",
            kind="report",
            published_on=datetime.date(2022, 11, 1),
            published_precision="month",
            summary="What we found.",
            file=SimpleUploadedFile("r.pdf", MINIMAL_PDF, content_type="application/pdf"),
        )
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert not storage.exists(name)


def test_evidence_keeps_its_figure_exactly_as_the_release_published_it(traced):
    (evidence,) = traced["recommendation"].evidence.filter(kind=EvidenceKind.FIGURE)
    kept = figures.of_evidence(evidence)
    published = figures.read(evidence.release, evidence.table, evidence.row_key)
    assert kept == published


def test_the_list_filters_by_status(client, traced):
    other = recommendation(2, title="Showcase local employers")
    services.progress_post(recommendation=other, status=Status.DONE)
    done = client.get(reverse("recommendations:index"), {"status": "done"}).content.decode()
    assert "Showcase local employers" in done
    assert "Childcare for residents on courses" not in done
    everything = client.get(reverse("recommendations:index"), {"status": "nonsense"})
    assert "Childcare for residents on courses" in everything.content.decode()
