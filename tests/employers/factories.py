import datetime

import factory
from django.utils import timezone

from employers import services
from employers.models import Employer, Sector, SizeBand, Survey


class SurveyFactory(factory.Factory):
    """An open survey with the standard lists, set up as staff would."""

    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Employer survey {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=3))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    introduction = "Tell us about recruiting locally."
    privacy_notice = "We keep answers for five years."

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.survey_create(**kwargs)


class EmployerFactory(factory.Factory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Employer {n} Ltd")
    sector = Sector.TECH
    size_band = SizeBand.SMALL
    in_borough = True

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.employer_save(**kwargs)


def skill_id(survey, name):
    return str(survey.skills.get(name=name).pk)


def option_id(survey, kind, position=0):
    return str(survey.options.filter(kind=kind).order_by("position")[position].pk)


def complete_answers(survey, **overrides):
    answers = {
        "barriers": [option_id(survey, "barrier", 0)],
        "barriers_other": "",
        "changes": [option_id(survey, "change", 1)],
        "changes_other": "",
        "rank_1": skill_id(survey, "Communication"),
        "rank_2": skill_id(survey, "Problem solving"),
        "rank_3": "",
        "rank_4": "",
        "rank_5": "",
        "other_skill": "",
        "entry_level_roles": "IT support apprentice",
        "apprenticeships": "yes",
        "offers": [option_id(survey, "offer", 0)],
        "offers_other": "",
        "contact_name": "Dee",
    }
    answers.update(overrides)
    return answers
