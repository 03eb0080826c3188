import csv
import datetime
import io
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from employers import selectors, services
from employers.models import Employer, Invitation, LinkedAccount, Sector, SizeBand, Survey
from reporting.releases import release_publish
from surveys import publishing
from tests.employers.factories import (
    EmployerFactory,
    SurveyFactory,
    complete_answers,
    option_id,
    skill_id,
)

pytestmark = pytest.mark.django_db

# Whatever the number of organisations and responses (asserted at two sizes below); the
# results page made afresh reads its figures version first (kept: 3 queries in all).
STAFF_PAGE_QUERIES = 15
FINDINGS_QUERIES = 8


@pytest.fixture
def survey():
    return SurveyFactory(title="Recruiting locally 2027")


def staff_urls(survey):
    invitation = services.invitation_create(
        survey=survey, employer=EmployerFactory(), email="a@example.org", invited_by=None
    )
    slug = survey.slug
    return [
        ("get", reverse("employers:staff_list")),
        ("get", reverse("employers:create")),
        ("get", reverse("employers:staff_survey", args=[slug])),
        ("get", reverse("employers:edit", args=[slug])),
        ("get", reverse("employers:staff_lists", args=[slug])),
        ("get", reverse("employers:results", args=[slug])),
        ("get", reverse("employers:export_responses", args=[slug])),
        ("get", reverse("employers:export_findings", args=[slug])),
        ("get", reverse("employers:findings_manage", args=[slug])),
        ("get", reverse("employers:invitation_resend", args=[slug, invitation.pk])),
        ("post", reverse("employers:invitation_resend", args=[slug, invitation.pk])),
    ]


def test_staff_pages_are_for_commission_staff_and_admins_only(
    client_for, survey, member, coordinator, commission_staff, admin, staff_without_mfa
):
    for method, url in staff_urls(survey):
        anonymous = getattr(client_for(None), method)(url)
        assert anonymous.status_code == 302, url
        assert anonymous["Location"].startswith(reverse("account_login")), url
        assert getattr(client_for(member), method)(url).status_code == 403, url
        assert getattr(client_for(coordinator), method)(url).status_code == 403, url
        assert getattr(client_for(staff_without_mfa), method)(url)["Location"].startswith(
            reverse("mfa_activate_totp")
        ), url
        assert getattr(client_for(commission_staff), method)(url).status_code in (200, 302), url
        assert getattr(client_for(admin), method)(url).status_code in (200, 302), url


def test_an_employer_sees_no_staff_page(client, survey):
    employer = EmployerFactory()
    invitation = services.invitation_create(
        survey=survey, employer=employer, email="a@example.org", invited_by=None
    )
    client.get(invitation.get_absolute_url())
    assert client.get(reverse("employers:results", args=[survey.slug])).status_code == 302
    assert client.get(reverse("employers:export_responses", args=[survey.slug])).status_code == 302


