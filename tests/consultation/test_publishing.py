"""Publishing runs its disclosure audit in the background: staff ask, see it waiting and
checking, and then its outcome; never a request that hangs on the audit."""

import datetime
import logging

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from consultation import services
from consultation.models import Consultation
from reporting.models import Publication
from reporting.releases import current_release, publications_of, releases_of
from surveys import publishing, tasks
from tests.conftest import broker_outage
from tests.consultation.factories import ConsultationFactory, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed():
    consultation = ConsultationFactory()
    for _ in range(12):
        submit(consultation)
    with time_machine.travel(consultation.closes_at + datetime.timedelta(hours=1)):
        yield consultation


def _manage(consultation):
    return reverse("consultation_staff:findings_manage", args=[consultation.slug])


def test_staff_see_the_check_waiting_then_its_outcome(client_for, commission_staff, closed):
    staff = client_for(commission_staff)
    # The request returns before the check runs: on commit, it is only queued.
    asked = staff.post(_manage(closed), {"summary": "What residents told us."})
    assert asked.status_code == 302
    (run,) = publications_of(closed)
    assert run.status == Publication.Status.WAITING
    assert run.requested_by == commission_staff
    page = staff.get(_manage(closed)).content.decode()
    assert "Checking the figures before publishing" in page
    assert "Refresh this page to see how it is going" in page
    assert 'name="summary"' not in page  # no second ask while one is under way
    assert not releases_of(closed).exists()

    tasks.publish_findings(run.pk)
    tasks.publish_findings(run.pk)  # run twice: nothing doubled

    run.refresh_from_db()
    (release,) = releases_of(closed)
    assert run.status == Publication.Status.PUBLISHED
    assert run.release == release == current_release(closed)
    assert release.published_by == commission_staff
    assert release.summary == "What residents told us."
    # Progress was recorded as the audit went: at least one round of checking.
    assert run.progress["stage"] == "checking"
    assert run.progress["rounds"] >= 1
    page = staff.get(_manage(closed)).content.decode()
    assert "Published as release 1" in page
    assert reverse("consultation:findings", args=[closed.slug]) in page


def test_a_second_ask_while_one_is_under_way_is_refused_on_the_form(
    client_for, commission_staff, closed
):
    staff = client_for(commission_staff)
    staff.post(_manage(closed), {"summary": "First"})
    again = staff.post(_manage(closed), {"summary": "Second"})
    assert again.status_code == 200
    assert "being checked for publishing already" in again.content.decode()
    assert publications_of(closed).count() == 1


def test_a_run_whose_worker_stopped_can_be_asked_for_again_after_the_time_limit(
    client_for, commission_staff, closed, settings
):
    staff = client_for(commission_staff)
    staff.post(_manage(closed), {"summary": "First"})
    later = timezone.now() + datetime.timedelta(seconds=settings.PUBLISHING_TIMEOUT_SECONDS + 1)
    with time_machine.travel(later):
        assert staff.post(_manage(closed), {"summary": "Again"}).status_code == 302
    old, new = publications_of(closed).order_by("requested_at")
    assert old.status == Publication.Status.FAILED
    assert old.outcome == ["The check stopped before it finished."]
    assert new.status == Publication.Status.WAITING


def test_a_refused_run_says_why_and_keeps_what_staff_wrote(client_for, commission_staff, closed):
    staff = client_for(commission_staff)
    staff.post(_manage(closed), {"summary": "Our summary, kept."})
    (run,) = publications_of(closed)
    # Before the worker gets to it, the consultation is reopened for late answers.
    services.consultation_update(
        consultation=closed, closes_at=timezone.now() + datetime.timedelta(days=7)
    )
    tasks.publish_findings(run.pk)
    run.refresh_from_db()
    assert run.status == Publication.Status.REFUSED
    assert not releases_of(closed).exists()
    page = staff.get(_manage(closed)).content.decode()
    assert "The findings were not published" in page
    assert "once the consultation closes" in page
    assert "Our summary, kept." in page


def test_a_run_that_breaks_is_marked_stopped_and_logged(
    client_for, commission_staff, closed, monkeypatch, caplog
):
    def broken(consultation):
        raise RuntimeError("a fault in building the tables")

    monkeypatch.setitem(publishing._PUBLISHES, Consultation, broken)
    staff = client_for(commission_staff)
    staff.post(_manage(closed), {"summary": "What we heard."})
    (run,) = publications_of(closed)
    with caplog.at_level(logging.ERROR, logger="surveys.publishing"):
        tasks.publish_findings(run.pk)
    run.refresh_from_db()
    assert run.status == Publication.Status.FAILED
    assert "a fault in building the tables" in caplog.text
    assert "The check stopped before it finished" in staff.get(_manage(closed)).content.decode()
    assert not releases_of(closed).exists()


