"""The employer survey's last steps as the employer meets them: continuing saves the draft and
shows the answers to check, with a warning that submitting locks them; submitting from there
locks them; a draft that cannot be saved says so at the top and keeps what was typed."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from employers import services
from employers.models import EmployerResponse, ResponseStatus
from tests.employers.factories import (
    EmployerFactory,
    SurveyFactory,
    complete_answers,
    option_id,
    skill_id,
)

pytestmark = pytest.mark.django_db

WARNING = "Submitting locks your answers: they cannot be changed afterwards."
NOT_SAVED = "Your answers have not been saved. Change what is listed below, then try again."


@pytest.fixture
def survey():
    return SurveyFactory(title="Recruiting locally 2027")


@pytest.fixture
def employer():
    return EmployerFactory(name="Shoreditch Software")


@pytest.fixture
def employer_client(survey, employer):
    """A browser that followed the organisation's invitation link."""
    invitation = services.invitation_create(
        survey=survey, employer=employer, email="hr@shoreditch.example", invited_by=None
    )
    client = Client()
    client.get(invitation.get_absolute_url())
    return client


def check_url(survey):
    return reverse("employers:survey_check", args=[survey.slug])


def answers(survey, action, **overrides):
    return {"action": action, **complete_answers(survey, **overrides)}


def error_summary(html):
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    return found.group(0) if found else ""


def section(html, heading):
    """The summary list under ``heading`` on a check-answers page."""
    found = re.search(
        rf'<h2 class="govuk-heading-m">{heading}</h2>\s*(<dl class="govuk-summary-list.*?</dl>)',
        html,
        re.S,
    )
    assert found, heading
    return found.group(1)


def test_continuing_saves_the_draft_and_shows_the_answers_to_check(employer_client, survey):
    sent = answers(
        survey,
        "check",
        barriers_other="Commuting costs",
        rank_3="other",
        other_skill="Welsh",
    )
    response = employer_client.post(survey.get_absolute_url(), sent)
    assert response["Location"] == check_url(survey)
    saved = EmployerResponse.objects.get()
    assert (saved.status, saved.barriers_other) == (ResponseStatus.DRAFT, "Commuting costs")

    html = employer_client.get(response["Location"]).content.decode()
    assert '<h1 class="govuk-heading-l">Check your answers before submitting them</h1>' in html
    barrier = survey.options.get(pk=option_id(survey, "barrier", 0)).label
    recruiting = section(html, "Recruiting locally")
    assert f"<li>{barrier}</li>" in recruiting
    assert "Commuting costs" in recruiting
    skills = section(html, "Skills for an entry-level role")
    assert (
        '<ol class="govuk-list govuk-list--number"><li>Communication</li>'
        "<li>Problem solving</li><li>Welsh</li></ol>"
    ) in skills
    roles = section(html, "Roles and offers")
    assert "IT support apprentice" in roles
    assert "Dee" in roles
    # Each answer links back to its question on the form.
    form = survey.get_absolute_url()
    assert (
        f'<a class="govuk-link" href="{form}#div_id_barriers">Change'
        '<span class="govuk-visually-hidden"> Barriers to recruiting locally</span></a>'
    ) in recruiting
    assert f'href="{form}#ranks">Change' in skills
    assert f'href="{form}#div_id_apprenticeships">Change' in roles
    assert (
        '<div class="govuk-warning-text">\n  <span class="govuk-warning-text__icon" '
        'aria-hidden="true">!</span>\n  <strong class="govuk-warning-text__text">'
        f'<span class="govuk-visually-hidden">Warning</span> {WARNING}</strong>'
    ) in html
    assert ">Submit answers</button>" in html
    # Looking is not submitting.
    assert EmployerResponse.objects.get().status == ResponseStatus.DRAFT


def test_the_change_links_lead_to_questions_on_the_form(employer_client, survey):
    employer_client.post(survey.get_absolute_url(), answers(survey, "check"))
    check = employer_client.get(check_url(survey)).content.decode()
    form = employer_client.get(survey.get_absolute_url()).content.decode()
    anchors = re.findall(rf'href="{survey.get_absolute_url()}#([^"]+)">Change', check)
    assert len(anchors) == 7
    for anchor in anchors:
        assert f'id="{anchor}"' in form, anchor


def test_submitting_from_the_check_page_locks_the_answers(employer_client, survey):
    employer_client.post(survey.get_absolute_url(), answers(survey, "check"))
    checked_at = employer_client.get(check_url(survey)).context["checked_at"]

    submitted = employer_client.post(check_url(survey), {"checked_at": checked_at})

    assert submitted["Location"] == reverse("employers:thanks", args=[survey.slug])
    saved = EmployerResponse.objects.get()
    assert saved.status == ResponseStatus.SUBMITTED
    first_submitted_at = saved.submitted_at
    # Locked: the form and the check page only show the answers now, and neither a second
    # submit (a double click, another tab) nor a save changes them.
    again = employer_client.post(check_url(survey), {"checked_at": checked_at}, follow=True)
    assert "submitted its answers" in again.content.decode()
    employer_client.post(survey.get_absolute_url(), answers(survey, "save", contact_name="Eve"))
    page = employer_client.get(survey.get_absolute_url()).content.decode()
    assert "They can no longer be changed" in page
    assert "Submit answers" not in page
    saved.refresh_from_db()
    assert (saved.contact_name, saved.submitted_at) == ("Dee", first_submitted_at)


