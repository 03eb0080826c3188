import csv
import datetime
import io
import re
import uuid
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from consultation import services
from consultation.models import (
    Channel,
    Contact,
    EthnicGroup,
    Option,
    OptionKind,
    Response,
    Theme,
    Ward,
)
from surveys import publishing
from tests.conftest import date_input
from tests.consultation.factories import ConsultationFactory, option_ids, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    return ConsultationFactory(title="Digital tech: have your say")


def staff_urls(consultation):
    slug = consultation.slug
    return [
        reverse("consultation_staff:list"),
        reverse("consultation_staff:create"),
        reverse("consultation_staff:wards"),
        reverse("consultation_staff:detail", args=[slug]),
        reverse("consultation_staff:edit", args=[slug]),
        reverse("consultation_staff:option_add", args=[slug]),
        reverse("consultation_staff:response_enter", args=[slug]),
        reverse("consultation_staff:results", args=[slug]),
        reverse("consultation_staff:coding", args=[slug]),
        reverse("consultation_staff:export_answers", args=[slug]),
        reverse("consultation_staff:export_aggregate", args=[slug]),
        reverse("consultation_staff:findings_manage", args=[slug]),
    ]


def test_staff_pages_are_for_commission_staff_and_admins_only(
    client_for, consultation, member, coordinator, commission_staff, admin, staff_without_mfa
):
    submit(consultation, comments="Private words")
    _publish(consultation)  # the findings download is of what is published
    for url in staff_urls(consultation):
        anonymous = client_for(None).get(url)
        assert anonymous.status_code == 302, url
        assert anonymous["Location"].startswith(reverse("account_login")), url
        assert client_for(member).get(url).status_code == 403, url
        assert client_for(coordinator).get(url).status_code == 403, url
        assert (
            client_for(staff_without_mfa)
            .get(url)["Location"]
            .startswith(reverse("mfa_activate_totp"))
        ), url
        assert client_for(commission_staff).get(url).status_code == 200, url
        assert client_for(admin).get(url).status_code == 200, url


def test_staff_set_up_a_consultation_with_the_standard_lists(client_for, commission_staff):
    response = client_for(commission_staff).post(
        reverse("consultation_staff:create"),
        {
            "title": "Digital skills 2027",
            "opens_at": "2027-01-10T09:00",
            "closes_at": "2027-03-31T17:00",
            "introduction": "Tell us.",
            "privacy_notice": "Kept 5 years.",
        },
    )
    assert response["Location"] == reverse(
        "consultation_staff:detail", args=["digital-skills-2027"]
    )
    consultation = services.Consultation.objects.get()
    assert consultation.options.filter(kind=OptionKind.BARRIER).count() == 13


def test_closing_before_opening_is_refused(client_for, commission_staff):
    response = client_for(commission_staff).post(
        reverse("consultation_staff:create"),
        {
            "title": "Backwards",
            "opens_at": "2027-03-31T17:00",
            "closes_at": "2027-01-10T09:00",
            "introduction": "x",
            "privacy_notice": "x",
        },
    )
    assert "The consultation must close after it opens." in response.content.decode()
    assert not services.Consultation.objects.exists()


def test_staff_add_and_retire_answers(client_for, commission_staff, consultation):
    client = client_for(commission_staff)
    client.post(
        reverse("consultation_staff:option_add", args=[consultation.slug]),
        {"kind": "barrier", "label": "Travel costs", "is_active": "on"},
    )
    option = consultation.options.get(label="Travel costs")
    client.post(
        reverse("consultation_staff:option_edit", args=[consultation.slug, option.pk]),
        {"label": "Cost of travel to courses"},
    )
    option.refresh_from_db()
    assert (option.label, option.is_active, option.kind) == (
        "Cost of travel to courses",
        False,
        "barrier",
    )


