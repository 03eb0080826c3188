"""The staff dashboard: what needs doing, with counts and links, for what each role may act
on; every count set up the way staff, residents and employers would make it."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from consultation import services as consultation_services
from employers import services as employer_services
from milestones import services as roadmap_services
from network import services as network_services
from notifications import outbox
from recommendations import services as recommendation_services
from surveys import publishing
from tests.consultation.factories import ConsultationFactory, submit
from tests.employers.factories import EmployerFactory, SurveyFactory, complete_answers
from tests.milestones.factories import AdvisoryMeetingFactory
from tests.network.factories import cohort as new_cohort
from tests.network.factories import commitment, member
from tests.recommendations.factories import (
    CHILDCARE,
    published_consultation,
    recommendation,
    rest_on_theme,
)

pytestmark = pytest.mark.django_db

STAFF_HOME = "staff_home"


def dashboard(client):
    """The dashboard's tasks as ``{(key, hint): task}``, and the page."""
    response = client.get(reverse(STAFF_HOME))
    assert response.status_code == 200
    tasks = {
        (task.key, task.hint): task for area in response.context["areas"] for task in area.tasks
    }
    return tasks, response.content.decode()


def areas_of(client) -> list[str]:
    return [area.key for area in client.get(reverse(STAFF_HOME)).context["areas"]]


def later(**delta):
    return time_machine.travel(timezone.now() + datetime.timedelta(**delta))


def test_applications_waiting_are_counted_and_linked(client_for, coordinator):
    waiting = member("Ada Applicant", approve=False)
    member("Bea Applicant", approve=False)
    member("Cat Member")  # approved: nothing to decide

    tasks, html = dashboard(client_for(coordinator))

    task = tasks[("applications", "")]
    assert task.count == 2
    assert task.url == reverse("network:applications")
    assert f'href="{task.url}"' in html
    assert '<strong class="govuk-tag govuk-tag--blue">2 to do</strong>' in html

    network_services.membership_decide(
        membership=waiting, approve=True, message="", decided_by=coordinator
    )
    assert dashboard(client_for(coordinator))[0][("applications", "")].count == 1


def test_places_to_confirm_are_counted_for_each_cohort(client_for, coordinator):
    spring, autumn = new_cohort(), new_cohort(starts_on=datetime.date(2027, 9, 6))
    places = [
        network_services.place_nominate(
            cohort=spring, member=member(f"Nominee {n}"), commitment=commitment()
        )
        for n in range(3)
    ]
    network_services.place_nominate(
        cohort=autumn, member=member("Autumn nominee"), commitment=commitment()
    )
    network_services.place_confirm(place=places[0])

    tasks, html = dashboard(client_for(coordinator))

    assert tasks[("places", str(spring))].count == 2
    assert tasks[("places", str(spring))].url == reverse("network:cohort", args=[spring.pk])
    assert tasks[("places", str(autumn))].count == 1
    assert tasks[("places", str(autumn))].url == reverse("network:cohort", args=[autumn.pk])
    assert str(spring) in html


def test_free_text_answers_to_code_are_counted_for_each_consultation(client_for, commission_staff):
    consultation = ConsultationFactory(title="Have your say 2027")
    first = submit(consultation, comments="More evening courses, please.")
    submit(consultation, barriers_other="No laptop at home.")
    submit(consultation)  # ticked answers only: nothing to code

    tasks, html = dashboard(client_for(commission_staff))

    task = tasks[("coding", "Have your say 2027")]
    assert task.count == 2
    assert task.url == reverse("consultation_staff:coding", args=[consultation.slug])
    assert f'href="{task.url}"' in html

    theme = consultation_services.theme_create(consultation=consultation, name="Evenings")
    consultation_services.response_code(response=first, themes=[theme], coded_by=commission_staff)
    assert dashboard(client_for(commission_staff))[0][("coding", "Have your say 2027")].count == 1


