"""Recommendations set up as staff would, on findings published as residents' answers,
coded and published, would give them."""

import datetime

from django.utils import timezone

from consultation import services as consultation_services
from consultation.models import Consultation
from recommendations import figures, services
from recommendations.models import EvidenceKind, Recommendation
from reporting.releases import current_release
from surveys import publishing
from tests.consultation.factories import ConsultationFactory, submit

# Answers coded with each theme: one theme raised often, one too rarely to publish.
CHILDCARE, TRAVEL = "Childcare while learning", "Cost of travel"


def published_consultation(*, often=24, rarely=2, total=40) -> Consultation:
    """A closed consultation whose findings are published: ``often`` answers coded with
    the childcare theme, ``rarely`` with the travel theme."""
    consultation = ConsultationFactory()
    childcare = consultation_services.theme_create(consultation=consultation, name=CHILDCARE)
    travel = consultation_services.theme_create(consultation=consultation, name=TRAVEL)
    for n in range(total):
        response = submit(
            consultation,
            comments="I cannot study without childcare, my name is Ada" if n < often else "",
            sex=("female", "male")[n % 2],
        )
        themes = [t for t, wanted in ((childcare, n < often), (travel, n < rarely)) if wanted]
        if themes:
            consultation_services.response_code(response=response, themes=themes, coded_by=None)
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    consultation.refresh_from_db()
    publishing.findings_publish(questionnaire=consultation, summary="What residents said.")
    return consultation


def theme_row(consultation, name):
    """(release, table, row key) of a theme in the consultation's current release."""
    release = current_release(consultation)
    for figure in figures.rows_of(release):
        if figure.table.startswith("themes|") and figure.label == name:
            return release, figure.table, figure.row_key
    raise LookupError(name)


def recommendation(number=1, *, publish=True, **fields) -> Recommendation:
    made = services.recommendation_save(
        number=number,
        title=fields.pop("title", f"Recommendation number {number}"),
        text=fields.pop("text", "Do the thing residents asked for."),
        owner=fields.pop("owner", "Economic Development"),
        **fields,
    )
    if publish:
        services.recommendation_publish(recommendation=made)
    return made


def rest_on_theme(recommendation, consultation, name, note=""):
    release, table, key = theme_row(consultation, name)
    return services.evidence_add(
        recommendation=recommendation,
        kind=EvidenceKind.FIGURE,
        release_id=release.pk,
        table=table,
        row_key=key,
        note=note,
    )
