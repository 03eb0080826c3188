"""Every CSV the portal produces, found from the URLconf, with formula text planted in every
field a resident, an organisation or staff can type: no cell of any of them runs as a
formula in a spreadsheet."""

import csv
import datetime
import io
import uuid

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from consultation import analysis as consultation_analysis
from consultation import demo as consultation_demo
from consultation import services as consultation_services
from consultation.models import Channel, OptionKind
from employers import selectors as employer_selectors
from employers import services as employer_services
from employers.models import Sector, SizeBand
from recommendations import services as recommendation_services
from reporting.csvfiles import FORMULA_STARTS
from reporting.releases import release_publish
from tests.employers.factories import SurveyFactory, complete_answers

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil","x")'


def _csv_url_names(patterns=None, namespace="") -> set[str]:
    """Every named URL whose address ends in ``.csv``."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _csv_url_names(pattern.url_patterns, inner)
        elif pattern.name and str(pattern.pattern).endswith(".csv"):
            names.add(namespace + pattern.name)
    return names


def _planted(admin):
    consultation, _closed = consultation_demo.seed()
    consultation_services.option_save(
        consultation=consultation, kind=OptionKind.BARRIER, label="-Planted answer label"
    )
    barrier = consultation.options.get(label="-Planted answer label")
    response, _ = consultation_services.response_submit(
        consultation=consultation,
        answers={
            "barriers": [str(barrier.pk)],
            **dict.fromkeys(consultation_services.TEXT_ANSWERS, FORMULA),
        },
        submission_key=uuid.uuid4(),
        channel=Channel.EVENT,
        channel_detail="@Tech Week stand",
    )
    theme = consultation_services.theme_create(consultation=consultation, name="+Planted theme")
    consultation_services.response_code(response=response, themes=[theme], coded_by=admin)
    # Published with the planted labels, so that the findings download has them too.
    release_publish(
        questionnaire=consultation,
        tables=consultation_analysis.publishable_tables(consultation),
        summary="",
    )

    survey = SurveyFactory()
    employer = employer_services.employer_save(
        name="=cmd|' /C calc'!A0", sector=Sector.TECH, size_band=SizeBand.SMALL, in_borough=True
    )
    employer_services.response_submit(
        survey=survey,
        employer=employer,
        answers=complete_answers(
            survey,
            barriers_other=FORMULA,
            changes_other="+SUM(1)",
            offers_other="@SUM(A1)",
            entry_level_roles="-2+3",
            contact_name=FORMULA,
        ),
    )
    release_publish(
        questionnaire=survey,
        tables=employer_selectors.publishable_tables(survey=survey),
        summary="",
    )
    # Closed with their findings published, so that the public downloads are there too.
    now = timezone.now()
    for questionnaire in (consultation, survey):
        type(questionnaire).objects.filter(pk=questionnaire.pk).update(
            opens_at=now - datetime.timedelta(days=2),
            closes_at=now - datetime.timedelta(days=1),
            findings_published=True,
        )
    # A published recommendation, for the open data downloads.
    recommendation_services.recommendation_publish(
        recommendation=recommendation_services.recommendation_save(
            number=1, title="=HYPERLINK(1)", text="-1", owner="@owner"
        )
    )
    return {
        "consultation": {"slug": consultation.slug},
        "consultation_staff": {"slug": consultation.slug},
        "employers": {"slug": survey.slug},
        "api-v1": {},
        "api-v1:findings_csv": {"questionnaire": "consultation", "slug": consultation.slug},
    }


def test_no_cell_of_any_csv_runs_as_a_formula(client_for, admin):
    params = _planted(admin)
    names = _csv_url_names()
    assert len(names) >= 8, names

    client = client_for(admin)
    for name in sorted(names):
        response = client.get(reverse(name, kwargs=params.get(name, params[name.split(":")[0]])))
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("text/csv"), name
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert cells, name
        live = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
        assert live == [], f"{name}: {live}"
        if name.endswith(("export_answers", "export_responses")):
            assert any(cell.startswith("'=HYPERLINK") for cell in cells), name
