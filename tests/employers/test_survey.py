import contextlib
import datetime
import io
import logging

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from common.logging import RedactSecrets
from employers import selectors, services
from employers.models import (
    EmployerResponse,
    Invitation,
    LinkedAccount,
    ResponseStatus,
    SkillRank,
)
from tests.conftest import send_everything_again
from tests.employers.factories import (
    EmployerFactory,
    SurveyFactory,
    complete_answers,
    option_id,
    skill_id,
)

pytestmark = pytest.mark.django_db

# Whatever the number of organisations, responses and list items (asserted at two sizes).
SURVEY_PAGE_QUERIES = 8
# Continuing with answers not ready to submit: the draft is saved (the service locks the
# response and writes it), checked as submitting would, and the form shown with what is missing.
SURVEY_NOT_READY_QUERIES = 27
SURVEY_CHECK_QUERIES = 11  # the saved answers, checked, shown to check


@pytest.fixture
def survey():
    return SurveyFactory(title="Recruiting locally 2027")


@pytest.fixture
def employer():
    return EmployerFactory(name="Shoreditch Software")


def invite(survey, employer, staff=None, captured=None):
    invitation = services.invitation_create(
        survey=survey, employer=employer, email="hr@shoreditch.example", invited_by=staff
    )
    return invitation, invitation.get_absolute_url()


def form_data(survey, action="save", **overrides):
    return {"action": action, **complete_answers(survey, **overrides)}


def test_an_invitation_email_carries_a_working_link(
    survey, employer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, link = invite(survey, employer)
    assert len(mailoutbox) == 1
    assert link in mailoutbox[0].body
    assert mailoutbox[0].to == ["hr@shoreditch.example"]
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert invitation.token not in str(Invitation.objects.values().get())  # only its hash


def test_following_the_link_opens_the_organisations_survey(client, survey, employer):
    invitation, link = invite(survey, employer)
    response = client.get(link, follow=True)
    html = response.content.decode()
    assert response.request["PATH_INFO"] == survey.get_absolute_url()
    assert "Answering for <strong>Shoreditch Software</strong>" in html
    invitation.refresh_from_db()
    first_opened = invitation.opened_at
    assert first_opened is not None
    client.get(link)
    invitation.refresh_from_db()
    assert invitation.opened_at == first_opened


def test_an_expired_link_is_refused_plainly(client, survey, employer, settings):
    settings.INVITATION_EXPIRY_DAYS = 3
    _, link = invite(survey, employer)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2, hours=23)):
        assert client.get(link).status_code == 302
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3, minutes=1)):
        response = client.get(link)
    assert response.status_code == 410
    assert "This invitation link has expired" in response.content.decode()


@contextlib.contextmanager
def portal_log():
    """What the portal's own log handler writes, as configured in settings.LOGGING."""
    (handler,) = (h for h in logging.getLogger().handlers if h.name == "console")
    written = io.StringIO()
    before = handler.setStream(written)
    try:
        yield written
    finally:
        handler.setStream(before)


def test_every_handler_that_hears_of_a_request_redacts_tokens():
    # Django's own handlers (its console one when DEBUG is on, mail to admins) would
    # write the path whole.
    for name in ("django.request", "django.server", "django.security.csrf"):
        logger, handlers = logging.getLogger(name), []
        while logger is not None:
            # (pytest's own capturing handlers are not the portal's.)
            handlers += [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]
            logger = logger.parent if logger.propagate else None
        assert handlers, name
        for handler in handlers:
            assert any(isinstance(f, RedactSecrets) for f in handler.filters), (name, handler)


