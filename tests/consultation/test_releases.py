"""Published findings are frozen, audited releases: what the public sees changes only when
staff publish again, and nothing suppressed in any release can be worked out."""

import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultation import demo, services
from consultation.models import Channel, Consultation
from reporting.disclosure import build_problem, exposures
from reporting.releases import release_tables, releases_of
from surveys import publishing
from tests.consultation.factories import ConsultationFactory, answers, submit

pytestmark = pytest.mark.django_db

T = 5


def after_close(consultation, hours=1):
    return time_machine.travel(consultation.closes_at + datetime.timedelta(hours=hours))


def page_figures(client, consultation, by="sex"):
    page = client.get(reverse("consultation:findings", args=[consultation.slug]), {"by": by})
    assert page.status_code == 200
    results = page.context["results"]
    return page, [
        (row.label, row.total.count, [c.count for c in row.cells]) for row in results.barriers.rows
    ] + [("responding", results.barriers.respondents.count, [])]


def test_every_release_of_the_demo_consultation_holds_against_an_lp_attack():
    demo.seed()
    sample = Consultation.objects.get(slug="demo-sample-answers")
    (release,) = releases_of(sample)
    problem = build_problem(release_tables(release), threshold=T)
    assert exposures(problem, T - 1) == []
    assert release.audit["small"] > 0  # there was something to protect
    assert release.audit["hidden"] > 0  # and secondary suppression did protect it


def test_a_late_paper_response_changes_nothing_public_until_staff_publish_again(
    client, commission_staff
):
    consultation = ConsultationFactory()
    for n in range(30):
        submit(consultation, sex=("female", "male")[n % 2])
    with after_close(consultation):
        publishing.findings_publish(questionnaire=consultation, summary="First look.")
        _page, before = page_figures(client, consultation)

        services.response_submit(  # typed in from paper after publishing
            consultation=consultation,
            answers=answers(consultation, sex="male"),
            submission_key=uuid.uuid4(),
            channel=Channel.PAPER,
        )
        page, after = page_figures(client, consultation)
        assert after == before
        assert "release 1" in page.content.decode()

        publishing.findings_publish(questionnaire=consultation, summary="With late answers.")
        page, republished = page_figures(client, consultation)
    assert "release 2" in page.content.decode()
    assert "With late answers." in page.content.decode()
    # The second release was audited together with the first: the one late resident's
    # answers cannot be read off the difference between them.
    first, second = releases_of(consultation).order_by("number")
    problem = build_problem(release_tables(second), threshold=T, earlier=[release_tables(first)])
    assert exposures(problem, T - 1) == []
    assert republished != after


def test_withdrawing_takes_the_release_down_and_publishing_again_is_audited_with_it(client):
    consultation = ConsultationFactory()
    for _ in range(12):
        submit(consultation)
    url = reverse("consultation:findings", args=[consultation.slug])
    with after_close(consultation):
        publishing.findings_publish(questionnaire=consultation, summary="")
        assert client.get(url).status_code == 200

        publishing.findings_withdraw(questionnaire=consultation)
        assert client.get(url).status_code == 404
        publishing.findings_publish(questionnaire=consultation, summary="")
        assert client.get(url).status_code == 200
    assert [r.audit["earlier_releases"] for r in releases_of(consultation).order_by("number")] == [
        0,
        1,
    ]


def test_a_release_that_cannot_be_protected_is_refused_with_the_reason(monkeypatch):
    consultation = ConsultationFactory()
    for _ in range(12):
        submit(consultation)
    # As if nothing more could be hidden: every exposure stays.
    from reporting import releases

    monkeypatch.setattr(
        releases, "protect_tables", lambda tables, **kwargs: ["Barriers, Female: 2 to 2"]
    )
    with after_close(consultation), pytest.raises(ValidationError) as refused:
        publishing.findings_publish(questionnaire=consultation, summary="")
    assert "cannot be published" in str(refused.value)
    assert "Barriers, Female: 2 to 2" in str(refused.value)
    assert not releases_of(consultation).exists()
    consultation.refresh_from_db()
    assert consultation.findings_published is False
