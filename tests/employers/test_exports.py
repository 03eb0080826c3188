"""The employer survey's downloads for analysts: each coded answer as a label column and a
code column, and a data dictionary beside each download built from the same columns."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from employers import selectors, services
from employers.models import Apprenticeships, OptionKind, Sector, SizeBand
from reporting.breakdowns import shown_count
from reporting.releases import current_release, release_publish, release_tables
from surveys import publishing
from tests.employers.factories import (
    EmployerFactory,
    SurveyFactory,
    complete_answers,
    option_id,
    skill_id,
)

pytestmark = pytest.mark.django_db

# The request's 7 (session, user, groups, MFA, permissions twice, the survey) and the
# export's own: answer lists and skills once, then 3 for each chunk of 500 responses.
EXPORT_QUERIES = 12


@pytest.fixture
def survey():
    return SurveyFactory()


def _rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _records(response) -> list[dict]:
    header, *rows = _rows(response)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _dictionary(response):
    """The dictionary's columns in order, and the codes listed under each: {code: label},
    or {(where, code): label} for codes noted with the list they belong to."""
    header, *rows = _rows(response)
    assert header == ["column", "description", "type", "code", "label"]
    columns, codes = [], {}
    for name, description, kind, code, label in rows:
        if kind:
            assert description, name
            columns.append(name)
            codes[name] = {}
        else:
            assert name == columns[-1], "codes follow their column"
            codes[name][(description, code) if description else code] = label
    return columns, codes


def _responses(client, survey):
    return client.get(reverse("employers:export_responses", args=[survey.slug]))


def _submit(survey, name="Hackney Bakes Ltd", **answers):
    employer = EmployerFactory(
        name=name, sector=Sector.RETAIL, size_band=SizeBand.MICRO, in_borough=False
    )
    return services.response_submit(
        survey=survey, employer=employer, answers=complete_answers(survey, **answers)
    )


def test_each_coded_answer_has_its_label_and_its_code(client_for, commission_staff, survey):
    _submit(
        survey,
        apprenticeships=Apprenticeships.PLANNING,
        rank_3="other",
        other_skill="Customer care",
    )

    (row,) = _records(_responses(client_for(commission_staff), survey))

    assert row["organisation"] == "Hackney Bakes Ltd"
    assert (row["sector"], row["sector_code"]) == ("Retail and hospitality", "retail")
    assert (row["size"], row["size_code"]) == ("1 to 9 employees", "micro")
    assert (row["in_borough"], row["in_borough_code"]) == ("No", "no")
    assert (row["apprenticeships"], row["apprenticeships_code"]) == (
        "Not yet, but we plan to",
        "planning",
    )
    assert (row["skill_1"], row["skill_1_code"]) == (
        "Communication",
        skill_id(survey, "Communication"),
    )
    assert (row["skill_3"], row["skill_3_code"]) == ("Customer care", "other")
    assert (row["skill_4"], row["skill_4_code"]) == ("", "")
    assert row["entry_level_roles"] == "IT support apprentice"  # free text as it was typed
    assert row["contact_name"] == "Dee"


def test_several_answers_are_joined_labels_and_codes_in_the_same_order(
    client_for, commission_staff, survey
):
    options = list(survey.options.filter(kind=OptionKind.BARRIER).order_by("position"))
    _submit(
        survey,
        barriers=[option_id(survey, "barrier", 3), option_id(survey, "barrier", 1)],
        offers=[],
        offers_other="A stall at the market",
    )

    (row,) = _records(_responses(client_for(commission_staff), survey))

    assert row["barriers"] == f"{options[1].label}; {options[3].label}"
    assert row["barriers_code"] == f"{options[1].pk};{options[3].pk}"
    assert (row["offers"], row["offers_code"]) == ("", "")
    assert row["offers_other"] == "A stall at the market"


def test_the_responses_dictionary_lists_every_column_and_every_code(
    client_for, commission_staff, survey
):
    _submit(survey, rank_3="other", other_skill="Customer care")
    client = client_for(commission_staff)
    header, *rows = _rows(_responses(client, survey))

    dictionary = client.get(reverse("employers:export_responses_dictionary", args=[survey.slug]))
    columns, codes = _dictionary(dictionary)

    assert f"{survey.slug}-responses-dictionary.csv" in dictionary["Content-Disposition"]
    assert columns == header
    assert codes["sector_code"] == {code: str(label) for code, label in Sector.choices}
    assert codes["size_code"] == {code: str(label) for code, label in SizeBand.choices}
    assert codes["in_borough_code"] == {"yes": "Yes", "no": "No"}
    assert codes["apprenticeships_code"] == {c: str(label) for c, label in Apprenticeships.choices}
    for name, kind in (("barriers", "barrier"), ("changes", "change"), ("offers", "offer")):
        assert codes[f"{name}_code"] == {
            str(o.pk): o.label for o in survey.options.filter(kind=kind)
        }, name
        assert codes[name] == {}
    skills = {str(s.pk): s.name for s in survey.skills.all()}
    for rank in range(1, 6):
        assert set(codes[f"skill_{rank}_code"]) == {*skills, "other"}
    record = dict(zip(header, rows[0], strict=True))
    for name in header:
        if name.endswith("_code") and record[name] and record[name] != "other":
            listed = [codes[name][code] for code in record[name].split(";")]
            assert record[name.removesuffix("_code")] == "; ".join(listed), name


def test_the_responses_export_streams_its_header_before_reading_any_response(
    client_for, commission_staff, survey
):
    _submit(survey)
    response = _responses(client_for(commission_staff), survey)
    assert response.streaming
    chunks = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        assert next(chunks) == "\ufeff".encode()
        header = next(chunks).decode()
    assert header.startswith("organisation,sector,sector_code,size,size_code,")
    assert not [q for q in queries.captured_queries if "employers_employerresponse" in q["sql"]]
    assert len(b"".join(chunks).decode().splitlines()) == 1


def test_the_responses_export_and_its_dictionary_make_a_fixed_number_of_queries(
    client_for, commission_staff, survey, django_assert_max_num_queries
):
    client = client_for(commission_staff)
    urls = [
        reverse("employers:export_responses", args=[survey.slug]),
        reverse("employers:export_responses_dictionary", args=[survey.slug]),
    ]
    for size in (1, 20):
        for _ in range(size):
            services.response_submit(
                survey=survey, employer=EmployerFactory(), answers=complete_answers(survey)
            )
        for url in urls:
            with django_assert_max_num_queries(EXPORT_QUERIES):
                assert len(_rows(client.get(url))) > 1


def _publish(survey):
    release_publish(
        questionnaire=survey, tables=selectors.publishable_tables(survey=survey), summary=""
    )
    return current_release(survey)


def _spread(survey):
    for sector, n in ((Sector.TECH, 7), (Sector.PUBLIC, 2), (Sector.RETAIL, 6)):
        for _ in range(n):
            services.response_submit(
                survey=survey,
                employer=EmployerFactory(sector=sector, size_band=SizeBand.SMALL),
                answers=complete_answers(survey),
            )


def _sections(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    answers, ranking = text.split("\r\n\r\n")
    return list(csv.reader(io.StringIO(answers))), list(csv.reader(io.StringIO(ranking)))


def _published_as_before(release, by):
    """The findings export as it was written before it had code columns."""
    threshold = release.audit["threshold"]
    questions = dict(OptionKind.choices)
    tables = release_tables(release)
    answers = []
    for (kind, dimension), table in tables.items():
        if dimension != by:
            continue
        for row in table.rows:
            answers.append(
                [
                    questions[kind],
                    row.label,
                    "All",
                    shown_count(row.total, threshold),
                    row.total.shown_percent or "",
                ]
            )
            for (_, group), cell in zip(table.columns, row.cells, strict=True):
                answers.append(
                    [
                        questions[kind],
                        row.label,
                        group,
                        shown_count(cell, threshold),
                        "" if cell.shown_percent is None else cell.shown_percent,
                    ]
                )
    ranking = tables.get(selectors.RANKING)
    ranked = [
        [item.label, position, shown_count(item.points, threshold),
         shown_count(item.in_top, threshold)]
        for position, item in enumerate(ranking.items if ranking else [], start=1)
    ]  # fmt: skip
    return (
        [[str(cell) for cell in row] for row in answers],
        [[str(cell) for cell in row] for row in ranked],
    )


@pytest.mark.parametrize("by", sorted(selectors.DIMENSIONS))
def test_the_findings_export_keeps_every_published_figure_and_adds_codes(
    client_for, commission_staff, survey, by
):
    _spread(survey)
    release = _publish(survey)

    answers, ranking = _sections(
        client_for(commission_staff).get(
            reverse("employers:export_findings", args=[survey.slug]), {"by": by}
        )
    )

    header, *rows = answers
    assert header == [
        "question", "question_code", "answer", "answer_code", "group", "group_code", "count",
        "percent of group",
    ]  # fmt: skip
    ranking_header, *ranked = ranking
    assert ranking_header == ["skill", "skill_code", "rank", "Borda points", "in a top five"]
    before = ["question", "answer", "group", "count", "percent of group"]
    as_before = (
        [[row[header.index(name)] for name in before] for row in rows],
        [[row[0], *row[2:]] for row in ranked],
    )
    assert as_before == _published_as_before(release, by)
    assert any(row[header.index("count")] == "fewer than 5" for row in rows)
    records = [dict(zip(header, row, strict=True)) for row in rows]
    choices = dict(Sector.choices if by == "sector" else SizeBand.choices)
    for record in records:
        assert str(dict(OptionKind.choices)[record["question_code"]]) == record["question"]
        if record["group_code"] == "all":
            assert record["group"] == "All"
        else:
            assert str(choices[record["group_code"]]) == record["group"]
    assert [(row[0], row[1]) for row in ranked] == [
        ("Communication", skill_id(survey, "Communication")),
        ("Problem solving", skill_id(survey, "Problem solving")),
    ]


def test_the_findings_dictionary_lists_the_columns_of_both_sections_and_every_code(
    client_for, commission_staff, survey
):
    _spread(survey)
    _publish(survey)
    client = client_for(commission_staff)
    answers, ranking = _sections(
        client.get(reverse("employers:export_findings", args=[survey.slug]))
    )

    dictionary = client.get(reverse("employers:export_findings_dictionary", args=[survey.slug]))
    columns, codes = _dictionary(dictionary)

    assert "findings-release-1-by-sector-dictionary.csv" in dictionary["Content-Disposition"]
    assert columns == answers[0] + ranking[0]
    assert codes["question_code"] == {code: str(label) for code, label in OptionKind.choices}
    assert codes["group_code"] == {
        "all": "All",
        "tech": "Digital and technology",
        "public": "Public sector",
        "retail": "Retail and hospitality",
    }
    barriers = survey.options.filter(kind=OptionKind.BARRIER)
    assert {
        code: label
        for (where, code), label in codes["answer_code"].items()
        if where == "Barrier to local recruitment"
    } == {str(o.pk): o.label for o in barriers}
    assert codes["skill_code"] == {
        skill_id(survey, "Communication"): "Communication",
        skill_id(survey, "Problem solving"): "Problem solving",
    }  # the skills published, and only those
    header = answers[0]
    for row in answers[1:]:
        record = dict(zip(header, row, strict=True))
        assert codes["group_code"][record["group_code"]] == record["group"]
        assert codes["answer_code"][(record["question"], record["answer_code"])] == record["answer"]


def test_the_findings_dictionary_is_only_of_what_is_published(client_for, commission_staff, survey):
    response = client_for(commission_staff).get(
        reverse("employers:export_findings_dictionary", args=[survey.slug])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("employers:staff_survey", args=[survey.slug])


def test_the_staff_page_links_each_dictionary_beside_its_download(
    client_for, commission_staff, survey
):
    html = (
        client_for(commission_staff)
        .get(reverse("employers:staff_survey", args=[survey.slug]))
        .content.decode()
    )
    for name in ("export_responses", "export_findings"):
        download = reverse(f"employers:{name}", args=[survey.slug])
        dictionary = reverse(f"employers:{name}_dictionary", args=[survey.slug])
        assert f'href="{download}"' in html
        assert f'href="{dictionary}"' in html


def test_anyone_reading_the_findings_can_download_them_as_published(
    client, client_for, commission_staff, survey
):
    _spread(survey)
    figures = reverse("employers:findings_figures", args=[survey.slug])
    codes = reverse("employers:findings_figures_dictionary", args=[survey.slug])
    assert client.get(figures).status_code == 404  # open: nothing published yet
    with time_machine.travel(survey.closes_at + datetime.timedelta(hours=1)):
        publishing.findings_publish(questionnaire=survey, summary="What employers told us.")
        page = client.get(reverse("employers:findings", args=[survey.slug]), {"by": "size_band"})
        download = client.get(figures, {"by": "size_band"})
        dictionary = client.get(codes, {"by": "size_band"})
        staff_copy = client_for(commission_staff).get(
            reverse("employers:export_findings", args=[survey.slug]), {"by": "size_band"}
        )

    html = page.content.decode()
    top = html[: html.index("<h2")]
    assert '<dt class="govuk-summary-list__key">Published</dt>' in top
    assert f'href="{figures}?by=size_band"' in top
    assert f'href="{codes}?by=size_band"' in top
    assert download.status_code == 200
    assert "findings-release-1-by-size_band.csv" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == b"".join(staff_copy.streaming_content)
    assert "findings-release-1-by-size_band-dictionary.csv" in dictionary["Content-Disposition"]
