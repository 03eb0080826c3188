"""Every release of an employer survey holds against an interval attack over all its
public tables, the skills ranking and the earlier releases included."""

import datetime
import random

import pytest
import time_machine
from django.conf import settings

from employers import services
from reporting.disclosure import build_problem, exposures
from reporting.releases import release_tables, releases_of
from surveys import publishing
from tests.employers.factories import EmployerFactory, SurveyFactory, complete_answers

pytestmark = pytest.mark.django_db


def _answers(survey, rng):
    def some(kind, most):
        options = list(survey.options.filter(kind=kind))
        return [str(o.pk) for o in rng.sample(options, rng.randint(1, most))]

    ranked = rng.sample(list(survey.skills.all()), rng.randint(1, 5))
    return complete_answers(
        survey,
        barriers=some("barrier", 3),
        changes=some("change", 2),
        offers=some("offer", 2),
        **{f"rank_{n}": str(skill.pk) for n, skill in enumerate(ranked, start=1)},
    )


def _submit(survey, rng):
    services.response_submit(
        survey=survey, employer=EmployerFactory(), answers=_answers(survey, rng)
    )


def test_no_release_of_an_employer_survey_lets_a_small_count_be_narrowed():
    rng = random.Random(13)  # noqa: S311 - reproducible test answers, not security
    survey = SurveyFactory()
    for _ in range(14):
        _submit(survey, rng)
    first_close = survey.closes_at + datetime.timedelta(hours=1)
    with time_machine.travel(first_close):
        publishing.findings_publish(questionnaire=survey, summary="First look.")
        # Reopened for a late organisation, then published again.
        services.survey_update(survey=survey, closes_at=first_close + datetime.timedelta(days=2))
    with time_machine.travel(first_close + datetime.timedelta(days=1)):
        _submit(survey, rng)
    with time_machine.travel(first_close + datetime.timedelta(days=3)):
        publishing.findings_publish(questionnaire=survey, summary="With the late one.")

    releases = list(releases_of(survey).order_by("number"))
    assert releases[1].audit["small"] > 0  # there was something to protect
    first, second = (release_tables(r) for r in releases)
    threshold, protection = settings.SUPPRESSION_THRESHOLD, settings.DISCLOSURE_PROTECTION_RANGE
    assert exposures(build_problem(first, threshold=threshold), protection) == []
    later = build_problem(second, threshold=threshold, earlier=[first])
    assert exposures(later, protection) == []
