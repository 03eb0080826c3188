"""The course evaluation: three questions before and after the course, sent through the
outbox as each cohort starts and ends, answered once, and reported per cohort to the
coordinators under the disclosure control, with response rates."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from network import services
from network.models import EvaluationAnswer
from notifications.models import Message
from tests.network.factories import cohort, commitment, member

pytestmark = pytest.mark.django_db

STARTS = datetime.date(2027, 3, 1)  # a six-week course: it ends on 12 April 2027


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), datetime.UTC))


@pytest.fixture
def course(coordinator):
    course = cohort(starts_on=STARTS)
    for n in range(7):
        services.place_nominate(
            cohort=course, member=member(f"Person {n}", org="Camden"), commitment=commitment()
        )
    return course


def answer(place, stage, **answers):
    return services.evaluation_answer(
        place=place,
        member=place.member,
        stage=stage,
        **{"confidence": 2, "efficacy": 3, "connections": 1, **answers},
    )


def test_the_questionnaires_go_out_as_the_course_starts_and_ends_once_each(course):
    sent = Message.objects.filter(topic="network.evaluation")
    with at(STARTS - datetime.timedelta(days=1)):
        services.evaluation_due()
    assert sent.count() == 0
    with at(STARTS):
        services.evaluation_due()
        services.evaluation_due()
    assert sent.count() == 7
    with at(datetime.date(2027, 4, 12)):
        services.evaluation_due()
        services.evaluation_due()
    assert sent.count() == 14
    assert sent.filter(params__stage="after").count() == 7


def test_each_questionnaire_is_answered_once_while_it_is_open(course, client_for):
    place = course.places.first()
    with at(STARTS - datetime.timedelta(days=1)), pytest.raises(services.NotAllowed):
        answer(place, "before")
    with at(STARTS):
        client = client_for(place.member.user)
        url = reverse("network:evaluation", args=[place.pk, "before"])
        refused = client.post(url, {"confidence": "2"})
        assert "Select how far you agree" in refused.content.decode()
        assert 'value="2" checked' in refused.content.decode()  # nothing chosen is lost
        client.post(url, {"confidence": "2", "efficacy": "4", "connections": "3"})
        with pytest.raises(services.NotAllowed):
            answer(place, "before")
    assert EvaluationAnswer.objects.get().efficacy == 4
    other = member(org="Brent")
    assert client_for(other.user).get(url).status_code == 404


def test_results_per_cohort_show_rates_and_withhold_small_counts(course, client_for, coordinator):
    places = list(course.places.all())
    with at(STARTS):
        for place in places:
            answer(place, "before", confidence=2 if place != places[0] else 1)
    with at(datetime.date(2027, 4, 12)):
        for place in places[:6]:
            answer(place, "after", confidence=4)
    page = client_for(coordinator).get(reverse("network:cohort_evaluation", args=[course.pk]))
    html = page.content.decode()
    assert "7 of 7 people with places answered" in html
    assert "6 of 7 people with places answered" in html
    # One person alone was "not at all confident" before: never shown as 1.
    evaluation = page.context["evaluation"]
    question, confidence = evaluation.tables[0]
    assert question.startswith("How confident")
    alone = next(row for row in confidence.rows if row.key == 1)
    assert alone.cells[0].suppressed
    assert "fewer than 5" in html


def test_answers_of_places_withdrawn_since_are_not_counted(course, client_for, coordinator):
    places = list(course.places.all())
    with at(STARTS):
        for place in places:
            answer(place, "before")
    services.place_withdraw(place=places[0])
    page = client_for(coordinator).get(reverse("network:cohort_evaluation", args=[course.pk]))
    assert "6 of 6 people with places answered" in page.content.decode()


def test_a_cohort_with_no_answers_yet_says_so(course, client_for, coordinator):
    page = client_for(coordinator).get(reverse("network:cohort_evaluation", args=[course.pk]))
    assert "No answers yet" in page.content.decode()
