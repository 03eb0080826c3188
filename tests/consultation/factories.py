import datetime
import uuid

import factory
from django.utils import timezone

from consultation import services
from consultation.models import Consultation, OptionKind, Ward


class ConsultationFactory(factory.Factory):
    """An open consultation with the standard answer lists, set up as staff would."""

    class Meta:
        model = Consultation

    title = factory.Sequence(lambda n: f"Have your say {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    introduction = "Tell us what stops you getting into digital tech."
    privacy_notice = "We keep your answers for five years. They are anonymous."

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.consultation_create(**kwargs)


def option_ids(consultation, kind, *positions):
    options = list(consultation.options.filter(kind=kind).order_by("position"))
    return [str(options[p].pk) for p in positions]


def answers(consultation, **overrides):
    """A complete set of answers, as the questionnaire collects them."""
    data = {
        "barriers": option_ids(consultation, OptionKind.BARRIER, 0, 2),
        "barriers_other": "",
        "changes": option_ids(consultation, OptionKind.CHANGE, 1),
        "changes_other": "",
        "support": option_ids(consultation, OptionKind.SUPPORT, 0),
        "support_other": "",
        "interest": "very",
        "comments": "",
        "age_band": "25_34",
        "sex": "female",
        "gender_same_as_birth": "yes",
        "ethnic_group": "black_african",
        "disability": "no",
        "caring": "children",
        "employment": "looking",
        "area": f"ward:{Ward.objects.get(name='Dalston').pk}",
    }
    data.update(overrides)
    return data


def submit(consultation, **overrides):
    response, _ = services.response_submit(
        consultation=consultation,
        answers=answers(consultation, **overrides),
        submission_key=uuid.uuid4(),
    )
    return response


def translate_all(consultation, language, reviewer, *, mark="[tr]"):
    """Every text of ``consultation`` a resident reads, translated into ``language`` (as
    ``mark`` and the English) and reviewed, so the language is offered."""
    from consultation import languages
    from consultation.models import NewsTopic, Option

    for text in languages.needed(consultation):
        services.translation_save(
            consultation=consultation,
            language=language,
            part=text.part,
            option=Option.objects.filter(pk=text.option_id).first(),
            topic=NewsTopic.objects.filter(pk=text.topic_id).first(),
            text=f"{mark} {text.english}",
            reviewed_by=reviewer,
        )