def test_staff_invite_a_new_organisation(
    client_for, commission_staff, survey, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(commission_staff).post(
            reverse("employers:staff_survey", args=[survey.slug]),
            {
                "name": "Hackney Wick Digital",
                "sector": Sector.CREATIVE,
                "size_band": SizeBand.MICRO,
                "in_borough": "on",
                "email": "jobs@hwd.example",
            },
        )
    assert response.status_code == 302
    employer = Employer.objects.get(name="Hackney Wick Digital")
    assert employer.in_borough
    invitation = Invitation.objects.get(employer=employer)
    assert invitation.invited_by == commission_staff
    assert len(mailoutbox) == 1
    assert invitation.get_absolute_url() in mailoutbox[0].body


def test_the_invite_form_explains_what_is_missing(client_for, commission_staff, survey):
    response = client_for(commission_staff).post(
        reverse("employers:staff_survey", args=[survey.slug]), {"email": "not an email"}
    )
    errors = response.context["form"].errors
    assert errors["name"] == ["Choose an organisation, or enter the new one's name"]
    assert errors["email"] == ["Enter a valid email address."]
    assert not Invitation.objects.exists()


def test_staff_see_how_far_each_organisation_has_got(client_for, commission_staff, survey, client):
    invited, opened, drafted, submitted = (EmployerFactory(name=n) for n in ("A", "B", "C", "D"))
    invitations = {
        e.name: services.invitation_create(
            survey=survey, employer=e, email="x@example.org", invited_by=None
        )
        for e in (invited, opened, drafted, submitted)
    }
    client.get(invitations["B"].get_absolute_url())
    services.response_save_draft(survey=survey, employer=drafted, answers=complete_answers(survey))
    services.response_submit(survey=survey, employer=submitted, answers=complete_answers(survey))

    page = client_for(commission_staff).get(reverse("employers:staff_survey", args=[survey.slug]))
    progress = {e.name: e for e in page.context["progress"]}
    assert progress["A"].opened is None
    assert progress["B"].opened is not None
    assert progress["C"].has_draft
    assert progress["D"].submitted_at is not None
    html = page.content.decode()
    for status in ("Not opened", "Opened", "Draft saved", "Submitted"):
        assert status in html


def test_staff_sort_filter_and_page_through_the_invited_organisations(
    client_for, commission_staff, survey, client
):
    for n in range(1, 62):
        services.invitation_create(
            survey=survey,
            employer=EmployerFactory(name=f"Org {n:02d}"),
            email="x@example.org",
            invited_by=None,
        )
    drafted, submitted = Employer.objects.get(name="Org 07"), Employer.objects.get(name="Org 58")
    services.response_save_draft(survey=survey, employer=drafted, answers=complete_answers(survey))
    services.response_submit(survey=survey, employer=submitted, answers=complete_answers(survey))
    staff = client_for(commission_staff)
    url = reverse("employers:staff_survey", args=[survey.slug])

    def names(response):
        return [e.name for e in response.context["progress"]]

    first = staff.get(url)
    html = first.content.decode()
    assert names(first) == [f"Org {n:02d}" for n in range(1, 51)]  # 50 a page, by name
    assert "61 organisations. Showing 1 to 50 of 61" in html
    assert '<th scope="col" class="govuk-table__header" aria-sort="ascending">' in html
    assert 'href="?page=2" rel="next"' in html
    assert names(staff.get(url, {"page": 2})) == [f"Org {n}" for n in range(51, 62)]
    assert names(staff.get(url, {"page": "x"}))[0] == "Org 01"  # a bad page: the first

    newest_first = staff.get(url, {"sort": "-name"})
    assert names(newest_first)[:2] == ["Org 61", "Org 60"]
    assert 'aria-sort="descending"' in newest_first.content.decode()
    furthest = names(staff.get(url, {"sort": "-progress"}))
    assert furthest[:2] == ["Org 58", "Org 07"]  # submitted, then the draft

    submitted_only = staff.get(url, {"progress": "submitted"})
    assert names(submitted_only) == ["Org 58"]
    assert "1 organisation" in submitted_only.content.decode()
    assert names(staff.get(url, {"progress": "draft"})) == ["Org 07"]
    assert len(names(staff.get(url, {"progress": "not_opened"}))) == 50  # of 59
    assert names(staff.get(url, {"search": "org 1"})) == [f"Org {n}" for n in range(10, 20)]
    # The page links keep the filters and the order.
    filtered = staff.get(url, {"progress": "not_opened", "sort": "-name"}).content.decode()
    assert 'href="?progress=not_opened&amp;sort=-name&amp;page=2"' in filtered
    unknown = staff.get(url, {"progress": "lost", "sort": "colour"})
    assert unknown.status_code == 200
    assert "Select a progress from the list" in unknown.content.decode()
    assert names(unknown)[0] == "Org 01"  # the whole list, by name


def test_staff_add_and_retire_skills(client_for, commission_staff, survey):
    client = client_for(commission_staff)
    client.post(
        reverse("employers:staff_lists", args=[survey.slug]),
        {"kind": "skill", "label": "Accessibility awareness", "is_active": "on"},
    )
    skill = survey.skills.get(name="Accessibility awareness")
    client.post(
        reverse("employers:list_item_edit", args=[survey.slug, "skill", skill.pk]),
        {"label": "Accessibility awareness"},
    )
    skill.refresh_from_db()
    assert not skill.is_active


def _respond(survey, sector, size, barrier_positions):
    employer = EmployerFactory(sector=sector, size_band=size)
    services.response_submit(
        survey=survey,
        employer=employer,
        answers=complete_answers(
            survey, barriers=[option_id(survey, "barrier", p) for p in barrier_positions]
        ),
    )


def test_results_break_barriers_down_by_sector_and_size(client_for, commission_staff, survey):
    for _ in range(6):
        _respond(survey, Sector.TECH, SizeBand.SMALL, [0])
    for _ in range(2):
        _respond(survey, Sector.PUBLIC, SizeBand.LARGE, [0, 1])
    client = client_for(commission_staff)

    by_sector = client.get(reverse("employers:results", args=[survey.slug])).context["tables"]
    first = by_sector["barrier"].rows[0]
    assert [key for key, _ in by_sector["barrier"].columns] == ["tech", "public"]
    assert [c.count for c in first.cells] == [6, 2]
    assert first.total.count == 8

    by_size = client.get(
        reverse("employers:results", args=[survey.slug]), {"by": "size_band"}
    ).context["tables"]
    assert [key for key, _ in by_size["barrier"].columns] == ["small", "large"]
    assert by_size["barrier"].rows[1].cells[1].count == 2


def test_results_charts_are_rendered_once_for_the_same_figures(
    client_for, commission_staff, survey
):
    """Kept under a digest of the figures: a repeat visit renders no chart or table again,
    and a new response shows at once."""
    _respond(survey, Sector.TECH, SizeBand.SMALL, [0])
    client = client_for(commission_staff)
    url = reverse("employers:results", args=[survey.slug])
    tables = "employers/_tables.html"

    first, again = client.get(url), client.get(url)
    assert tables in [t.name for t in first.templates]
    assert tables not in [t.name for t in again.templates]
    assert re.search(r"<td[^>]*>\s*1\s*</td>", again.content.decode())

    _respond(survey, Sector.TECH, SizeBand.SMALL, [0])
    later = client.get(url)
    assert tables in [t.name for t in later.templates]
    assert later.context["tables"]["barrier"].rows[0].total.count == 2
    html = later.content.decode()
    assert re.search(r"<td[^>]*>\s*2\s*</td>", html)


def test_results_figures_are_counted_once_and_every_change_shows_at_once(
    client_for, commission_staff, survey, django_assert_max_num_queries
):
    """Counted once per figures version: a repeat visit counts nothing; an answer, an
    employer's sector changed, or an answer option renamed, by anyone, shows at once."""
    _respond(survey, Sector.TECH, SizeBand.SMALL, [0])
    client = client_for(commission_staff)
    url = reverse("employers:results", args=[survey.slug])
    client.get(url)
    with django_assert_max_num_queries(12) as kept:
        client.get(url)
    counting = [q["sql"] for q in kept.captured_queries if "employers_skillrank" in q["sql"]]
    assert counting == []

    _respond(survey, Sector.TECH, SizeBand.SMALL, [0])
    assert client.get(url).context["tables"]["barrier"].rows[0].total.count == 2

    employer = Employer.objects.filter(sector=Sector.TECH).first()
    services.employer_save(employer=employer, name=employer.name, sector=Sector.PUBLIC)
    columns = client.get(url).context["tables"]["barrier"].columns
    assert [key for key, _ in columns] == ["tech", "public"]

    option = survey.options.get(kind="barrier", position=0)
    option.label = "Nobody local applies"
    option.save()
    assert "Nobody local applies" in client.get(url).content.decode()


def test_a_survey_saved_from_an_old_copy_leaves_its_figures_current(
    client_for, commission_staff, survey
):
    """Its figures version is moved on by updates of its own: a copy read before an answer
    came in, saved whole (the admin, say), does not put it back."""
    _respond(survey, Sector.TECH, SizeBand.SMALL, [0])
    old_copy = Survey.objects.get(pk=survey.pk)
    client = client_for(commission_staff)
    url = reverse("employers:results", args=[survey.slug])
    client.get(url)
    _respond(survey, Sector.TECH, SizeBand.SMALL, [0])
    assert client.get(url).context["tables"]["barrier"].rows[0].total.count == 2

    old_copy.title = "Employer survey, renamed"
    old_copy.save()
    _respond(survey, Sector.TECH, SizeBand.SMALL, [0])

    assert client.get(url).context["tables"]["barrier"].rows[0].total.count == 3


def test_results_by_every_sector_come_as_tables_the_page_can_hold(
    client_for, commission_staff, survey
):
    for sector in Sector:
        _respond(survey, sector, SizeBand.SMALL, [0])

    page = client_for(commission_staff).get(reverse("employers:results", args=[survey.slug]))
    html = page.content.decode()

    tables = re.findall(r"<table class=\"govuk-table\">.*?</thead>", html, re.S)
    barriers = [t for t in tables if "Barriers to local recruitment, by sector" in t]
    # Ten sectors in two tables of five, each with the answers and all respondents.
    assert len(barriers) == 2
    assert "table 1 of 2" in barriers[0]
    assert "table 2 of 2" in barriers[1]
    for table in barriers:
        header = table[: table.index("</tr>")]
        assert header.count('scope="col"') == 2 + 5


def test_responses_export_lists_submitted_responses(client_for, commission_staff, survey):
    _respond(survey, Sector.TECH, SizeBand.SMALL, [0])
    services.response_save_draft(
        survey=survey, employer=EmployerFactory(), answers=complete_answers(survey)
    )
    response = client_for(commission_staff).get(
        reverse("employers:export_responses", args=[survey.slug])
    )
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert len(rows) == 1
    assert rows[0]["skill_1"] == "Communication"
    assert rows[0]["sector"] == "Digital and technology"


def test_published_findings_suppress_small_numbers(client, publish_as_staff):
    survey = SurveyFactory(closes_at=timezone.now() + datetime.timedelta(days=1))
    for _ in range(7):
        _respond(survey, Sector.TECH, SizeBand.SMALL, [0])
    for _ in range(2):
        _respond(survey, Sector.PUBLIC, SizeBand.LARGE, [0])
    url = reverse("employers:findings", args=[survey.slug])
    assert client.get(url).status_code == 404
    with time_machine.travel(survey.closes_at + datetime.timedelta(hours=1)):
        publish_as_staff(
            reverse("employers:findings_manage", args=[survey.slug]),
            "Skills gaps were the commonest barrier.",
        )
        client.logout()
        page = client.get(url)
    html = page.content.decode()
    assert "Skills gaps were the commonest barrier." in html
    sizes = page.context["tables"]["barrier"].group_sizes
    assert [s.suppressed for s in sizes] == [True, True]  # 2 is small; 7 would give it away
    assert "fewer than 5" in html
    assert "Employer 0 Ltd" not in html
    assert page.context["ranking"].items  # 9 employers: enough to publish a ranking


def _submit_ranking(survey, *names):
    answers = complete_answers(
        survey,
        **{f"rank_{i}": str(survey.skills.get(name=n).pk) for i, n in enumerate(names, start=1)},
    )
    services.response_submit(survey=survey, employer=EmployerFactory(), answers=answers)


def _published(survey, publish_as_staff):
    with time_machine.travel(survey.closes_at + datetime.timedelta(hours=1)):
        publish_as_staff(
            reverse("employers:findings_manage", args=[survey.slug]), "What employers told us."
        )


@pytest.fixture
def ranked_survey():
    """Six employers: Communication in all six top fives; Teamwork third in one only."""
    survey = SurveyFactory(closes_at=timezone.now() + datetime.timedelta(days=1))
    for _ in range(5):
        _submit_ranking(survey, "Communication", "Problem solving")
    _submit_ranking(survey, "Communication", "Problem solving", "Teamwork")
    return survey


def test_published_ranking_leaves_out_skills_in_few_top_fives(
    client, client_for, commission_staff, publish_as_staff, ranked_survey
):
    _published(ranked_survey, publish_as_staff)
    client.logout()
    with time_machine.travel(ranked_survey.closes_at + datetime.timedelta(hours=2)):
        page = client.get(reverse("employers:findings", args=[ranked_survey.slug]))
    assert _shown_ranking(page) == [("Communication", "30", "6"), ("Problem solving", "24", "6")]
    html = page.content.decode()
    assert "Teamwork" not in html  # its 3 points would show one employer ranked it 3rd
    assert "Skills in fewer than 5 employers' top fives are not shown" in html

    results = reverse("employers:results", args=[ranked_survey.slug])
    staff = client_for(commission_staff).get(results)
    assert "Teamwork" in staff.content.decode()  # staff see everything


def _shown_ranking(page):
    """The ranking as a visitor reads it: each skill with its points and top fives."""
    table = page.content.decode().split("Skills ranked by Borda count</caption>")[1]
    cell = r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]+)</td>'
    skill = r'<th scope="row" class="govuk-table__header">([^<]+)</th>'
    rank = r'<td class="govuk-table__cell govuk-table__cell--numeric">\d+</td>'
    rows = re.findall(rf'<tr class="govuk-table__row">{rank}{skill}{cell}{cell}</tr>', table)
    return [tuple(cell.strip() for cell in row) for row in rows]