def test_invitation_tokens_never_reach_the_log(client, survey, employer):
    invitation, link = invite(survey, employer)
    with portal_log() as written:
        with time_machine.travel(invitation.expires_at + datetime.timedelta(minutes=1)):
            expired = client.get(link)
        unknown = client.get(reverse("employers:invitation", args=["a-guessed-token"]))
        # What the development server (and any server logging through Django) records.
        logging.getLogger("django.server").info('"GET %s HTTP/1.1" 302 0', link)
    assert (expired.status_code, unknown.status_code) == (410, 410)
    logged = written.getvalue()
    assert invitation.token not in logged
    assert "a-guessed-token" not in logged
    assert "Invitation link refused (expired): /employers/invitation/<token>/" in logged
    assert "Gone: /employers/invitation/<token>/" in logged  # Django's request log
    assert '"GET /employers/invitation/<token>/ HTTP/1.1" 302' in logged


def test_an_unknown_link_is_refused(client):
    response = client.get(reverse("employers:invitation", args=["not-a-real-token"]))
    assert response.status_code == 410
    assert "This invitation link does not work" in response.content.decode()


def test_resending_gives_a_new_link_and_the_old_one_stops_working(
    client, survey, employer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, old_link = invite(survey, employer)
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(days=27)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.invitation_resend(invitation=invitation)
    new_link = invitation.get_absolute_url()
    assert new_link != old_link
    assert len(mailoutbox) == 2
    assert new_link in mailoutbox[-1].body
    assert old_link not in mailoutbox[-1].body
    assert client.get(old_link).status_code == 410
    with time_machine.travel(timezone.now() + datetime.timedelta(days=40)):
        assert client.get(new_link).status_code == 302


def test_resending_is_refused_after_submitting_or_closing(employer):
    survey = SurveyFactory(closes_at=timezone.now() + datetime.timedelta(days=2))
    invitation, link = invite(survey, employer)
    with (
        time_machine.travel(survey.closes_at + datetime.timedelta(minutes=1)),
        pytest.raises(ValidationError, match="The survey has closed"),
    ):
        services.invitation_resend(invitation=invitation)

    services.response_submit(survey=survey, employer=employer, answers=complete_answers(survey))
    with pytest.raises(ValidationError, match="has already submitted"):
        services.invitation_resend(invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.get_absolute_url() == link  # the link was left as it was


def test_the_invitation_task_run_twice_sends_one_email(
    survey, employer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _ = invite(survey, employer)
    send_everything_again()
    send_everything_again()
    assert len(mailoutbox) == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_a_draft_is_kept_and_resumed_with_the_link(survey, employer):
    _, link = invite(survey, employer)
    first = Client()
    first.get(link)
    first.post(
        survey.get_absolute_url(),
        form_data(survey, barriers_other="Commuting costs", rank_3="other", other_skill="Welsh"),
    )
    response = EmployerResponse.objects.get()
    assert response.status == ResponseStatus.DRAFT
    assert [(r.rank, r.skill and r.skill.name, r.other) for r in response.ranks.all()] == [
        (1, "Communication", ""),
        (2, "Problem solving", ""),
        (3, None, "Welsh"),
    ]

    later = Client()  # another day, another browser
    later.get(link)
    page = later.get(survey.get_absolute_url()).content.decode()
    assert "Commuting costs</textarea>" in page
    assert 'value="Welsh"' in page
    assert "Draft last saved" in page


def test_a_draft_can_be_partial_but_submitting_needs_the_answers(client, survey, employer):
    _, link = invite(survey, employer)
    client.get(link)
    draft = client.post(survey.get_absolute_url(), {"action": "save", "contact_name": "Dee"})
    assert draft.status_code == 302
    submit = client.post(survey.get_absolute_url(), {"action": "submit", "contact_name": "Dee"})
    html = submit.content.decode()
    assert "Select at least one barrier, or describe it" in html
    assert "Choose at least the most important skill" in html
    assert 'value="Dee"' in html
    assert EmployerResponse.objects.get().status == ResponseStatus.DRAFT


def _check_url(survey):
    return reverse("employers:survey_check", args=[survey.slug])


def _submit_checked(client, survey):
    """Check the saved answers, then submit them from the check page, as the employer does."""
    checked_at = client.get(_check_url(survey)).context["checked_at"]
    return client.post(_check_url(survey), {"checked_at": checked_at})


def test_submitting_locks_the_response(client, survey, employer):
    _, link = invite(survey, employer)
    client.get(link)
    to_check = client.post(survey.get_absolute_url(), form_data(survey, action="check"))
    assert to_check["Location"] == _check_url(survey)
    response = _submit_checked(client, survey)
    assert response["Location"] == reverse("employers:thanks", args=[survey.slug])
    thanks = client.get(response["Location"]).content.decode()
    assert '<h1 class="govuk-panel__title">Thank you: your answers are submitted</h1>' in thanks
    assert reverse("employers:advert_checker") in thanks

    page = client.get(survey.get_absolute_url()).content.decode()
    assert "submitted its answers" in page
    assert 'name="action"' not in page  # no form to save or continue
    assert "govuk-summary-list__actions" not in page  # shown without links to change them

    for again in (
        client.post(
            survey.get_absolute_url(), form_data(survey, action="check", contact_name="Eve")
        ),
        client.post(_check_url(survey), {"checked_at": "whatever"}),
    ):
        assert again.status_code == 200
        assert "submitted its answers" in again.content.decode()
    saved = EmployerResponse.objects.get()
    assert (saved.status, saved.contact_name) == (ResponseStatus.SUBMITTED, "Dee")


def test_the_link_after_submitting_shows_the_answers_read_only(survey, employer):
    _, link = invite(survey, employer)
    services.response_submit(survey=survey, employer=employer, answers=complete_answers(survey))
    visitor = Client()
    page = visitor.get(link, follow=True).content.decode()
    assert "They can no longer be changed" in page
    assert "Communication" in page


def test_the_service_refuses_a_second_submission():
    survey, employer = SurveyFactory(), EmployerFactory()
    services.response_submit(survey=survey, employer=employer, answers=complete_answers(survey))
    with pytest.raises(services.ResponseLocked):
        services.response_submit(survey=survey, employer=employer, answers=complete_answers(survey))
    with pytest.raises(services.ResponseLocked):
        services.response_save_draft(
            survey=survey, employer=employer, answers=complete_answers(survey)
        )


def test_one_response_per_organisation_per_survey_in_the_database():
    survey, employer = SurveyFactory(), EmployerFactory()
    EmployerResponse.objects.create(survey=survey, employer=employer)
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployerResponse.objects.create(survey=survey, employer=employer)


def test_the_closing_date_is_enforced(client, employer):
    survey = SurveyFactory(closes_at=timezone.now() + datetime.timedelta(days=2))
    _, link = invite(survey, employer)
    client.get(link)
    client.post(survey.get_absolute_url(), form_data(survey))
    with time_machine.travel(survey.closes_at + datetime.timedelta(minutes=1)):
        page = client.get(survey.get_absolute_url())
        assert page.status_code == 403
        assert "This survey has closed" in page.content.decode()
        client.post(survey.get_absolute_url(), form_data(survey, action="submit"))
        with pytest.raises(services.SurveyClosed):
            services.response_submit(
                survey=survey, employer=employer, answers=complete_answers(survey)
            )
    assert EmployerResponse.objects.get().status == ResponseStatus.DRAFT


@pytest.mark.parametrize(
    ("ranks", "field", "message"),
    [
        (
            {"rank_2": "Communication"},
            "rank_2",
            "Choose each skill only once: Communication is ranked 1 and 2",
        ),
        (
            {"rank_2": "", "rank_3": "Teamwork"},
            "rank_2",
            "Choose a skill for rank 2, or move the ones below it up",
        ),
        ({"rank_3": "other"}, "other_skill", "Write in the other skill you chose"),
    ],
)
def test_ranking_mistakes_are_explained(client, survey, employer, ranks, field, message):
    _, link = invite(survey, employer)
    client.get(link)
    values = {k: (skill_id(survey, v) if v not in ("", "other") else v) for k, v in ranks.items()}
    response = client.post(survey.get_absolute_url(), form_data(survey, **values))
    assert message in response.context["form"].errors[field][0]
    html = response.content.decode()
    summary = html[html.index("There is a problem") : html.index("<form")]
    assert f'href="#id_{field}"' in summary  # in the error summary, linked to the field
    assert html.count(message) == 2  # and beside the field
    assert not EmployerResponse.objects.exists()


def _ranked(survey, *names):
    return {
        f"rank_{i}": skill_id(survey, name) if name not in ("", "other") else name
        for i, name in enumerate(names, start=1)
    }


@pytest.mark.parametrize(
    ("names", "field", "message"),
    [
        (
            ("Communication", "Communication"),
            "rank_2",
            "Choose each skill only once: Communication is ranked 1 and 2",
        ),
        (("Communication", "", "Teamwork"), "rank_2", "Choose a skill for rank 2"),
        (("Communication", "other"), "other_skill", "Write in the other skill you chose"),
    ],
)
def test_the_service_refuses_a_broken_ranking(survey, employer, names, field, message):
    answers = complete_answers(survey, **_ranked(survey, *names))
    for save in (services.response_save_draft, services.response_submit):
        with pytest.raises(ValidationError) as refused:
            save(survey=survey, employer=employer, answers=answers)
        assert message in refused.value.message_dict[field][0]
    assert not EmployerResponse.objects.exists()


def test_the_service_refuses_an_incomplete_submission(survey, employer):
    with pytest.raises(ValidationError) as refused:
        services.response_submit(survey=survey, employer=employer, answers={})
    assert set(refused.value.message_dict) == {"barriers", "changes", "rank_1", "apprenticeships"}
    assert not EmployerResponse.objects.exists()
    # A draft may be empty.
    services.response_save_draft(survey=survey, employer=employer, answers={})


def test_the_service_refuses_retired_skills_and_answers(survey, employer):
    teamwork = survey.skills.get(name="Teamwork")
    services.skill_save(survey=survey, name="Teamwork", skill=teamwork, is_active=False)
    barrier = survey.options.get(pk=option_id(survey, "barrier", 2))
    services.option_save(
        survey=survey, kind="barrier", label=barrier.label, option=barrier, is_active=False
    )
    answers = complete_answers(
        survey, rank_3=str(teamwork.pk), barriers=[str(barrier.pk)], offers=["999999"]
    )
    with pytest.raises(ValidationError) as refused:
        services.response_save_draft(survey=survey, employer=employer, answers=answers)
    errors = refused.value.message_dict
    assert errors["rank_3"] == ["“Teamwork” is no longer offered; choose another"]
    assert errors["barriers"] == [f"“{barrier.label}” is no longer offered."]
    assert errors["offers"] == ["One of the ticked answers is not part of this survey."]


def test_a_skill_retired_after_a_draft_chose_it_is_kept(client, survey, employer):
    _, link = invite(survey, employer)
    answers = complete_answers(survey, **_ranked(survey, "Communication", "Teamwork"))
    services.response_save_draft(survey=survey, employer=employer, answers=answers)
    teamwork = survey.skills.get(name="Teamwork")
    services.skill_save(survey=survey, name="Teamwork", skill=teamwork, is_active=False)

    client.get(link)
    page = client.get(survey.get_absolute_url()).content.decode()
    assert f'<option value="{teamwork.pk}" selected>Teamwork (no longer offered)</option>' in page
    client.post(survey.get_absolute_url(), {"action": "save", **answers})
    ranks = EmployerResponse.objects.get().ranks.all()
    assert [(r.rank, r.skill.name) for r in ranks] == [(1, "Communication"), (2, "Teamwork")]


def test_the_database_refuses_a_skill_ranked_twice():
    survey, employer = SurveyFactory(), EmployerFactory()
    response = services.response_save_draft(
        survey=survey, employer=employer, answers=complete_answers(survey)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SkillRank.objects.create(
            response=response, rank=4, skill=survey.skills.get(name="Communication")
        )


def test_answers_from_another_survey_are_refused():
    survey, other, employer = SurveyFactory(), SurveyFactory(), EmployerFactory()
    with pytest.raises(ValidationError):
        services.response_save_draft(
            survey=survey,
            employer=employer,
            answers=complete_answers(survey, barriers=[option_id(other, "barrier")]),
        )


def test_an_organisation_sees_only_its_own_response(survey):
    mine, theirs = EmployerFactory(name="Mine Ltd"), EmployerFactory(name="Theirs Ltd")
    services.response_save_draft(
        survey=survey,
        employer=theirs,
        answers=complete_answers(survey, barriers_other="Secret plans"),
    )
    _, my_link = invite(survey, mine)
    client = Client()
    client.get(my_link)
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "Answering for <strong>Mine Ltd</strong>" in page
    assert "Secret plans" not in page


def test_without_an_invitation_no_one_sees_the_survey(
    client_for, survey, employer, member, coordinator
):
    services.response_save_draft(survey=survey, employer=employer, answers=complete_answers(survey))
    for user in (None, member, coordinator):
        response = client_for(user).get(survey.get_absolute_url())
        assert response.status_code == 403
        assert "Use your invitation link" in response.content.decode()


def test_a_signed_in_contact_resumes_from_their_account(client_for, survey, employer, member):
    invitation, link = invite(survey, employer)
    client = client_for(member)
    client.get(link)  # following the link while signed in links the account, for the link's life
    assert LinkedAccount.objects.filter(invitation=invitation, user=member).exists()
    assert member not in employer.contacts.all()

    fresh = client_for(member)
    fresh.session.flush()
    fresh.force_login(member)
    page = fresh.get(survey.get_absolute_url()).content.decode()
    assert "Answering for <strong>Shoreditch Software</strong>" in page
    assert survey.title in fresh.get(reverse("employers:index")).content.decode()


def _save(client, survey, **answers):
    return client.post(survey.get_absolute_url(), form_data(survey, **answers))


def test_sending_an_invitation_again_ends_what_the_old_link_gave_in_every_session(
    client_for, survey, employer, member
):
    invitation, old_link = invite(survey, employer)
    anonymous = Client()
    anonymous.get(old_link)
    signed_in = client_for(member)
    signed_in.get(old_link)
    assert _save(anonymous, survey, barriers_other="Draft before the resend").status_code == 302

    services.invitation_resend(invitation=invitation)

    for client in (anonymous, signed_in):
        assert client.get(survey.get_absolute_url()).status_code == 403
        refused = _save(client, survey, barriers_other="Written after the resend")
        assert refused.status_code == 403
    assert survey.title not in signed_in.get(reverse("employers:index")).content.decode()
    kept = EmployerResponse.objects.get(survey=survey, employer=employer)
    assert kept.barriers_other == "Draft before the resend"

    renewed = Client()
    renewed.get(invitation.get_absolute_url())
    page = renewed.get(survey.get_absolute_url()).content.decode()
    assert "Draft before the resend" in page


def test_an_expired_link_ends_access_from_sessions_that_opened_it(
    client_for, survey, employer, member, settings
):
    settings.INVITATION_EXPIRY_DAYS = 3  # expires while the survey is still open
    invitation, link = invite(survey, employer)
    anonymous = Client()
    anonymous.get(link)
    signed_in = client_for(member)
    signed_in.get(link)
    _save(anonymous, survey, barriers_other="Saved in time")
    with time_machine.travel(invitation.expires_at + datetime.timedelta(minutes=1)):
        for client in (anonymous, signed_in):
            assert _save(client, survey, barriers_other="Saved too late").status_code == 403
    assert (
        EmployerResponse.objects.get(survey=survey, employer=employer).barriers_other
        == "Saved in time"
    )


def test_staff_see_and_remove_the_accounts_that_answer_for_an_organisation(
    client_for, commission_staff, survey, employer, member, other_member
):
    _invitation, link = invite(survey, employer)
    client_for(member).get(link)
    employer.contacts.add(other_member)
    _save(client_for(member), survey, barriers_other="Kept after removal")
    staff = Client()
    staff.force_login(commission_staff)
    page = staff.get(reverse("employers:staff_survey", args=[survey.slug])).content.decode()
    assert member.email in page
    assert other_member.email in page
    assert "followed the link signed in" in page

    for person in (member, other_member):
        removed = staff.post(
            reverse("employers:account_remove", args=[survey.slug, employer.pk, person.pk]),
            follow=True,
        )
        assert "can no longer answer for Shoreditch Software" in removed.content.decode()
        assert client_for(person).get(survey.get_absolute_url()).status_code == 403
    assert not LinkedAccount.objects.exists()
    assert not employer.contacts.exists()
    assert (
        EmployerResponse.objects.get(survey=survey, employer=employer).barriers_other
        == "Kept after removal"
    )


def test_borda_count_on_a_hand_worked_example():
    survey = SurveyFactory()
    for name, ranks in (
        ("A", ["Communication", "Problem solving", "Teamwork"]),
        ("B", ["Problem solving", "Communication", "Digital literacy"]),
        ("C", ["Teamwork", "Communication"]),
    ):
        answers = complete_answers(
            survey,
            **{f"rank_{i}": skill_id(survey, skill) for i, skill in enumerate(ranks, start=1)},
        )
        services.response_submit(
            survey=survey, employer=EmployerFactory(name=name), answers=answers
        )
    services.response_save_draft(  # drafts do not count
        survey=survey, employer=EmployerFactory(), answers=complete_answers(survey)
    )

    ranking, others, counted = selectors.skill_ranking(survey=survey)

    # Communication 5 + 4 + 4 = 13; Problem solving 4 + 5 = 9; Teamwork 3 + 5 = 8;
    # Digital literacy 3.
    assert [(s.name, s.points, s.in_top_five, s.ranked_first) for s in ranking] == [
        ("Communication", 13, 3, 1),
        ("Problem solving", 9, 2, 1),
        ("Teamwork", 8, 2, 1),
        ("Digital literacy", 3, 1, 0),
    ]
    assert counted == 3
    assert others == []


def test_ties_are_broken_by_first_places():
    survey = SurveyFactory()
    # Teamwork: 5 (one first). Communication: 4 + 1 = 5 (no first).
    services.response_submit(
        survey=survey,
        employer=EmployerFactory(),
        answers=complete_answers(
            survey, rank_1=skill_id(survey, "Teamwork"), rank_2=skill_id(survey, "Communication")
        ),
    )
    services.response_submit(
        survey=survey,
        employer=EmployerFactory(),
        answers=complete_answers(
            survey,
            rank_1=skill_id(survey, "Creativity"),
            rank_2=skill_id(survey, "Problem solving"),
            rank_3=skill_id(survey, "Time management"),
            rank_4=skill_id(survey, "Customer focus"),
            rank_5=skill_id(survey, "Communication"),
        ),
    )
    names = [s.name for s in selectors.skill_ranking(survey=survey)[0]]
    assert names.index("Teamwork") < names.index("Communication")


def test_the_survey_page_makes_a_fixed_number_of_queries(
    client, survey, employer, django_assert_max_num_queries
):
    _, link = invite(survey, employer)
    client.get(link)
    client.post(survey.get_absolute_url(), form_data(survey, rank_3="other", other_skill="Welsh"))
    for size in (1, 10):
        for i in range(size):
            services.skill_save(survey=survey, name=f"Skill {size}-{i}")
            services.response_submit(
                survey=survey, employer=EmployerFactory(), answers=complete_answers(survey)
            )
        with django_assert_max_num_queries(SURVEY_PAGE_QUERIES):
            assert client.get(survey.get_absolute_url()).status_code == 200
        with django_assert_max_num_queries(SURVEY_NOT_READY_QUERIES):
            assert client.post(survey.get_absolute_url(), {"action": "check"}).status_code == 200
        _save(client, survey, rank_3="other", other_skill="Welsh")
        with django_assert_max_num_queries(SURVEY_CHECK_QUERIES):
            assert client.get(_check_url(survey)).status_code == 200