def test_staff_enter_an_event_response(client_for, commission_staff, consultation):
    client = client_for(commission_staff)
    form = client.get(reverse("consultation_staff:response_enter", args=[consultation.slug]))
    key = form.context["submission_key"]
    given_on = timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "submission_key": key,
        "channel": "event",
        "channel_detail": "Dalston library drop-in",
        **date_input("submitted_on", given_on),
        "barriers": option_ids(consultation, OptionKind.BARRIER, 0),
        "comments": "Written on the card",
    }
    first = client.post(
        reverse("consultation_staff:response_enter", args=[consultation.slug]), data
    )
    client.post(reverse("consultation_staff:response_enter", args=[consultation.slug]), data)

    assert first.status_code == 302
    response = Response.objects.get()
    assert (response.channel, response.channel_detail) == (Channel.EVENT, "Dalston library drop-in")
    assert timezone.localdate(response.submitted_at) == given_on
    assert response.interest == ""
    assert (response.language, response.version) == ("en-gb", "standard")


def test_staff_record_the_language_and_version_of_a_paper_form(
    client_for, commission_staff, consultation
):
    client = client_for(commission_staff)
    url = reverse("consultation_staff:response_enter", args=[consultation.slug])
    form = client.get(url)
    data = {
        "submission_key": form.context["submission_key"],
        "channel": "paper",
        **date_input("submitted_on", timezone.localdate()),
        "language": "pl",
        "version": "easy_read",
    }
    assert client.post(url, data).status_code == 302
    response = Response.objects.get()
    assert (response.language, response.version) == ("pl", "easy_read")


def test_an_event_response_needs_the_event(client_for, commission_staff, consultation):
    response = client_for(commission_staff).post(
        reverse("consultation_staff:response_enter", args=[consultation.slug]),
        {"channel": "event", **date_input("submitted_on", timezone.localdate())},
    )
    assert "Enter the event the response was gathered at" in response.content.decode()


@pytest.mark.parametrize(
    ("given_on", "error"),
    [
        ("2099-01-01", "when the consultation closed"),
        ("0001-01-01", "Enter a date between 2000 and 2100"),
        ("days before it opened", "when the consultation opened"),
        ("tomorrow", "Enter today's date or an earlier one"),
    ],
)
def test_a_paper_response_is_dated_while_the_consultation_was_open(
    client_for, commission_staff, consultation, given_on, error
):
    days = {"days before it opened": -8, "tomorrow": 1}
    if given_on in days:
        given_on = (timezone.localdate() + datetime.timedelta(days=days[given_on])).isoformat()
    response = client_for(commission_staff).post(
        reverse("consultation_staff:response_enter", args=[consultation.slug]),
        {
            "channel": "paper",
            **date_input("submitted_on", given_on),
            "comments": "Written on the card",
        },
    )
    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors["submitted_on"])
    assert not Response.objects.exists()


def _spread(consultation, n_african=6, n_irish=2):
    for _ in range(n_african):
        submit(consultation, ethnic_group="black_african")
    for _ in range(n_irish):
        submit(
            consultation,
            ethnic_group="white_irish",
            barriers=option_ids(consultation, OptionKind.BARRIER, 5),
        )


def test_results_break_answers_down_by_group(client_for, commission_staff, consultation):
    _spread(consultation)
    response = client_for(commission_staff).get(
        reverse("consultation_staff:results", args=[consultation.slug]), {"by": "ethnic_group"}
    )
    results = response.context["results"]
    first_barrier = results.barriers.rows[0]
    columns = [key for key, _ in results.barriers.columns]
    assert columns == ["white_irish", "black_african"]  # in the census questionnaire's order
    assert [c.count for c in first_barrier.cells] == [0, 6]
    assert first_barrier.cells[1].percent == 100.0
    assert first_barrier.total.count == 6
    assert results.total == 8
    assert "no-store" in response["Cache-Control"]