def test_published_ranking_hides_what_would_show_how_a_few_employers_ranked_a_skill(
    client, publish_as_staff
):
    survey = SurveyFactory(closes_at=timezone.now() + datetime.timedelta(days=1))
    for _ in range(4):
        _submit_ranking(survey, "Communication", "Problem solving")
    _submit_ranking(survey, "Problem solving", "Communication")
    _published(survey, publish_as_staff)
    client.logout()
    with time_machine.travel(survey.closes_at + datetime.timedelta(hours=2)):
        page = client.get(reverse("employers:findings", args=[survey.slug]))
    shown = dict((name, (points, top)) for name, points, top in _shown_ranking(page))
    # 24 points from 5 top fives would show that exactly one employer ranked it second.
    assert shown["Communication"] != ("24", "5")
    assert "hidden" in shown["Communication"]
    assert list(shown) == ["Communication", "Problem solving"]  # the order is published


def publish(survey):
    """A release of the survey's answers so far (as an earlier close would have made)."""
    release_publish(
        questionnaire=survey,
        tables=selectors.publishable_tables(survey=survey),
        summary="",
    )


def _sections(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    answers, ranking = text.split("\r\n\r\n")
    return list(csv.reader(io.StringIO(answers))), list(csv.reader(io.StringIO(ranking)))


def test_findings_export_writes_answers_and_ranking_under_their_own_headings(
    client_for, commission_staff, ranked_survey
):
    publish(ranked_survey)
    response = client_for(commission_staff).get(
        reverse("employers:export_findings", args=[ranked_survey.slug])
    )
    answers, ranking = _sections(response)
    assert answers[0] == [
        "question",
        "question_code",
        "answer",
        "answer_code",
        "group",
        "group_code",
        "count",
        "percent of group",
    ]
    first = dict(zip(answers[0], answers[1], strict=True))
    assert (first["group"], first["group_code"], first["count"]) == ("All", "all", "6")
    assert all(len(row) == 8 for row in answers)
    assert ranking == [
        ["skill", "skill_code", "rank", "Borda points", "in a top five"],
        ["Communication", skill_id(ranked_survey, "Communication"), "1", "30", "6"],
        ["Problem solving", skill_id(ranked_survey, "Problem solving"), "2", "24", "6"],
    ]  # Teamwork, in one top five, is left out


def test_findings_export_has_no_ranking_from_too_few_employers(client_for, commission_staff):
    survey = SurveyFactory()
    for _ in range(4):
        _submit_ranking(survey, "Teamwork")
    publish(survey)
    response = client_for(commission_staff).get(
        reverse("employers:export_findings", args=[survey.slug])
    )
    answers, ranking = _sections(response)
    assert ranking == [["skill", "skill_code", "rank", "Borda points", "in a top five"]]
    count = answers[0].index("count")
    assert "fewer than 5" in [row[count] for row in answers[1:]]


def test_submitted_responses_and_their_ranks_are_read_only_in_the_admin(client_for, admin, survey):
    draft_employer, submitted_employer = EmployerFactory(), EmployerFactory()
    draft = services.response_save_draft(
        survey=survey, employer=draft_employer, answers=complete_answers(survey)
    )
    submitted = services.response_submit(
        survey=survey, employer=submitted_employer, answers=complete_answers(survey)
    )
    client = client_for(admin)
    page = client.get(reverse("admin:employers_employerresponse_change", args=[submitted.pk]))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert not page.context["has_delete_permission"]
    listing = client.get(reverse("admin:employers_employerresponse_changelist"))
    assert reverse("admin:employers_employerresponse_auditlog", args=[submitted.pk]) in (
        listing.content.decode()
    )  # an audited admin: the history of each response is a click away
    refused = client.post(
        reverse("admin:employers_employerresponse_change", args=[submitted.pk]),
        {"contact_name": "Changed"},
    )
    assert refused.status_code == 403
    deleted = client.post(
        reverse("admin:employers_employerresponse_delete", args=[submitted.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 403
    submitted.refresh_from_db()
    assert submitted.contact_name == "Dee"

    draft_page = client.get(reverse("admin:employers_employerresponse_change", args=[draft.pk]))
    assert draft_page.context["has_change_permission"]
    (ranks,) = draft_page.context["inline_admin_formsets"]
    assert not ranks.has_add_permission
    assert not ranks.has_change_permission
    assert not ranks.has_delete_permission


def _grow(survey, n):
    """n more invited organisations, each with a submitted response."""
    for _ in range(n):
        employer = EmployerFactory()
        services.invitation_create(
            survey=survey, employer=employer, email="x@example.org", invited_by=None
        )
        services.response_submit(survey=survey, employer=employer, answers=complete_answers(survey))


def test_the_staff_pages_make_a_fixed_number_of_queries(
    client_for, commission_staff, survey, django_assert_max_num_queries
):
    client = client_for(commission_staff)
    urls = [
        reverse("employers:staff_survey", args=[survey.slug]),
        reverse("employers:results", args=[survey.slug]),
    ]
    for size in (1, 10):
        _grow(survey, size)
        for url in urls:
            with django_assert_max_num_queries(STAFF_PAGE_QUERIES):
                assert client.get(url).status_code == 200


def test_published_findings_make_a_fixed_number_of_queries(
    client, publish_as_staff, django_assert_max_num_queries
):
    survey = SurveyFactory(closes_at=timezone.now() + datetime.timedelta(days=1))
    _grow(survey, 5)
    _published(survey, publish_as_staff)
    client.logout()
    url = reverse("employers:findings", args=[survey.slug])
    after_close = survey.closes_at + datetime.timedelta(hours=2)
    for size in (0, 10):
        _grow(survey, size)  # the findings stay published; the figures grow
        with time_machine.travel(after_close), django_assert_max_num_queries(FINDINGS_QUERIES):
            assert client.get(url).status_code == 200


def test_staff_are_told_why_a_resend_was_refused(client_for, commission_staff, survey):
    employer = EmployerFactory(name="Done Already Ltd")
    invitation = services.invitation_create(
        survey=survey, employer=employer, email="a@example.org", invited_by=None
    )
    services.response_submit(survey=survey, employer=employer, answers=complete_answers(survey))
    page = client_for(commission_staff).post(
        reverse("employers:invitation_resend", args=[survey.slug, invitation.pk]), follow=True
    )
    html = page.content.decode()
    assert "Done Already Ltd has already submitted, so the invitation was not sent again." in html
    assert "Send again" not in html


FORMULAS = ['=HYPERLINK("http://evil","x")', "+SUM(1)", "@SUM(A1)", "-2+3", "=cmd|' /C calc'!A0"]


def test_no_typed_text_runs_as_a_formula_in_the_responses_export(
    client_for, commission_staff, survey
):
    """An invited organisation's free text, its contact's name and a staff-entered
    organisation name reach staff's spreadsheet as text, never as a formula."""
    employer = EmployerFactory(name=FORMULAS[4])
    services.response_submit(
        survey=survey,
        employer=employer,
        answers=complete_answers(
            survey,
            barriers_other=FORMULAS[0],
            changes_other=FORMULAS[1],
            offers_other=FORMULAS[2],
            entry_level_roles=FORMULAS[3],
            contact_name=FORMULAS[4],
        ),
    )
    response = client_for(commission_staff).get(
        reverse("employers:export_responses", args=[survey.slug])
    )
    cells = next(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    for column in ("barriers_other", "changes_other", "offers_other", "entry_level_roles"):
        assert cells[column].startswith("'"), column
    assert cells["organisation"] == "'" + FORMULAS[4]
    assert cells["contact_name"] == "'" + FORMULAS[4]


def test_a_new_organisation_is_kept_only_with_its_invitation(survey, commission_staff):
    details = {"name": "New Org", "sector": Sector.TECH, "size_band": SizeBand.SMALL}
    with pytest.raises(ValidationError):
        services.organisation_invite(
            survey=survey, email="not an address", invited_by=commission_staff, **details
        )
    assert not Employer.objects.filter(name="New Org").exists()

    invitation = services.organisation_invite(
        survey=survey, email="hr@new.example.org", invited_by=commission_staff, **details
    )
    assert invitation.employer.name == "New Org"


def test_employer_findings_come_down_while_a_survey_is_reopened(client, commission_staff):
    survey = SurveyFactory(closes_at=timezone.now() + datetime.timedelta(days=1))
    later = survey.closes_at + datetime.timedelta(days=1)
    url = reverse("employers:findings", args=[survey.slug])
    with time_machine.travel(later):
        publishing.findings_publish(questionnaire=survey, summary="What we heard.")
        assert client.get(url).status_code == 200
        services.survey_update(survey=survey, closes_at=later + datetime.timedelta(days=14))
        assert client.get(url).status_code == 404
    with time_machine.travel(later + datetime.timedelta(days=15)):
        assert client.get(url).status_code == 200


def test_removing_an_account_asks_first(client_for, commission_staff, survey, member):
    employer = EmployerFactory(name="Shoreditch Software")
    invitation = services.invitation_create(
        survey=survey, employer=employer, email="hr@shoreditch.example", invited_by=None
    )
    client_for(member).get(invitation.get_absolute_url())  # the account follows the link
    staff = client_for(commission_staff)
    survey_page = reverse("employers:staff_survey", args=[survey.slug])
    remove = reverse("employers:account_remove", args=[survey.slug, employer.pk, member.pk])
    listing = staff.get(survey_page).content.decode()
    assert f'<a class="govuk-link" href="{remove}">Remove<span' in listing
    assert f'action="{remove}"' not in listing  # no button that removes at once

    asking = staff.get(remove)

    html = asking.content.decode()
    assert (
        '<h1 class="govuk-heading-l">Are you sure you want to remove '
        f"{member.email} from Shoreditch Software?</h1>"
    ) in html
    assert "The organisation's answers are kept." in html
    assert re.search(
        r'<form method="post" novalidate>.*<button type="submit" class="govuk-button '
        r'govuk-button--warning"[^>]*>Remove the account</button>\s*'
        rf'<a class="govuk-link" href="{survey_page}">Cancel</a>',
        html,
        re.S,
    )
    assert LinkedAccount.objects.filter(user=member).exists()  # asking removes nothing

    done = staff.post(remove, follow=True)
    assert "can no longer answer for Shoreditch Software" in done.content.decode()
    assert not LinkedAccount.objects.filter(user=member).exists()
    assert staff.get(remove).status_code == 404  # nothing left to remove


def test_sending_an_invitation_again_asks_first(
    client_for, commission_staff, survey, mailoutbox, django_capture_on_commit_callbacks
):
    employer = EmployerFactory(name="Shoreditch Software")
    invitation = services.invitation_create(
        survey=survey, employer=employer, email="hr@shoreditch.example", invited_by=None
    )
    old_link = invitation.get_absolute_url()
    staff = client_for(commission_staff)
    resend = reverse("employers:invitation_resend", args=[survey.slug, invitation.pk])
    listing = staff.get(reverse("employers:staff_survey", args=[survey.slug])).content.decode()
    assert f'<a class="govuk-link" href="{resend}">Send again<span' in listing
    assert f'action="{resend}"' not in listing

    with django_capture_on_commit_callbacks(execute=True):
        html = staff.get(resend).content.decode()
    assert (
        '<h1 class="govuk-heading-l">Are you sure you want to send the invitation to '
        "Shoreditch Software again?</h1>"
    ) in html
    assert "The link in the earlier email will stop working." in html
    assert ">Send it again</button>" in html
    invitation.refresh_from_db()
    assert invitation.get_absolute_url() == old_link  # asking changes nothing
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(resend)
    invitation.refresh_from_db()
    assert invitation.get_absolute_url() != old_link
    assert len(mailoutbox) == 1
