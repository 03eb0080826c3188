"""Demo data for ``seed_demo``: an open consultation to try, and a closed one with sample
answers and published findings, clearly named as a demonstration."""

import datetime
import random
import uuid

from django.utils import timezone

from surveys import publishing

from . import services
from .models import (
    AgeBand,
    Consultation,
    Disability,
    EthnicGroup,
    Interest,
    OptionKind,
    Sex,
    Ward,
)

PRIVACY = (
    "Your answers are anonymous: we do not ask your name and do not keep your IP address or "
    "browser details with them. The questions about you are optional and used only for "
    "equality monitoring. Anonymous answers are kept for five years; an email address you "
    "give for news is kept apart from your answers until you withdraw, or for two years."
)


def seed(activity=None) -> list[Consultation]:
    """Create the demo consultations unless they exist. Returns them."""
    now = timezone.now()
    open_one = Consultation.objects.filter(slug="digital-tech-have-your-say").first()
    if open_one is None:
        open_one = services.consultation_create(
            title="Digital tech jobs and skills: have your say",
            slug="digital-tech-have-your-say",
            opens_at=now - datetime.timedelta(days=14),
            closes_at=now + datetime.timedelta(days=60),
            introduction=(
                "The Diversity in Tech commission wants to hear from residents: what makes it "
                "hard to get digital tech skills or a job in digital tech, and what would help."
            ),
            privacy_notice=PRIVACY,
            activity=activity,
        )
    sample = Consultation.objects.filter(slug="demo-sample-answers").first()
    if sample is None:
        sample = services.consultation_create(
            title="Demonstration consultation with sample answers",
            slug="demo-sample-answers",
            opens_at=now - datetime.timedelta(days=120),
            closes_at=now - datetime.timedelta(days=30),
            introduction=(
                "A demonstration: every answer here was generated, not given by a resident."
            ),
            privacy_notice=PRIVACY,
        )
        _sample_answers(sample, count=240)
        _code_sample_answers(sample)
        publishing.findings_publish(
            questionnaire=sample,
            summary="A demonstration of published findings, built from generated answers.",
        )
    return [open_one, sample]


# The sample's free-text answers, and the theme staff would code each with.
SAMPLE_THEMES = {
    "Courses in the evening would help.": (
        "Courses at times that fit around work and caring",
        "Classes in the evening or at weekends, or short enough to fit around a job.",
    ),
    "I need a laptop.": (
        "A computer and getting online",
        "No laptop, or no broadband, to learn or apply with.",
    ),
}


def _code_sample_answers(consultation: Consultation) -> None:
    """Code each sample answer's words with its theme, as staff would."""
    themes = {
        words: services.theme_create(consultation=consultation, name=name, description=about)
        for words, (name, about) in SAMPLE_THEMES.items()
    }
    for response in consultation.responses.exclude(comments=""):
        services.response_code(response=response, themes=[themes[response.comments]], coded_by=None)


def _sample_answers(consultation: Consultation, *, count: int) -> None:
    rng = random.Random(2021)  # noqa: S311 - the same sample every time; not for security
    options = {kind: list(consultation.options.filter(kind=kind)) for kind in OptionKind.values}
    wards = [f"ward:{pk}" for pk in Ward.objects.values_list("pk", flat=True)]
    start = consultation.opens_at
    span = (consultation.closes_at - consultation.opens_at).total_seconds()
    for _ in range(count):
        answers = {
            "barriers": [
                str(o.pk) for o in rng.sample(options[OptionKind.BARRIER], rng.randint(1, 4))
            ],
            "changes": [
                str(o.pk) for o in rng.sample(options[OptionKind.CHANGE], rng.randint(1, 3))
            ],
            "support": [
                str(o.pk) for o in rng.sample(options[OptionKind.SUPPORT], rng.randint(0, 3))
            ],
            "interest": rng.choice(Interest.values),
            "comments": rng.choice(
                ["", "", "Courses in the evening would help.", "I need a laptop."]
            ),
            "age_band": rng.choice([*AgeBand.values, ""]),
            "sex": rng.choice([*Sex.values, ""]),
            "ethnic_group": rng.choice([*EthnicGroup.values, ""]),
            "disability": rng.choice([*Disability.values, ""]),
            "area": rng.choice([*wards, "outside", "prefer_not", ""]),
        }
        services.response_submit(
            consultation=consultation,
            answers=answers,
            submission_key=uuid.uuid4(),
            channel="paper",
            submitted_at=start + datetime.timedelta(seconds=rng.uniform(0, span)),
        )