def _tables(html):
    """Each table of the page as (caption, column headings)."""
    return [
        (caption, re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', head))
        for caption, head in re.findall(
            r'<caption class="govuk-table__caption[^"]*">([^<]+)</caption>\s*'
            r'<thead class="govuk-table__head">(.*?)</thead>',
            html,
            re.S,
        )
    ]


def test_results_by_many_groups_come_in_tables_that_fit_the_page(
    client_for, commission_staff, consultation
):
    groups = [value for value, _label in EthnicGroup.choices]
    for group in groups:
        submit(consultation, ethnic_group=group)
    response = client_for(commission_staff).get(
        reverse("consultation_staff:results", args=[consultation.slug]), {"by": "ethnic_group"}
    )
    html = response.content.decode()
    labels = [str(label) for _key, label in response.context["results"].barriers.columns]
    assert len(labels) == 20  # the 19 groups and "prefer not to say"

    barriers = [(c, cols) for c, cols in _tables(html) if c.startswith("Barriers, by")]
    # 20 groups in tables of 5, each with the answers and "all respondents" again: no table
    # is wider than the page at 1280 px.
    assert [caption for caption, _cols in barriers] == [
        f"Barriers, by Ethnic group (19 groups), table {n} of 4: number of residents "
        "(percentage of their group)"
        for n in range(1, 5)
    ]
    for _caption, columns in barriers:
        assert columns[:2] == ["Answer", "All respondents"]
        assert len(columns) == 2 + 5
    assert [label for _c, columns in barriers for label in columns[2:]] == [
        escape(label) for label in labels
    ]
    # Every table sits in a region that scrolls on its own on a narrow screen.
    assert html.count('<div class="portal-table-scroll" tabindex="0" role="region"') == len(
        _tables(html)
    )


def test_results_by_ethnic_heading_combine_the_groups(client_for, commission_staff, consultation):
    submit(consultation, ethnic_group="black_african")
    submit(consultation, ethnic_group="black_caribbean")
    submit(consultation, ethnic_group="prefer_not")
    submit(consultation, ethnic_group="")
    results = (
        client_for(commission_staff)
        .get(
            reverse("consultation_staff:results", args=[consultation.slug]),
            {"by": "ethnic_heading"},
        )
        .context["results"]
    )
    sizes = dict(
        zip(
            [k for k, _ in results.barriers.columns],
            [s.count for s in results.barriers.group_sizes],
            strict=False,
        )
    )
    assert sizes == {"black": 2, "prefer_not": 1, "": 1}


def test_results_by_area_use_the_ward_names(client_for, commission_staff, consultation):
    submit(consultation)
    submit(consultation, area="outside")
    results = (
        client_for(commission_staff)
        .get(reverse("consultation_staff:results", args=[consultation.slug]), {"by": "area"})
        .context["results"]
    )
    assert [str(label) for _, label in results.barriers.columns] == [
        "Dalston",
        "Outside the borough",
    ]


def test_results_page_queries_do_not_grow_with_responses(
    client_for, commission_staff, consultation, django_assert_num_queries
):
    client = client_for(commission_staff)
    url = reverse("consultation_staff:results", args=[consultation.slug])
    submit(consultation)
    client.get(url)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url, {"by": "area"})
    for _ in range(30):
        submit(consultation, comments="More words", ethnic_group="other_arab")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url, {"by": "area"})


def test_figures_are_never_stale(client_for, commission_staff, consultation):
    client = client_for(commission_staff)
    url = reverse("consultation_staff:results", args=[consultation.slug])
    submit(consultation)
    assert "1 response:" in client.get(url).content.decode()
    assert "1 response:" in client.get(url).content.decode()  # kept
    response = submit(consultation, comments="Late evening courses")
    assert "2 responses:" in client.get(url).content.decode()
    theme = services.theme_create(consultation=consultation, name="Timing")
    services.response_code(response=response, themes=[theme], coded_by=commission_staff)
    html = client.get(url).content.decode()
    assert re.search(r">Timing</th>\s*<td[^>]*>1&nbsp;", html)