def test_with_the_broker_down_the_ask_is_kept_waiting(
    client_for, commission_staff, closed, django_capture_on_commit_callbacks, caplog
):
    staff = client_for(commission_staff)
    with broker_outage(), django_capture_on_commit_callbacks(execute=True):
        asked = staff.post(_manage(closed), {"summary": "What we heard."})
    assert asked.status_code == 302
    (run,) = publications_of(closed)
    assert run.status == Publication.Status.WAITING
    assert "Could not queue publishing run" in caplog.text


def test_the_releases_table_shows_every_release_and_what_became_of_it(
    client_for, commission_staff, publish_as_staff, closed
):
    publish_as_staff(_manage(closed), "First")
    client_for(commission_staff).post(_manage(closed), {"action": "withdraw", "confirmed": "yes"})
    page = publish_as_staff(_manage(closed), "Second").content.decode()
    assert "Published as release 2" in page
    table = page[page.index('<h2 class="govuk-heading-m govuk-!-margin-top-6" id="releases">') :]
    assert table.count('<tr class="govuk-table__row">') == 3  # the heading and two releases
    assert "Withdrawn on" in table
    assert commission_staff.email in table


def test_stopping_publishing_asks_first_and_can_be_undone_until_another_release(
    client, client_for, commission_staff, publish_as_staff, closed
):
    publish_as_staff(_manage(closed), "First")
    staff = client_for(commission_staff)
    findings = reverse("consultation:findings", args=[closed.slug])

    asked = staff.post(_manage(closed), {"action": "withdraw"})
    html = asked.content.decode()
    assert asked.status_code == 200
    assert "Stop publishing the findings?" in html
    assert "Release 1 of the findings" in html
    assert '<input type="hidden" name="confirmed" value="yes">' in html
    assert client.get(findings).status_code == 200  # asking changed nothing

    done = staff.post(_manage(closed), {"action": "withdraw", "confirmed": "yes"}, follow=True)
    page = done.content.decode()
    assert "The findings are no longer published. To undo this" in page
    assert "Publish release 1 again" in page
    assert client.get(findings).status_code == 404

    undone = staff.post(_manage(closed), {"action": "restore"}, follow=True)
    assert "Release 1 is published again, as it was." in undone.content.decode()
    assert client.get(findings).status_code == 200
    assert current_release(closed).number == 1
    closed.refresh_from_db()
    assert closed.findings_published

    # Once another release has been published, a withdrawn one cannot come back.
    staff.post(_manage(closed), {"action": "withdraw", "confirmed": "yes"})
    publish_as_staff(_manage(closed), "Second")
    staff.post(_manage(closed), {"action": "withdraw", "confirmed": "yes"})
    publishing.findings_restore(questionnaire=closed)
    assert current_release(closed).number == 2
    assert releases_of(closed).get(number=1).withdrawn_at is not None


def test_the_settings_warn_that_reopening_takes_published_findings_down(
    client_for, commission_staff, publish_as_staff, closed
):
    staff = client_for(commission_staff)
    edit = reverse("consultation_staff:edit", args=[closed.slug])
    warning = "Its findings are published. Moving the closing date later opens it again"
    assert warning not in staff.get(edit).content.decode()

    publish_as_staff(_manage(closed), "First")

    assert warning in staff.get(edit).content.decode()


def test_the_findings_download_needs_a_release(client_for, commission_staff, closed):
    download = reverse("consultation_staff:export_aggregate", args=[closed.slug])
    response = client_for(commission_staff).get(download, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "consultation_staff:detail", args=[closed.slug]
    )
    assert "Publish the findings first" in response.content.decode()


def test_a_release_published_while_the_audit_runs_makes_it_refuse(closed):
    def meanwhile(rounds, hidden):
        # Someone else's release lands while this one is being checked.
        if not releases_of(closed).exists():
            publishing.findings_publish(questionnaire=closed, summary="Meanwhile")

    with pytest.raises(ValidationError, match="published while these figures were being checked"):
        publishing.findings_publish(questionnaire=closed, summary="Late", on_round=meanwhile)
    (release,) = releases_of(closed)
    assert release.summary == "Meanwhile"
