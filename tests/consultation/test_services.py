import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultation import services
from consultation.models import (
    AreaChoice,
    Channel,
    Contact,
    OptionKind,
    Response,
    ResponseOption,
    Ward,
)
from notifications import outbox
from notifications.models import Message
from surveys import publishing
from tests.conftest import send_everything_again
from tests.consultation.factories import ConsultationFactory, answers, option_ids, submit

pytestmark = pytest.mark.django_db


def test_a_new_consultation_starts_with_the_standard_answer_lists():
    consultation = ConsultationFactory()
    kinds = {kind: consultation.options.filter(kind=kind).count() for kind in OptionKind.values}
    assert kinds == {"barrier": 13, "change": 10, "support": 9}


def test_the_borough_wards_are_loaded():
    assert Ward.objects.count() == 21
    assert Ward.objects.filter(name="Hoxton East & Shoreditch").exists()


def test_answers_are_saved_with_their_ticked_options():
    consultation = ConsultationFactory()
    response = submit(consultation, barriers_other="  Travel costs  ")

    assert response.channel == Channel.ONLINE
    assert response.barriers_other == "Travel costs"
    assert response.options.filter(kind=OptionKind.BARRIER).count() == 2
    assert (response.area, response.ward.name) == (AreaChoice.WARD, "Dalston")
    assert len(response.reference) == 9


def test_answers_sent_move_the_figures_on_and_are_saved_as_the_orm_saves_them():
    """On PostgreSQL the response, its ticked answers and the figures version are written
    in one statement; elsewhere in three. Either way the row is what the ORM would save."""
    consultation = ConsultationFactory()
    before = consultation.figures_version
    ticked = [
        *option_ids(consultation, OptionKind.BARRIER, 0, 2),
        *option_ids(consultation, OptionKind.CHANGE, 1),
    ]
    given = {**answers(consultation), "barriers": ticked[:2], "changes": ticked[2:]}
    key = uuid.uuid4()

    with CaptureQueriesContext(connection) as queries:
        response, created = services.response_submit(
            consultation=consultation, answers=given, submission_key=key, language="pl"
        )

    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "WITH"))]
    assert len(writes) == (1 if connection.vendor == "postgresql" else 3)
    assert created
    stored = Response.objects.get(submission_key=key)
    assert stored.pk == response.pk
    assert response._state.adding is False
    every_tick = [int(pk) for field in ("barriers", "changes", "support") for pk in given[field]]
    assert sorted(stored.options.values_list("pk", flat=True)) == sorted(every_tick)
    assert set(ticked) <= {str(pk) for pk in every_tick}
    assert (stored.reference, stored.language, stored.submitted_at) == (
        response.reference,
        "pl",
        response.submitted_at,
    )
    consultation.refresh_from_db()
    assert consultation.figures_version == before + 1


def test_the_same_submission_twice_makes_one_response():
    consultation = ConsultationFactory()
    key = uuid.uuid4()
    first, created_first = services.response_submit(
        consultation=consultation, answers=answers(consultation), submission_key=key
    )
    second, created_second = services.response_submit(
        consultation=consultation, answers=answers(consultation), submission_key=key
    )
    assert (created_first, created_second) == (True, False)
    assert first == second
    assert Response.objects.count() == 1
    assert ResponseOption.objects.count() == 4


def test_the_database_refuses_a_second_response_with_the_same_key():
    response = submit(ConsultationFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            consultation=response.consultation, submission_key=response.submission_key
        )


def test_a_reference_drawn_twice_is_drawn_again_and_the_answers_saved(monkeypatch):
    """Two responses drawing the same reference is rare (at a million responses, about one
    submission in a million) and must not lose the resident's answers."""
    consultation = ConsultationFactory()
    taken = submit(consultation).reference
    field = Response._meta.get_field("reference")
    monkeypatch.setattr(field, "_get_default", lambda: taken)  # what Django calls for it

    response, created = services.response_submit(
        consultation=consultation, answers=answers(consultation), submission_key=uuid.uuid4()
    )

    assert created
    assert response.reference != taken
    assert Response.objects.filter(pk=response.pk, reference=response.reference).exists()
    assert ResponseOption.objects.filter(response=response).count() == 4
    assert Response.objects.count() == 2