def test_invitations_not_started_or_about_to_expire_are_counted(
    settings, client_for, commission_staff
):
    settings.INVITATION_EXPIRY_DAYS = 28
    survey = SurveyFactory(
        title="Employers 2027", closes_at=timezone.now() + datetime.timedelta(days=40)
    )
    invited = {}
    for name in ("Quiet Ltd", "Drafting Ltd", "Done Ltd"):
        employer = EmployerFactory(name=name)
        invited[name] = employer_services.invitation_create(
            survey=survey,
            employer=employer,
            email=f"hr@{name[:4].lower()}.example.org",
            invited_by=None,
        )
    employer_services.response_save_draft(
        survey=survey, employer=invited["Drafting Ltd"].employer, answers=complete_answers(survey)
    )
    employer_services.response_submit(
        survey=survey, employer=invited["Done Ltd"].employer, answers=complete_answers(survey)
    )
    client = client_for(commission_staff)

    tasks, _ = dashboard(client)
    assert tasks[("invitations_not_started", "Employers 2027")].count == 1  # Quiet Ltd
    assert tasks[("invitations_expiring", "Employers 2027")].count == 0
    url = reverse("employers:staff_survey", args=[survey.slug])
    assert tasks[("invitations_not_started", "Employers 2027")].url == url

    # Three weeks on, the links of the two that have not submitted end within a week.
    with later(days=22):
        client = client_for(commission_staff)  # signed in again: sessions end sooner
        tasks, html = dashboard(client)
        assert tasks[("invitations_expiring", "Employers 2027")].count == 2
        assert '<strong class="govuk-tag govuk-tag--red">2 to do</strong>' in html
        employer_services.invitation_resend(invitation=invited["Drafting Ltd"])
        tasks, _ = dashboard(client)
        assert tasks[("invitations_expiring", "Employers 2027")].count == 1
        assert tasks[("invitations_not_started", "Employers 2027")].count == 1


def test_emails_that_failed_are_counted_for_the_role_that_looks_after_them(
    settings, client_for, commission_staff, coordinator
):
    settings.EMAIL_BACKEND = "tests.consultation.test_services.FailingBackend"
    settings.EMAIL_MAX_ATTEMPTS = 3
    employer_services.invitation_create(
        survey=SurveyFactory(), employer=EmployerFactory(), email="hr@example.org", invited_by=None
    )
    for minutes in (0, 3, 10):
        with later(minutes=minutes):
            outbox.dispatch(enqueue=outbox.deliver)

    with later(minutes=11):
        tasks, html = dashboard(client_for(commission_staff))
        assert tasks[("emails", "")].count == 1
        assert tasks[("emails", "")].url == f"{reverse('email_log')}?status=failed"
        assert 'href="/staff/email/?status=failed"' in html
        # An employer's invitation is the commission's email, not the network's.
        assert dashboard(client_for(coordinator))[0][("emails", "")].count == 0


def test_advisory_meetings_past_with_no_minutes_are_counted(client_for, commission_staff):
    now = timezone.now().replace(microsecond=0)
    past = AdvisoryMeetingFactory(
        title="Advisory group, spring",
        starts_at=now - datetime.timedelta(days=10),
        ends_at=now - datetime.timedelta(days=10, hours=-2),
    )
    AdvisoryMeetingFactory()  # still to come
    client = client_for(commission_staff)

    task = dashboard(client)[0][("minutes", f"Advisory group, spring ({past.starts_at:%-d %B %Y})")]
    assert task.count == 1
    assert task.url == reverse("milestones:meeting_minutes", args=[past.pk])  # the one to write

    other = AdvisoryMeetingFactory(
        starts_at=now - datetime.timedelta(days=3),
        ends_at=now - datetime.timedelta(days=3, hours=-2),
    )
    cancelled = AdvisoryMeetingFactory(
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now - datetime.timedelta(days=2, hours=-2),
    )
    roadmap_services.meeting_cancel(meeting=cancelled)
    [task] = [t for (key, _), t in dashboard(client)[0].items() if key == "minutes"]
    assert task.count == 2
    assert task.url == reverse("milestones:staff_roadmap")  # several: the list of meetings

    roadmap_services.meeting_record_minutes(
        meeting=other,
        minutes="We agreed the plan.",
        minutes_published=True,
        attended_member_ids=set(),
    )
    roadmap_services.meeting_record_minutes(
        meeting=past, minutes="Notes.", minutes_published=False, attended_member_ids=set()
    )
    [task] = [t for (key, _), t in dashboard(client)[0].items() if key == "minutes"]
    assert task.count == 0


def test_findings_not_yet_published_for_closed_consultations_and_surveys(client_for, admin):
    consultation = ConsultationFactory(title="Have your say 2026")
    survey = SurveyFactory(title="Employers 2026")
    ConsultationFactory(closes_at=timezone.now() + datetime.timedelta(days=90))  # still open
    after = max(consultation.closes_at, survey.closes_at) + datetime.timedelta(hours=1)
    client = client_for(admin)

    tasks, _ = dashboard(client)
    assert tasks[("consultation_findings", "")].count == 0
    assert tasks[("survey_findings", "")].count == 0

    with time_machine.travel(after):
        client = client_for(admin)  # signed in again: sessions end sooner
        tasks, html = dashboard(client)
        found = tasks[("consultation_findings", "Closed: Have your say 2026")]
        assert found.count == 1
        assert found.url == reverse("consultation_staff:findings_manage", args=[consultation.slug])
        found = tasks[("survey_findings", "Closed: Employers 2026")]
        assert found.count == 1
        assert found.url == reverse("employers:findings_manage", args=[survey.slug])
        assert f'href="{found.url}"' in html

        publishing.findings_publish(questionnaire=consultation, summary="")
        tasks, _ = dashboard(client)
        assert tasks[("consultation_findings", "")].count == 0
        assert tasks[("survey_findings", "Closed: Employers 2026")].count == 1