def test_the_charts_and_tables_are_rendered_once_for_the_same_figures(
    client_for, commission_staff, consultation
):
    """Kept under a digest of the figures they show: the same figures are not rendered
    again, for any account, and anything that changes them (here a theme renamed, which
    moves no figures version on) shows at once."""
    client = client_for(commission_staff)
    url = reverse("consultation_staff:results", args=[consultation.slug])
    response = submit(consultation, comments="Late evening courses")
    theme = services.theme_create(consultation=consultation, name="Timing")
    services.response_code(response=response, themes=[theme], coded_by=commission_staff)
    figures = "consultation/staff/_results_figures.html"

    first, again = client.get(url), client.get(url)
    assert figures in [t.name for t in first.templates]
    assert figures not in [t.name for t in again.templates]
    assert ">Timing</th>" in again.content.decode()

    theme.name = "Times of day"
    theme.save()
    renamed = client.get(url)
    assert figures in [t.name for t in renamed.templates]
    assert ">Times of day</th>" in renamed.content.decode()
    assert ">Timing</th>" not in renamed.content.decode()


def test_coding_works_through_the_queue(client_for, commission_staff, consultation):
    first = submit(consultation, comments="Courses are in the day")
    submit(consultation)  # no free text: not in the queue
    second = submit(consultation, changes_other="Evening classes")
    client = client_for(commission_staff)
    queue = reverse("consultation_staff:coding", args=[consultation.slug])

    page = client.get(queue)
    assert page.context["response"] == first
    assert page.context["remaining"] == 2
    client.post(
        reverse("consultation_staff:code_response", args=[consultation.slug, first.reference]),
        {"new_theme": "Timing of courses"},
    )
    page = client.get(queue)
    assert page.context["response"] == second
    timing = consultation.themes.get()
    client.post(
        reverse("consultation_staff:code_response", args=[consultation.slug, second.reference]),
        {"themes": [str(timing.pk)]},
    )
    done = client.get(queue)
    assert done.context["response"] is None
    assert "Every free-text answer has been coded." in done.content.decode()
    assert list(second.themes.all()) == [timing]

    results = client.get(reverse("consultation_staff:results", args=[consultation.slug])).context[
        "results"
    ]
    assert [(row.label, row.total.count) for row in results.themes.rows] == [
        ("Timing of courses", 2)
    ]