def test_answers_saved_again_after_checking_are_not_submitted_unseen(
    employer_client, survey, employer
):
    employer_client.post(survey.get_absolute_url(), answers(survey, "check"))
    checked_at = employer_client.get(check_url(survey)).context["checked_at"]
    # A colleague with the same link changes the draft meanwhile.
    services.response_save_draft(
        survey=survey, employer=employer, answers=complete_answers(survey, contact_name="Eve")
    )

    refused = employer_client.post(check_url(survey), {"checked_at": checked_at}, follow=True)

    assert refused.redirect_chain == [(check_url(survey), 302)]
    html = refused.content.decode()
    assert "saved again after you checked them" in html
    assert "Eve" in section(html, "Roles and offers")
    assert EmployerResponse.objects.get().status == ResponseStatus.DRAFT


def test_continuing_with_answers_missing_saves_them_and_says_what_is_missing(
    employer_client, survey
):
    response = employer_client.post(
        survey.get_absolute_url(), {"action": "check", "contact_name": "Dee"}
    )
    assert response.status_code == 200
    summary = error_summary(response.content.decode())
    assert "Your answers are saved as a draft. Before you can check and submit them" in summary
    assert '<a href="#id_rank_1">Choose at least the most important skill</a>' in summary
    saved = EmployerResponse.objects.get()
    assert (saved.status, saved.contact_name) == (ResponseStatus.DRAFT, "Dee")


def test_the_check_page_of_a_draft_not_ready_shows_what_is_missing_and_submits_nothing(
    employer_client, survey, employer
):
    services.response_save_draft(
        survey=survey, employer=employer, answers={"entry_level_roles": "Data apprentice"}
    )
    for response in (
        employer_client.get(check_url(survey)),
        employer_client.post(check_url(survey), {"checked_at": "2026-01-01T00:00:00+00:00"}),
    ):
        assert response.status_code == 200
        html = response.content.decode()
        assert "Select at least one barrier, or describe it" in error_summary(html)
        assert "Data apprentice</textarea>" in html  # the saved draft, in the form
        assert f'action="{survey.get_absolute_url()}"' in html
    assert EmployerResponse.objects.get().status == ResponseStatus.DRAFT


@pytest.mark.parametrize(
    ("overrides", "field", "problem"),
    [
        (
            {"rank_3": "Communication"},
            "rank_3",
            "Choose each skill only once: Communication is ranked 1 and 3",
        ),
        (
            {"rank_2": "other", "rank_4": "other", "other_skill": "Welsh"},
            "rank_4",
            "Choose each skill only once: Welsh is ranked 2 and 4",
        ),
        ({"contact_name": "D" * 151}, "contact_name", "at most 150 characters"),
    ],
)
@pytest.mark.parametrize("action", ["save", "check"])
def test_a_draft_that_cannot_be_saved_says_so_and_keeps_what_was_typed(
    employer_client, survey, overrides, field, problem, action
):
    typed = {
        key: skill_id(survey, value) if key.startswith("rank_") and value != "other" else value
        for key, value in overrides.items()
    }
    response = employer_client.post(
        survey.get_absolute_url(),
        answers(survey, action, barriers_other="Commuting costs", offers_other="Laptops", **typed),
    )

    assert response.status_code == 200
    html = response.content.decode()
    summary = error_summary(html)
    assert f"<li>{NOT_SAVED}</li>" in summary
    assert f'<a href="#id_{field}">' in summary
    assert problem in summary
    # At the top of the page, before the heading and the form.
    assert html.index("govuk-error-summary") < html.index("<h1")
    assert "<title>Error:" in html
    assert "Your answers are saved" not in html
    assert "Draft last saved" not in html
    # Everything typed is still there.
    assert "Commuting costs</textarea>" in html
    assert "Laptops</textarea>" in html
    assert f'value="{option_id(survey, "barrier", 0)}" checked' in html
    rank_2 = re.search(r'<select name="rank_2".*?</select>', html, re.S).group(0)
    selected = (
        "other" if overrides.get("rank_2") == "other" else skill_id(survey, "Problem solving")
    )
    assert f'<option value="{selected}" selected>' in rank_2
    assert not EmployerResponse.objects.exists()


def test_a_draft_that_cannot_be_saved_leaves_the_saved_one_as_it_was(
    employer_client, survey, employer
):
    services.response_save_draft(
        survey=survey, employer=employer, answers=complete_answers(survey, contact_name="Dee")
    )
    response = employer_client.post(
        survey.get_absolute_url(),
        answers(survey, "save", contact_name="Eve", rank_2=skill_id(survey, "Communication")),
    )
    html = response.content.decode()
    assert NOT_SAVED in error_summary(html)
    assert "The changes on this page are not saved" in html
    assert 'value="Eve"' in html
    assert EmployerResponse.objects.get().contact_name == "Dee"