def test_each_role_sees_only_what_it_may_act_on(client_for, commission_staff, coordinator, admin):
    member("Ada Applicant", approve=False)
    submit(ConsultationFactory(), comments="Free text.")

    assert areas_of(client_for(commission_staff)) == [
        "consultation",
        "employers",
        "roadmap",
        "recommendations",
        "email",
    ]
    assert areas_of(client_for(coordinator)) == ["network", "email"]
    assert areas_of(client_for(admin)) == [
        "network",
        "consultation",
        "employers",
        "roadmap",
        "recommendations",
        "email",
    ]

    staff_page = client_for(commission_staff).get(reverse(STAFF_HOME)).content.decode()
    assert reverse("network:applications") not in staff_page.split("<main", 1)[1]
    assert "Applications waiting for a decision" not in staff_page
    coordinator_page = client_for(coordinator).get(reverse(STAFF_HOME)).content.decode()
    assert "Free-text answers to code" not in coordinator_page
    assert reverse("consultation_staff:list") not in coordinator_page
    assert "Advisory meetings with no minutes" not in coordinator_page


def test_with_nothing_to_do_each_task_says_so_and_links_to_its_list(client_for, admin):
    tasks, html = dashboard(client_for(admin))

    assert {task.count for task in tasks.values()} == {0}
    assert tasks[("places", "")].url == reverse("network:cohorts")
    assert tasks[("coding", "")].url == reverse("consultation_staff:list")
    assert tasks[("invitations_not_started", "")].url == reverse("employers:staff_list")
    assert tasks[("minutes", "")].url == reverse("milestones:staff_roadmap")
    assert html.count("Nothing to do") == len(tasks)
    assert "govuk-tag" not in html.split("<main", 1)[1]


def _lots_to_do(coordinator):
    now = timezone.now().replace(microsecond=0)
    for n in range(3):
        member(f"Applicant {n}", approve=False)
        cohort = new_cohort(starts_on=datetime.date(2027, 3 + n, 1))
        network_services.place_nominate(
            cohort=cohort, member=member(f"Nominee {n}"), commitment=commitment()
        )
        consultation = ConsultationFactory()
        submit(consultation, comments="Free text.")
        survey = SurveyFactory()
        employer_services.invitation_create(
            survey=survey, employer=EmployerFactory(), email=f"hr{n}@example.org", invited_by=None
        )
        AdvisoryMeetingFactory(
            starts_at=now - datetime.timedelta(days=n + 1),
            ends_at=now - datetime.timedelta(days=n + 1, hours=-1),
        )


def test_the_dashboard_takes_a_bounded_number_of_queries(
    client_for, admin, coordinator, django_assert_max_num_queries
):
    client = client_for(admin)
    client.get(reverse(STAFF_HOME))  # the session and the kept navigation, settled
    with django_assert_max_num_queries(15) as few:
        client.get(reverse(STAFF_HOME))
    _lots_to_do(coordinator)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        tasks, _ = dashboard(client)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert sum(t.count for (key, _), t in tasks.items() if key == "coding") == 3
    assert sum(t.count for (key, _), t in tasks.items() if key == "places") == 3


def test_quotes_to_check_and_drafts_are_counted_for_the_commission(client_for, commission_staff):
    consultation = published_consultation()
    published = recommendation(1)
    recommendation(2, publish=False)
    evidence = rest_on_theme(published, consultation, CHILDCARE)
    answer = evidence.theme.responses.first()
    for words in ("First words", "Second words"):
        recommendation_services.quote_save(evidence=evidence, response=answer, text=words)
    checked = evidence.quotes.first()
    recommendation_services.quote_check(quote=checked, checked_by=commission_staff)

    found, _page = dashboard(client_for(commission_staff))
    assert found[("quotes", "")].count == 1
    assert found[("drafts", "")].count == 1
    assert found[("quotes", "")].url == reverse("recommendations:staff_list")
