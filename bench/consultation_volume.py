"""Synthetic volumes for the benchmark: many responses, written in bulk.

Benchmark data only. It skips the service layer's per-response validation so that 100,000
responses load in seconds; the rows it makes are the shape ``response_submit`` makes.
"""

import datetime
import random
import uuid

from django.db import IntegrityError, transaction

from consultation.models import (
    AgeBand,
    AreaChoice,
    Consultation,
    Disability,
    EthnicGroup,
    Interest,
    OptionKind,
    Response,
    ResponseOption,
    ResponseTheme,
    Sex,
    Ward,
    new_reference,
)
from consultation.services import figures_changed, theme_create

BATCH = 5000


def _create_drawing_again(responses: list[Response]) -> None:
    """Insert ``responses``, drawing the batch's references again should one be taken (each
    try in a savepoint): at a million responses two random references meet about once, as
    ``response_submit`` handles for one response."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                Response.objects.bulk_create(responses, batch_size=BATCH)
            return
        except IntegrityError:
            for response in responses:
                response.pk, response.reference = None, new_reference()
    raise IntegrityError("No free references for a batch in 5 draws")


def add_responses(consultation: Consultation, count: int, *, seed: int = 1) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data, not security
    options = {k: list(consultation.options.filter(kind=k)) for k in OptionKind.values}
    themes = [
        theme_create(consultation=consultation, name=name)
        for name in ("Cost", "Timing of courses", "Confidence", "Childcare", "Equipment")
    ]
    wards = list(Ward.objects.values_list("pk", flat=True))
    span = (consultation.closes_at - consultation.opens_at).total_seconds()
    for start in range(0, count, BATCH):
        responses = []
        for _ in range(min(BATCH, count - start)):
            ward = rng.choice([*wards, None, None])
            responses.append(
                Response(
                    consultation=consultation,
                    reference=new_reference(),
                    submission_key=uuid.uuid4(),
                    submitted_at=consultation.opens_at
                    + datetime.timedelta(seconds=rng.uniform(0, span)),
                    interest=rng.choice(Interest.values),
                    comments=rng.choice(["", "", "Evening courses would help me."]),
                    age_band=rng.choice([*AgeBand.values, ""]),
                    sex=rng.choice([*Sex.values, ""]),
                    ethnic_group=rng.choice([*EthnicGroup.values, ""]),
                    disability=rng.choice([*Disability.values, ""]),
                    area=AreaChoice.WARD if ward else rng.choice(["outside", "prefer_not", ""]),
                    ward_id=ward,
                )
            )
        with transaction.atomic():
            _create_drawing_again(responses)
            links, codes = [], []
            for response in responses:
                for kind, (low, high) in (
                    (OptionKind.BARRIER, (1, 4)),
                    (OptionKind.CHANGE, (1, 3)),
                    (OptionKind.SUPPORT, (0, 2)),
                ):
                    for option in rng.sample(options[kind], rng.randint(low, high)):
                        links.append(ResponseOption(response=response, option=option))
                if response.comments:
                    for theme in rng.sample(themes, rng.randint(1, 2)):
                        codes.append(ResponseTheme(response=response, theme=theme))
            ResponseOption.objects.bulk_create(links, batch_size=BATCH)
            ResponseTheme.objects.bulk_create(codes, batch_size=BATCH)
            figures_changed(consultation_id=consultation.pk)
