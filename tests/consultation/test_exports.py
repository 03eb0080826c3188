"""The consultation's downloads for analysts: each coded answer as a label column and a code
column, and a data dictionary beside each download built from the same columns."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultation import analysis, services
from consultation.models import (
    AgeBand,
    Caring,
    Channel,
    Disability,
    Employment,
    EthnicGroup,
    Interest,
    OptionKind,
    Sex,
    Ward,
    YesNo,
)
from reporting.breakdowns import shown_count
from reporting.releases import current_release, release_tables
from surveys import publishing
from tests.consultation.factories import ConsultationFactory, option_ids, submit

pytestmark = pytest.mark.django_db

# The request's 7 (session, user, groups, MFA, permissions twice, the consultation) and the
# export's own 6: answer lists, themes, wards, responses, ticked answers, themes applied.
EXPORT_QUERIES = 13

CHOICES = {
    "channel": Channel,
    "interest": Interest,
    "age_band": AgeBand,
    "sex": Sex,
    "gender_same_as_birth": YesNo,
    "ethnic_group": EthnicGroup,
    "disability": Disability,
    "caring": Caring,
    "employment": Employment,
}


@pytest.fixture
def consultation():
    return ConsultationFactory(title="Digital tech: have your say")


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


def _answers(client, consultation):
    return client.get(reverse("consultation_staff:export_answers", args=[consultation.slug]))


def test_each_coded_answer_has_its_label_and_its_code(client_for, commission_staff, consultation):
    dalston = Ward.objects.get(name="Dalston")
    outside = submit(
        consultation,
        age_band="55_64",
        ethnic_group="white_gypsy_traveller",
        sex="prefer_not",
        interest="not_sure",
        disability="",
        area="outside",
    )
    in_ward = submit(consultation, comments="Commas, and; semicolons", barriers_other="Bus")

    rows = {
        r["reference"]: r for r in _records(_answers(client_for(commission_staff), consultation))
    }

    row = rows[outside.reference]
    assert (row["age_band"], row["age_band_code"]) == ("55 to 64", "55_64")
    assert (row["ethnic_group"], row["ethnic_group_code"]) == (
        "Gypsy or Irish Traveller",
        "white_gypsy_traveller",
    )
    assert (row["sex"], row["sex_code"]) == ("Prefer not to say", "prefer_not")
    assert (row["interest"], row["interest_code"]) == ("Not sure", "not_sure")
    assert (row["channel"], row["channel_code"]) == ("Online", "online")
    assert (row["area"], row["area_code"]) == ("Outside the borough", "outside")
    assert (row["disability"], row["disability_code"]) == ("", "")  # skipped: both blank
    ward_row = rows[in_ward.reference]
    assert (ward_row["area"], ward_row["area_code"]) == ("Dalston", str(dalston.pk))
    assert (ward_row["caring"], ward_row["caring_code"]) == ("Yes, for children", "children")
    # Free text, the reference and the date are kept as they were, in one column each.
    assert ward_row["comments"] == "Commas, and; semicolons"
    assert ward_row["barriers_other"] == "Bus"
    assert ward_row["reference"] == in_ward.reference
    london = in_ward.submitted_at.astimezone(ZoneInfo("Europe/London"))
    assert ward_row["submitted_at"] == london.isoformat(timespec="minutes")
    assert "comments_code" not in ward_row
    assert "submitted_at_code" not in ward_row


def test_several_answers_are_joined_labels_and_codes_in_the_same_order(
    client_for, commission_staff, consultation
):
    barriers = list(consultation.options.filter(kind=OptionKind.BARRIER).order_by("position"))
    response = submit(consultation, barriers=option_ids(consultation, OptionKind.BARRIER, 4, 0, 2))
    timing = services.theme_create(consultation=consultation, name="Timing")
    cost = services.theme_create(consultation=consultation, name="Cost")
    services.response_code(response=response, themes=[timing, cost], coded_by=commission_staff)
    submit(consultation, barriers=[], barriers_other="Only in words", support=[])

    ticked, untouched = _records(_answers(client_for(commission_staff), consultation))

    in_order = [barriers[0], barriers[2], barriers[4]]  # the questionnaire's order
    assert ticked["barriers"] == "; ".join(o.label for o in in_order)
    assert ticked["barriers_code"] == ";".join(str(o.pk) for o in in_order)
    assert (ticked["themes"], ticked["themes_code"]) == ("Cost; Timing", f"{cost.pk};{timing.pk}")
    assert (untouched["barriers"], untouched["barriers_code"]) == ("", "")
    assert (untouched["support"], untouched["support_code"]) == ("", "")
    assert (untouched["themes"], untouched["themes_code"]) == ("", "")


def test_the_answers_dictionary_lists_every_column_and_every_code(
    client_for, commission_staff, consultation
):
    services.option_save(consultation=consultation, kind=OptionKind.CHANGE, label="Buses; trains")
    response = submit(consultation, area="prefer_not")
    theme = services.theme_create(consultation=consultation, name="Cost")
    services.response_code(response=response, themes=[theme], coded_by=commission_staff)
    client = client_for(commission_staff)
    header, *rows = _rows(_answers(client, consultation))

    dictionary = client.get(
        reverse("consultation_staff:export_answers_dictionary", args=[consultation.slug])
    )
    columns, codes = _dictionary(dictionary)

    assert dictionary["Content-Type"] == "text/csv; charset=utf-8"
    assert f"{consultation.slug}-answers-dictionary.csv" in dictionary["Content-Disposition"]
    assert columns == header
    for name, choices in CHOICES.items():
        assert codes[f"{name}_code"] == {c: str(label) for c, label in choices.choices}, name
        assert codes[name] == {}  # the codes are listed once, under the code column
    for name, kind in (("barriers", "barrier"), ("changes", "change"), ("support", "support")):
        assert codes[f"{name}_code"] == {
            str(o.pk): o.label for o in consultation.options.filter(kind=kind)
        }, name
    assert "Buses; trains" in codes["changes_code"].values()
    assert codes["themes_code"] == {str(theme.pk): "Cost"}
    assert codes["area_code"] == {
        **{str(w.pk): w.name for w in Ward.objects.all()},
        "outside": "Outside the borough",
        "prefer_not": "Prefer not to say",
    }
    # Every label in the export is its code's label in the dictionary.
    for row in rows:
        record = dict(zip(header, row, strict=True))
        for name in header:
            if name.endswith("_code") and record[name]:
                label = record[name.removesuffix("_code")]
                listed = [codes[name][code] for code in record[name].split(";")]
                assert label == "; ".join(listed), name


def test_the_answers_export_streams_its_header_before_reading_any_response(
    client_for, commission_staff, consultation
):
    submit(consultation)
    response = _answers(client_for(commission_staff), consultation)
    assert response.streaming
    chunks = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        assert next(chunks) == "\ufeff".encode()
        header = next(chunks).decode()
    assert header.startswith("reference,submitted_at,channel,channel_code,")
    assert not [q for q in queries.captured_queries if "consultation_response" in q["sql"]]
    assert len(b"".join(chunks).decode().splitlines()) == 1


def test_the_answers_export_and_its_dictionary_make_a_fixed_number_of_queries(
    client_for, commission_staff, consultation, django_assert_max_num_queries
):
    client = client_for(commission_staff)
    theme = services.theme_create(consultation=consultation, name="Cost")
    urls = [
        reverse("consultation_staff:export_answers", args=[consultation.slug]),
        reverse("consultation_staff:export_answers_dictionary", args=[consultation.slug]),
    ]
    for size in (1, 30):
        for _ in range(size):
            services.response_code(
                response=submit(consultation), themes=[theme], coded_by=commission_staff
            )
        for url in urls:
            with django_assert_max_num_queries(EXPORT_QUERIES):
                assert len(_rows(client.get(url))) > 1


def _publish(consultation):
    with time_machine.travel(consultation.closes_at + datetime.timedelta(hours=1)):
        publishing.findings_publish(questionnaire=consultation, summary="Findings.")
    return current_release(consultation)


def _spread(consultation):
    for group, n in [("black_african", 7), ("black_caribbean", 2), ("white_irish", 6)]:
        for _ in range(n):
            submit(consultation, ethnic_group=group)
    submit(consultation, ethnic_group="", area="outside")
    services.response_code(
        response=submit(consultation),
        themes=[services.theme_create(consultation=consultation, name="Cost")],
        coded_by=None,
    )


def _published_as_before(release, dimension):
    """The figures of the aggregate export as it was written before it had code columns:
    question, answer, grouped by, group, count, percent of group."""
    threshold = release.audit["threshold"]
    figures = analysis.published(release_tables(release), dimension)
    rows = []
    for question, breakdown in (
        ("Barriers", figures.barriers),
        ("Changes asked for", figures.changes),
        ("Support that would help", figures.support),
        ("Themes in free text", figures.themes),
    ):
        for row in breakdown.rows:
            total = row.total
            rows.append(
                [
                    question,
                    row.label,
                    "All respondents",
                    "",
                    shown_count(total, threshold),
                    "" if total.shown_percent is None else total.shown_percent,
                ]
            )
            for (_, group), cell in zip(breakdown.columns, row.cells, strict=True):
                rows.append(
                    [
                        question,
                        row.label,
                        str(dimension.label),
                        group,
                        shown_count(cell, threshold),
                        "" if cell.shown_percent is None else cell.shown_percent,
                    ]
                )
    sizes = figures.barriers
    rows.append(
        ["Respondents", "", "All respondents", "", shown_count(sizes.respondents, threshold), ""]
    )
    for (_, group), size in zip(sizes.columns, sizes.group_sizes, strict=True):
        rows.append(
            ["Respondents", "", str(dimension.label), group, shown_count(size, threshold), ""]
        )
    return [[str(cell) for cell in row] for row in rows]


BEFORE = ["question", "answer", "grouped by", "group", "count", "percent of group"]


@pytest.mark.parametrize("by", sorted(analysis.PUBLIC_DIMENSIONS))
def test_the_aggregate_export_keeps_every_published_figure_and_adds_codes(
    client_for, commission_staff, consultation, by
):
    _spread(consultation)
    release = _publish(consultation)
    dimension = analysis.PUBLIC_DIMENSIONS[by]

    header, *rows = _rows(
        client_for(commission_staff).get(
            reverse("consultation_staff:export_aggregate", args=[consultation.slug]), {"by": by}
        )
    )

    assert header == [
        "question", "question_code", "answer", "answer_code", "grouped by", "grouped_by_code",
        "group", "group_code", "count", "percent of group",
    ]  # fmt: skip
    as_before = [[row[header.index(name)] for name in BEFORE] for row in rows]
    assert as_before == _published_as_before(release, dimension)
    assert any(row[header.index("count")] == "fewer than 5" for row in rows)
    figures = analysis.published(release_tables(release), dimension)
    records = [dict(zip(header, row, strict=True)) for row in rows]
    barrier = figures.barriers.rows[0]
    assert {
        (r["question_code"], r["answer_code"], r["answer"])
        for r in records
        if r["question"] == "Barriers"
    } >= {("barriers", str(barrier.key), barrier.label)}
    assert {(r["grouped by"], r["grouped_by_code"]) for r in records} == {
        ("All respondents", "all"),
        (str(dimension.label), by),
    }
    assert {(r["group_code"], r["group"]) for r in records if r["grouped_by_code"] == by} == {
        (str(key), label) for key, label in figures.barriers.columns
    }


def test_the_aggregate_dictionary_lists_every_column_and_every_code(
    client_for, commission_staff, consultation
):
    _spread(consultation)
    _publish(consultation)
    client = client_for(commission_staff)
    export_url = reverse("consultation_staff:export_aggregate", args=[consultation.slug])
    header, *rows = _rows(client.get(export_url, {"by": "area"}))

    dictionary = client.get(
        reverse("consultation_staff:export_aggregate_dictionary", args=[consultation.slug]),
        {"by": "area"},
    )
    columns, codes = _dictionary(dictionary)

    assert "findings-release-1-by-area-dictionary.csv" in dictionary["Content-Disposition"]
    assert columns == header
    assert codes["question_code"] == {
        "barriers": "Barriers",
        "changes": "Changes asked for",
        "support": "Support that would help",
        "themes": "Themes in free text",
        "respondents": "Respondents",
    }
    assert codes["grouped_by_code"] == {"all": "All respondents", "area": "Area"}
    dalston = Ward.objects.get(name="Dalston")
    assert codes["group_code"] == {str(dalston.pk): "Dalston", "outside": "Outside the borough"}
    theme = consultation.themes.get()
    barriers = consultation.options.filter(kind=OptionKind.BARRIER)
    assert codes["answer_code"][("Themes in free text", str(theme.pk))] == "Cost"
    assert {
        code: label for (where, code), label in codes["answer_code"].items() if where == "Barriers"
    } == {str(o.pk): o.label for o in barriers}
    pairs = {"question": "question_code", "grouped by": "grouped_by_code", "group": "group_code"}
    for row in rows:
        record = dict(zip(header, row, strict=True))
        for name, code_column in pairs.items():
            if record[code_column]:
                assert codes[code_column][record[code_column]] == record[name], name
        if record["answer_code"]:
            answer = (record["question"], record["answer_code"])
            assert codes["answer_code"][answer] == record["answer"]


def test_the_aggregate_dictionary_is_only_of_what_is_published(
    client_for, commission_staff, consultation
):
    submit(consultation)
    response = client_for(commission_staff).get(
        reverse("consultation_staff:export_aggregate_dictionary", args=[consultation.slug])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("consultation_staff:detail", args=[consultation.slug])


def test_the_staff_page_links_each_dictionary_beside_its_download(
    client_for, commission_staff, consultation
):
    html = (
        client_for(commission_staff)
        .get(reverse("consultation_staff:detail", args=[consultation.slug]))
        .content.decode()
    )
    for name in ("export_answers", "export_aggregate"):
        download = reverse(f"consultation_staff:{name}", args=[consultation.slug])
        dictionary = reverse(f"consultation_staff:{name}_dictionary", args=[consultation.slug])
        assert f'href="{download}"' in html
        assert f'href="{dictionary}"' in html