def _read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_answers_export_has_every_answer_with_its_codes(client_for, commission_staff, consultation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    coded = submit(consultation, comments='Commas, "quotes" and\nnew lines')
    theme = services.theme_create(consultation=consultation, name="Cost")
    services.response_code(response=coded, themes=[theme], coded_by=commission_staff)
    client = client_for(commission_staff)
    url = reverse("consultation_staff:export_answers", args=[consultation.slug])
    client.get(url)  # the account's access is read on its first page, and kept
    with CaptureQueriesContext(connection) as one:
        _read_csv(client.get(url))
    for _ in range(40):
        submit(consultation)

    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
        rows = _read_csv(response)

    assert len(many.captured_queries) == len(one.captured_queries)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert len(rows) == 41
    first = next(r for r in rows if r["reference"] == coded.reference)
    assert first["comments"] == 'Commas, "quotes" and\nnew lines'
    assert first["themes"] == "Cost"
    assert first["area"] == "Dalston"
    labels = consultation.options.filter(kind=OptionKind.BARRIER).order_by("position")
    assert first["barriers"] == f"{labels[0].label}; {labels[2].label}"


def test_aggregate_export_suppresses_small_counts(client_for, commission_staff, consultation):
    _spread(consultation, n_african=7, n_irish=2)
    _publish(consultation)
    response = client_for(commission_staff).get(
        reverse("consultation_staff:export_aggregate", args=[consultation.slug]),
        {"by": "ethnic_heading"},
    )
    rows = _read_csv(response)
    sizes = {r["group"]: r["count"] for r in rows if r["question"] == "Respondents"}
    # 2 White respondents are too few to show; the 7 Black respondents are hidden too,
    # or 9 - 7 would give the 2 away (the number responding may go as well, where the
    # other breakdowns, published with this one, would give it away).
    assert sizes["White"] == "fewer than 5"
    assert sizes["Black, Black British, Caribbean or African"] == "hidden"
    assert not any(r["count"] in {"1", "2", "3", "4"} for r in rows)


def test_published_findings_show_aggregates_only_with_suppression(
    client, publish_as_staff, consultation
):
    _spread(consultation, n_african=12, n_irish=2)
    submit(consultation, comments="My name is Ama and I live on Mare Street")
    findings_url = reverse("consultation:findings", args=[consultation.slug])
    assert client.get(findings_url).status_code == 404

    with time_machine.travel(consultation.closes_at + datetime.timedelta(hours=1)):
        publish_as_staff(
            reverse("consultation_staff:findings_manage", args=[consultation.slug]),
            "Cost and timing were the commonest barriers.",
        )
        client.logout()
        page = client.get(findings_url, {"by": "ethnic_heading"})

    html = page.content.decode()
    assert page.status_code == 200
    assert "Cost and timing were the commonest barriers." in html
    assert "fewer than 5" in html
    assert "Ama" not in html
    assert "Mare Street" not in html
    breakdown = page.context["results"].barriers
    white = [k for k, _ in breakdown.columns].index("white")
    assert breakdown.group_sizes[white].suppressed


def test_findings_show_when_they_were_published_and_their_downloads_first(
    client, client_for, commission_staff, consultation
):
    _spread(consultation, n_african=12, n_irish=2)
    findings_url = reverse("consultation:findings", args=[consultation.slug])
    published_at = consultation.closes_at + datetime.timedelta(hours=1)
    with time_machine.travel(published_at):
        _publish(consultation, "What residents told us.")
        public = client.get(findings_url, {"by": "age_band"}).content.decode()
        download = client.get(
            reverse("consultation:findings_figures", args=[consultation.slug]),
            {"by": "age_band"},
        )
        dictionary = client.get(
            reverse("consultation:findings_figures_dictionary", args=[consultation.slug]),
            {"by": "age_band"},
        )
        staff_copy = client_for(commission_staff).get(
            reverse("consultation_staff:export_aggregate", args=[consultation.slug]),
            {"by": "age_band"},
        )

    day = timezone.localtime(published_at)
    when = re.compile(
        r'<dt class="govuk-summary-list__key">Published</dt>\s*'
        r'<dd class="govuk-summary-list__value">'
        rf'<time datetime="{day:%Y-%m-%d}">{day.day} {day:%B %Y}</time> \(release 1\)</dd>'
    )
    top = public[: public.index("<h2")]  # above the first set of figures
    assert when.search(top)
    # Anyone reading the findings can download them, beside the date: the release's own
    # figures by the grouping shown, and what each column and code means.
    assert '<dt class="govuk-summary-list__key">Downloads</dt>' in top
    figures = reverse("consultation:findings_figures", args=[consultation.slug])
    assert f'<a class="govuk-link" href="{figures}?by=age_band">' in top
    codes = reverse("consultation:findings_figures_dictionary", args=[consultation.slug])
    assert f'<a class="govuk-link" href="{codes}?by=age_band">' in top
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert "findings-release-1-by-age_band.csv" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == b"".join(staff_copy.streaming_content)
    assert dictionary.status_code == 200
    assert "findings-release-1-by-age_band-dictionary.csv" in dictionary["Content-Disposition"]


def test_findings_downloads_are_not_there_until_the_findings_are_public(client, consultation):
    _spread(consultation, n_african=12, n_irish=2)
    for name in ("findings_figures", "findings_figures_dictionary"):
        url = reverse(f"consultation:{name}", args=[consultation.slug])
        assert client.get(url).status_code == 404  # open: nothing published
        with time_machine.travel(consultation.closes_at + datetime.timedelta(hours=1)):
            assert client.get(url).status_code == 404  # closed, not yet published


def test_findings_cannot_be_published_while_open(client_for, commission_staff, consultation):
    response = client_for(commission_staff).post(
        reverse("consultation_staff:findings_manage", args=[consultation.slug]),
        {"summary": "Too soon"},
    )
    assert "once the consultation closes" in response.content.decode()
    consultation.refresh_from_db()
    assert not consultation.findings_published


def test_apply_retention_command_reports_and_can_run_twice(settings):
    settings.CONTACT_RETENTION_DAYS = 30
    Contact.objects.create(
        email="old@example.org",
        consent_text="I agree",
        consented_on=timezone.localdate() - datetime.timedelta(days=31),
    )
    out = StringIO()
    call_command("apply_retention", stdout=out)
    call_command("apply_retention", stdout=out)
    assert "Removed 1 contact record older than 30 days." in out.getvalue()
    assert "Removed 0 contact records older than 30 days." in out.getvalue()
    assert not Contact.objects.exists()


FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1:A9)"]