@pytest.mark.parametrize(
    "moment",
    [datetime.timedelta(days=-8), datetime.timedelta(days=31)],
    ids=["before it opens", "after it closes"],
)
def test_online_answers_are_refused_outside_the_consultation_dates(moment):
    consultation = ConsultationFactory()
    with time_machine.travel(timezone.now() + moment), pytest.raises(services.ConsultationClosed):
        submit(consultation)
    assert Response.objects.count() == 0


def test_staff_can_enter_paper_responses_after_the_close():
    consultation = ConsultationFactory(
        opens_at=timezone.now() - datetime.timedelta(days=60),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    given = timezone.now() - datetime.timedelta(days=20)
    response, _ = services.response_submit(
        consultation=consultation,
        answers=answers(consultation),
        submission_key=uuid.uuid4(),
        channel=Channel.EVENT,
        channel_detail="Hackney Central library drop-in",
        submitted_at=given,
    )
    assert (response.channel, response.channel_detail) == (
        Channel.EVENT,
        "Hackney Central library drop-in",
    )
    assert response.submitted_at == given


def test_options_of_another_consultation_are_refused():
    ours, theirs = ConsultationFactory(), ConsultationFactory()
    foreign = option_ids(theirs, OptionKind.BARRIER, 0)
    with pytest.raises(ValidationError, match="not part of this consultation"):
        submit(ours, barriers=foreign)


def test_an_unknown_choice_is_refused():
    with pytest.raises(ValidationError):
        submit(ConsultationFactory(), ethnic_group="martian")


def test_skipped_equality_questions_stay_blank():
    consultation = ConsultationFactory()
    response = submit(
        consultation, age_band="", sex="", ethnic_group="", area="", gender_same_as_birth=""
    )
    assert (response.age_band, response.ethnic_group, response.area, response.ward) == (
        "",
        "",
        "",
        None,
    )


def test_a_response_holds_nothing_that_identifies_the_resident():
    fields = {f.name for f in Response._meta.get_fields()}
    assert not fields & {"user", "ip_address", "user_agent", "email", "session_key"}
    assert "response" not in {f.name for f in Contact._meta.get_fields()}


def test_contact_confirmation_is_sent_once_with_a_withdrawal_link(
    mailoutbox, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        contact = services.contact_add(
            consultation=consultation, email=" Ama@Example.org ", consent_text="I agree"
        )
    assert contact.email == "ama@example.org"
    assert len(mailoutbox) == 1
    assert contact.get_withdraw_url() in mailoutbox[0].body

    send_everything_again()
    send_everything_again()
    assert len(mailoutbox) == 1
    contact.refresh_from_db()
    assert contact.confirmation_sent_on == timezone.localdate()


def test_a_failed_confirmation_is_sent_on_retry(
    mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.consultation.test_services.FailingBackend"
    consultation = ConsultationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        contact = services.contact_add(
            consultation=consultation, email="ama@example.org", consent_text="I agree"
        )
    message = Message.objects.get()
    assert (message.status, message.attempts) == ("pending", 1)
    assert "mail server down" in message.note
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.deliver([message.pk]) == {}  # not before its back-off has passed
    with time_machine.travel(message.next_attempt_at):
        assert outbox.dispatch(enqueue=outbox.deliver).sent == 1
    assert len(mailoutbox) == 1
    contact.refresh_from_db()
    assert contact.confirmation_sent_on is not None


class FailingBackend(BaseEmailBackend):
    """A mail server that is down: the way Django's SMTP backend fails when it cannot connect."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_withdrawing_erases_the_address_and_stops_the_email(mailoutbox):
    contact = services.contact_add(
        consultation=ConsultationFactory(), email="ama@example.org", consent_text="I agree"
    )  # the confirmation is waiting to go: its transaction has not committed in this test
    services.contact_withdraw(contact=contact)
    contact.refresh_from_db()
    assert contact.email == ""
    assert contact.withdrawn_at is not None

    message = Message.objects.get()
    assert (message.status, message.recipient) == ("skipped", "")  # no copy of the address
    assert message.note == "Withdrawn before this was sent."
    assert send_everything_again() == {}
    assert mailoutbox == []


def test_retention_removes_old_contact_details_only(settings):
    settings.CONTACT_RETENTION_DAYS = 365
    old = Contact.objects.create(
        email="old@example.org",
        consent_text="I agree",
        consented_on=timezone.localdate() - datetime.timedelta(days=366),
    )
    recent = Contact.objects.create(email="new@example.org", consent_text="I agree")

    assert services.retention_apply() == 1
    assert services.retention_apply() == 0
    assert not Contact.objects.filter(pk=old.pk).exists()
    assert Contact.objects.filter(pk=recent.pk).exists()


def test_coding_sets_exactly_the_chosen_themes(commission_staff):
    consultation = ConsultationFactory()
    response = submit(consultation, comments="Courses are at times I work.")
    timing = services.theme_create(consultation=consultation, name="Timing of courses")
    cost = services.theme_create(consultation=consultation, name="Cost")

    services.response_code(response=response, themes=[timing, cost], coded_by=commission_staff)
    services.response_code(response=response, themes=[timing], coded_by=commission_staff)

    assert list(response.themes.all()) == [timing]
    assert response.coded_at is not None


def test_themes_are_not_duplicated_by_case():
    consultation = ConsultationFactory()
    first = services.theme_create(consultation=consultation, name="Cost")
    assert services.theme_create(consultation=consultation, name=" cost ") == first


def test_a_theme_from_another_consultation_cannot_be_used(commission_staff):
    response = submit(ConsultationFactory(), comments="x")
    other = services.theme_create(consultation=ConsultationFactory(), name="Cost")
    with pytest.raises(ValidationError):
        services.response_code(response=response, themes=[other], coded_by=commission_staff)


def test_findings_are_published_only_after_the_close():
    consultation = ConsultationFactory()
    with pytest.raises(ValidationError, match="once the consultation closes"):
        publishing.findings_publish(questionnaire=consultation, summary="Early")
    with time_machine.travel(consultation.closes_at + datetime.timedelta(minutes=1)):
        publishing.findings_publish(questionnaire=consultation, summary="What we heard")
    assert consultation.findings_published


def test_retired_options_are_not_offered_but_keep_their_answers():
    consultation = ConsultationFactory()
    response = submit(consultation)
    option = response.options.filter(kind=OptionKind.BARRIER).first()
    services.option_save(
        consultation=consultation,
        kind=option.kind,
        label=option.label,
        option=option,
        is_active=False,
    )
    from consultation.forms import option_choices

    assert str(option.pk) not in dict(option_choices(consultation, OptionKind.BARRIER))
    assert option in response.options.all()


def test_a_resident_who_asks_for_news_sends_answers_and_address_together_and_once(mailoutbox):
    consultation = ConsultationFactory()
    sent = answers(consultation, email="Ada@Example.org", consent=True)
    key = uuid.uuid4()
    for _ in range(2):
        response = services.questionnaire_submit(
            consultation=consultation, answers=sent, submission_key=key, consent_text="Yes"
        )
    assert Response.objects.get() == response
    assert Contact.objects.get().email == "ada@example.org"

    services.questionnaire_submit(
        consultation=consultation,
        answers=answers(consultation, email="bo@example.org", consent=False),
        submission_key=uuid.uuid4(),
        consent_text="Yes",
    )
    assert (Response.objects.count(), Contact.objects.count()) == (2, 1)


def test_answers_are_not_kept_when_the_address_beside_them_cannot_be(mailoutbox):
    consultation = ConsultationFactory()
    with pytest.raises(ValidationError):
        services.questionnaire_submit(
            consultation=consultation,
            answers=answers(consultation, email="not an address", consent=True),
            submission_key=uuid.uuid4(),
            consent_text="Yes",
        )
    assert (Response.objects.count(), Contact.objects.count()) == (0, 0)
