"""A recommendation resting on the employer survey: the skills ranking's figure as its
release published it, and the survey's findings page leading to the recommendation."""

import datetime

import pytest
from django.urls import reverse

from employers import services as employer_services
from employers.models import Survey
from recommendations import selectors, services
from recommendations.models import EvidenceKind
from surveys import publishing
from tests.employers.factories import EmployerFactory, SurveyFactory, complete_answers

from .factories import recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    """Seven organisations ranked communication first; the survey closed and published."""
    survey = SurveyFactory()
    for n in range(7):
        employer_services.response_submit(
            survey=survey,
            employer=EmployerFactory(name=f"Organisation {n}"),
            answers=complete_answers(survey),
        )
    Survey.objects.filter(pk=survey.pk).update(
        closes_at=survey.opens_at + datetime.timedelta(days=1)
    )
    survey.refresh_from_db()
    publishing.findings_publish(questionnaire=survey, summary="What employers said.")
    return survey


def test_a_skill_employers_ranked_is_evidence_with_its_published_figure(client, survey):
    found = selectors.search("communication")
    (skill,) = [f for f in found.figures if f.table == "skills|ranking"]
    assert skill.who == "employers"
    assert skill.figure.count == 7  # every organisation ranked it in its top five
    made = recommendation(1, title="Teach communication on courses")
    services.evidence_add(
        recommendation=made,
        kind=EvidenceKind.FIGURE,
        release_id=skill.release.pk,
        table=skill.table,
        row_key=skill.row_key,
    )
    page = client.get(made.get_absolute_url()).content.decode()
    assert "Skills employers rank in their top five for an entry-level role" in page
    assert reverse("employers:findings", args=[survey.slug]) in page

    findings = client.get(reverse("employers:findings", args=[survey.slug])).content.decode()
    assert made.get_absolute_url() in findings


def test_how_many_ranked_a_skill_at_each_place_is_never_published(client, survey):
    """The ranking publishes points and top-five counts; the counts at each position are
    kept for the audit only (with them, two employers' rankings could be read off)."""
    path = f"/api/v1/findings/employer-survey/{survey.slug}"
    (ranking,) = [t for t in client.get(path).json()["tables"] if t["name"] == "skills|ranking"]
    assert ranking["columns"] == ["points"]
    assert all(len(row["cells"]) == 1 for row in ranking["rows"])
    lines = b"".join(client.get(f"{path}.csv").streaming_content).decode("utf-8-sig")
    columns = {line.split(",")[4] for line in lines.splitlines()[1:] if "skills|ranking" in line}
    assert columns == {"all", "points"}