def test_answers_export_never_writes_a_formula(client_for, commission_staff, consultation):
    for formula in FORMULAS:
        submit(consultation, comments=formula, barriers_other=formula)
    for start in ("\t", "\r"):
        # Free text is stripped when saved; the event name is written as staff typed it.
        services.response_submit(
            consultation=consultation,
            answers={"changes": option_ids(consultation, OptionKind.CHANGE, 0)},
            submission_key=uuid.uuid4(),
            channel=Channel.EVENT,
            channel_detail=f"{start}=1+1",
        )
    theme = services.theme_create(consultation=consultation, name="=Cost")
    services.response_code(
        response=Response.objects.first(), themes=[theme], coded_by=commission_staff
    )

    rows = _read_csv(
        client_for(commission_staff).get(
            reverse("consultation_staff:export_answers", args=[consultation.slug])
        )
    )

    assert sorted(r["comments"] for r in rows if r["comments"]) == sorted(f"'{f}" for f in FORMULAS)
    assert sorted(r["barriers_other"] for r in rows if r["barriers_other"]) == sorted(
        f"'{f}" for f in FORMULAS
    )
    assert sorted(r["channel_detail"] for r in rows if r["channel_detail"]) == [
        "'\t=1+1",
        "'\r=1+1",
    ]
    assert [r["themes"] for r in rows if r["themes"]] == ["'=Cost"]
    cells = [value for row in rows for value in row.values()]
    assert not [v for v in cells if v[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_aggregate_export_never_writes_a_formula(client_for, commission_staff, consultation):
    option = services.option_save(
        consultation=consultation, kind=OptionKind.BARRIER, label="@cmd|' /C calc'!A0"
    )
    for _ in range(6):
        submit(consultation, barriers=[str(option.pk)])
    _publish(consultation)

    rows = _read_csv(
        client_for(commission_staff).get(
            reverse("consultation_staff:export_aggregate", args=[consultation.slug])
        )
    )

    assert "'@cmd|' /C calc'!A0" in {r["answer"] for r in rows}
    cells = [value for row in rows for value in row.values()]
    assert not [v for v in cells if v[:1] in ("=", "+", "-", "@", "\t", "\r")]


def _publish(consultation, summary="Findings."):
    with time_machine.travel(consultation.closes_at + datetime.timedelta(hours=1)):
        publishing.findings_publish(questionnaire=consultation, summary=summary)


def _nested_case(consultation):
    """African 7, Caribbean 2, Any other Black 9, Irish 6: by group alone Caribbean is
    "fewer than 5"; by heading Black is 18 and White 6, so 18 - 7 - 9 would give it away."""
    for group, n in [
        ("black_african", 7),
        ("black_caribbean", 2),
        ("white_irish", 6),
        ("black_other", 9),
    ]:
        for _ in range(n):
            submit(consultation, ethnic_group=group)


GROUP_ONLY_LABELS = [">Caribbean<", ">African<", "Any other Black", "Irish"]


def test_published_findings_cannot_be_subtracted_between_ethnic_levels(client, consultation):
    _nested_case(consultation)
    _publish(consultation)
    findings_url = reverse("consultation:findings", args=[consultation.slug])

    with time_machine.travel(consultation.closes_at + datetime.timedelta(hours=2)):
        pages = [
            client.get(findings_url, {"by": by})
            for by in ("ethnic_group", "ethnic_heading", "age_band", "area")
        ]

    # Only the headings are published: asking for the 19 groups gives the headings.
    by_group, by_heading = pages[0], pages[1]
    for page in (by_group, by_heading):
        breakdown = page.context["results"].barriers
        sizes = {
            k: (None if f.suppressed else f.count)
            for (k, _), f in zip(breakdown.columns, breakdown.group_sizes, strict=True)
        }
        assert sizes == {"white": 6, "black": 18}
    for page in pages:
        html = page.content.decode()
        assert 'value="ethnic_group"' not in html
        for label in GROUP_ONLY_LABELS:
            assert label not in html, label
        columns = {key for key, _ in page.context["results"].barriers.columns}
        assert not columns & {"black_caribbean", "black_african", "black_other", "white_irish"}


def test_aggregate_export_cannot_be_subtracted_between_ethnic_levels(
    client_for, commission_staff, consultation
):
    _nested_case(consultation)
    _publish(consultation)
    client = client_for(commission_staff)
    export_url = reverse("consultation_staff:export_aggregate", args=[consultation.slug])

    by_group = client.get(export_url, {"by": "ethnic_group"})
    rows = _read_csv(by_group)

    assert "findings-release-1-by-ethnic_heading.csv" in by_group["Content-Disposition"]
    assert {r["grouped by"] for r in rows} == {"All respondents", "Ethnic group (5 headings)"}
    sizes = {r["group"]: r["count"] for r in rows if r["question"] == "Respondents"}
    assert sizes == {"": "24", "White": "6", "Black, Black British, Caribbean or African": "18"}
    groups = {r["group"] for r in rows}
    assert not groups & {
        "Caribbean",
        "African",
        "Irish",
        "Any other Black, Black British or Caribbean background",
    }


def test_findings_come_down_while_a_consultation_is_reopened(client, consultation):
    submit(consultation)
    _publish(consultation)
    findings_url = reverse("consultation:findings", args=[consultation.slug])
    later = consultation.closes_at + datetime.timedelta(days=1)

    with time_machine.travel(later):
        assert client.get(findings_url).status_code == 200
        services.consultation_update(
            consultation=consultation, closes_at=later + datetime.timedelta(days=14)
        )
        assert client.get(findings_url).status_code == 404
        listing = client.get(reverse("consultation:index"))
        assert findings_url not in listing.content.decode()
        start_page = client.get(reverse("consultation:detail", args=[consultation.slug]))
        assert findings_url not in start_page.content.decode()

    with time_machine.travel(later + datetime.timedelta(days=15)):
        assert client.get(findings_url).status_code == 200


def test_staff_posts_by_anyone_else_change_nothing(client_for, consultation, member, coordinator):
    response = submit(consultation, comments="Cost of courses")
    theme = services.theme_create(consultation=consultation, name="Cost")
    option = consultation.options.first()
    ward = Ward.objects.first()
    slug = consultation.slug
    posts = [
        (reverse("consultation_staff:theme_add", args=[slug]), {"name": "Sneaky"}),
        (
            reverse("consultation_staff:code_response", args=[slug, response.reference]),
            {"themes": [str(theme.pk)], "new_theme": "Sneaky"},
        ),
        (
            reverse("consultation_staff:response_enter", args=[slug]),
            {
                "channel": Channel.PAPER,
                **date_input("submitted_on", "2026-01-05"),
                "comments": "Sneaky",
                "submission_key": str(uuid.uuid4()),
            },
        ),
        (
            reverse("consultation_staff:option_edit", args=[slug, option.pk]),
            {"kind": option.kind, "label": "Sneaky", "is_active": ""},
        ),
        (
            reverse("consultation_staff:ward_edit", args=[ward.pk]),
            {"name": "Sneaky", "is_active": ""},
        ),
    ]

    def state():
        return (
            list(Theme.objects.values_list("name", flat=True)),
            list(Response.objects.values_list("reference", "coded_at", "comments")),
            list(response.themes.values_list("pk", flat=True)),
            list(Option.objects.values_list("label", "is_active")),
            list(Ward.objects.values_list("name", "is_active")),
        )

    before = state()
    for user in (None, member, coordinator):
        for url, data in posts:
            answer = client_for(user).post(url, data)
            if user is None:
                assert answer.status_code == 302, url
                assert answer["Location"].startswith(reverse("account_login")), url
            else:
                assert answer.status_code == 403, (url, user)
    assert state() == before
