"""Every write to the consultation goes through here."""

import datetime
import json
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django.utils.translation import gettext as _

from common import revisions
from common.services import model_update
from surveys import services as surveys
from surveys.models import SETTINGS_FIELDS
from surveys.services import questionnaire_create

from . import emails, languages, selectors
from .models import (
    AreaChoice,
    Channel,
    Consultation,
    Contact,
    NewsTopic,
    Option,
    OptionKind,
    Response,
    ResponseOption,
    ResponseTheme,
    Theme,
    Translation,
    TranslationStatus,
    Version,
    Ward,
    new_reference,
    translated_languages,
)

DEFAULTS = Path(__file__).resolve().parent / "data" / "defaults.json"
# Drafts of the texts the portal starts with, in each language (for review, never reviewed).
DRAFTS = Path(__file__).resolve().parent / "data" / "translations.json"

# The answers a response is made of, as the questionnaire (and staff entry) collect them.
TEXT_ANSWERS = ("barriers_other", "changes_other", "support_other", "comments")
CHOICE_ANSWERS = (
    "interest",
    "age_band",
    "sex",
    "gender_same_as_birth",
    "ethnic_group",
    "disability",
    "caring",
    "employment",
)
OPTION_ANSWERS = {
    "barriers": OptionKind.BARRIER,
    "changes": OptionKind.CHANGE,
    "support": OptionKind.SUPPORT,
}


def figures_changed(*, consultation_id: int) -> None:
    """Note that the consultation's figures changed, so cached figures are not used again.

    Call it inside the transaction that changes responses or their codes.
    """
    Consultation.objects.filter(pk=consultation_id).update(figures_version=F("figures_version") + 1)


def questions_changed(*, consultation_id: int | None = None) -> None:
    """Note that the questionnaire's answer lists changed (one consultation's, or every
    one's when the wards change), so no blank page rendered before is shown again once
    the change commits. Runs for every such change, whoever makes it
    (``consultation.signals``)."""
    consultations = Consultation.objects.all()
    if consultation_id is not None:
        consultations = consultations.filter(pk=consultation_id)
    consultations.update(questions_version=F("questions_version") + 1)


def new_submission_key() -> uuid.UUID:
    return uuid.uuid4()


class ConsultationClosed(Exception):
    """Answers were sent outside the consultation's opening and closing times."""


def consultation_create(**settings) -> Consultation:
    """Set up a consultation (``surveys.models.SETTINGS_FIELDS``, and a slug if wanted)
    with the starting answer lists, which staff can then edit."""
    defaults = json.loads(DEFAULTS.read_text(encoding="utf-8"))
    with transaction.atomic():
        consultation = questionnaire_create(
            Consultation,
            option_model=Option,
            lists={kind: defaults[kind] for kind in OptionKind.values},
            **settings,
        )
        translations_draft(consultation=consultation)
    return consultation


def translations_draft(*, consultation: Consultation) -> int:
    """Draft translations, from those the portal ships (``DRAFTS``), of each of
    ``consultation``'s texts that has none yet in a language: the starting answer lists,
    the news topics and the demo's texts, for a fluent speaker to review. Returns how many
    were added."""
    shipped = json.loads(DRAFTS.read_text(encoding="utf-8"))
    codes = {code for code, _name in translated_languages()}
    have = {
        (language, part, option, topic)
        for language, part, option, topic in consultation.translations.values_list(
            "language", "part", "option_id", "topic_id"
        )
    }
    drafts = [
        Translation(
            consultation=consultation,
            language=language,
            part=text.part,
            option_id=text.option_id,
            topic_id=text.topic_id,
            source=text.english,
            text=shipped[language][text.english],
        )
        for text in languages.needed(consultation)
        for language in sorted(codes & shipped.keys())
        if text.english in shipped[language] and (language, *text.key) not in have
    ]
    with transaction.atomic():
        Translation.objects.bulk_create(drafts)
        questions_changed(consultation_id=consultation.pk)
        revisions.changed()  # a bulk insert sends no signals of its own
    return len(drafts)


def consultation_update(*, consultation: Consultation, **fields) -> Consultation:
    """Change a consultation's details (title, dates, texts, roadmap activity)."""
    # One transaction: the public revision and the questions version move on together.
    with transaction.atomic():
        return model_update(consultation, fields, editable=SETTINGS_FIELDS)


def option_save(
    *,
    consultation: Consultation,
    kind: str,
    label: str,
    option: Option | None = None,
    is_active: bool = True,
    position: int | None = None,
) -> Option:
    """Add an answer to one of the lists, or rename, reorder or retire one (the
    questionnaire's blank pages move on with it: signals.py)."""
    return surveys.option_save(
        questionnaire=consultation,
        option_model=Option,
        kind=kind,
        label=label,
        option=option,
        is_active=is_active,
        position=position,
    )


def ward_save(*, name: str, ward: Ward | None = None, is_active: bool = True) -> Ward:
    """Add a ward to the area list, or rename or retire one."""
    ward = ward or Ward()
    ward.name = name.strip()
    ward.is_active = is_active
    ward.full_clean()
    with transaction.atomic():  # with the questions versions it moves on (signals.py)
        ward.save()
    return ward


def _validated_options(consultation: Consultation, answers: dict) -> list[int]:
    wanted = {
        int(pk): kind for field, kind in OPTION_ANSWERS.items() for pk in answers.get(field, ())
    }
    kinds = selectors.option_kinds(consultation)
    if any(kinds.get(pk) != kind for pk, kind in wanted.items()):
        raise ValidationError(_("One of the ticked answers is not part of this consultation."))
    return list(wanted)


# How many references a submission draws before giving up: with 32⁸ of them, a second
# draw taken too already means something else is wrong.
REFERENCE_DRAWS = 5


def response_submit(
    *,
    consultation: Consultation,
    answers: dict,
    submission_key: uuid.UUID,
    channel: str = Channel.ONLINE,
    channel_detail: str = "",
    submitted_at: datetime.datetime | None = None,
    language: str = settings.LANGUAGE_CODE,
    version: str = Version.STANDARD,
    then: Callable[[Response], object] | None = None,
) -> tuple[Response, bool]:
    """Save one resident's answers. Returns the response and whether it is new.

    Sending the same answers again (a double click, the back button, a retry) carries the
    same ``submission_key`` and returns the response already saved instead of a second one.
    Online answers are taken only while the consultation is open; staff enter paper and
    event responses, with the date they were given, at any time. ``then`` is given a new
    response inside the transaction that saves it: what it writes is saved with the
    answers or not at all.

    Everything is checked before the transaction opens, which then holds only the writes:
    a consultation's figures version is one row every answer sent moves on, so the shorter
    the transaction that changes it, the less each resident waits for the one before.
    Answers sent before are found when the database refuses their key a second time, so
    answers sent once cost no look-up.
    """
    now = timezone.now()
    if channel == Channel.ONLINE and not consultation.is_open(now):
        earlier = _sent_with(submission_key)
        if earlier is not None:
            return earlier, False
        raise ConsultationClosed
    option_ids = _validated_options(consultation, answers)
    area = answers.get("area", "")
    ward_id = None
    if area.startswith("ward:"):
        area, ward_id = AreaChoice.WARD, int(area.removeprefix("ward:"))
    response = Response(
        consultation=consultation,
        submission_key=submission_key,
        channel=channel,
        channel_detail=channel_detail if channel == Channel.EVENT else "",
        submitted_at=submitted_at or now,
        language=language,
        version=version,
        area=area,
        ward_id=ward_id,
        **{name: answers.get(name, "").strip() for name in TEXT_ANSWERS},
        **{name: answers.get(name, "") for name in CHOICE_ANSWERS},
    )
    # Both are unique: the database says when either is taken, and that is settled below.
    # The consultation is the caller's own row. The one constraint, checked without a
    # query by the model's ``clean``, is held by the database too.
    response.full_clean(
        exclude=["consultation", "submission_key", "reference"], validate_constraints=False
    )
    for _attempt in range(REFERENCE_DRAWS):
        try:
            with transaction.atomic():
                _save_answers(response, option_ids)
                if then is not None:
                    then(response)
        except IntegrityError:
            earlier = _sent_with(submission_key)
            if earlier is not None:
                # Sent before, or the same answers won a race with these: theirs is the
                # response.
                return earlier, False
            if not Response.objects.filter(reference=response.reference).exists():
                raise
            # The reference drawn is another response's (at a million responses, about one
            # submission in a million): draw another.
            response.reference = new_reference()
            continue
        return response, True
    raise IntegrityError(f"No free reference in {REFERENCE_DRAWS} draws")


def _save_answers(response: Response, option_ids: list[int]) -> None:
    """Insert a new response and its ticked answers, and move its consultation's figures
    version on. On PostgreSQL in one statement (the response's insert, as the ORM writes
    it, with the answers and the version in data-modifying WITH queries): a third of the
    time of the three through the ORM, the disk's wait unchanged. Elsewhere through the ORM."""
    using = transaction.get_connection()
    if using.vendor != "postgresql":
        response.save()
        ResponseOption.objects.bulk_create(
            ResponseOption(response=response, option_id=pk) for pk in option_ids
        )
        figures_changed(consultation_id=response.consultation_id)
        return
    meta = Response._meta
    insert = InsertQuery(Response)
    insert.insert_values(
        [f for f in meta.local_concrete_fields if f is not meta.auto_field and not f.generated],
        [response],
    )
    compiler = insert.get_compiler(connection=using)
    compiler.returning_fields = [meta.pk]
    [(response_sql, params)] = compiler.as_sql()
    with using.cursor() as cursor:
        cursor.execute(
            _answers_sql(response_sql, using.ops.quote_name),
            [*params, option_ids, response.consultation_id],
        )
        response.pk = cursor.fetchone()[0]
    response._state.adding = False
    response._state.db = using.alias


def _answers_sql(response_sql: str, quote) -> str:
    def name(model, field=None):
        return quote(model._meta.get_field(field).column if field else model._meta.db_table)

    ticked, consultation = ResponseOption, Consultation
    # Names from the models, the values parameters.
    return (
        f"WITH saved AS ({response_sql}), "  # noqa: S608
        f"ticked AS (INSERT INTO {name(ticked)} ({name(ticked, 'response')}, "
        f"{name(ticked, 'option')}) SELECT saved.id, unnest(%s::integer[]) FROM saved), "
        f"counted AS (UPDATE {name(consultation)} SET {name(consultation, 'figures_version')} "
        f"= {name(consultation, 'figures_version')} + 1 WHERE {name(consultation, 'id')} = %s) "
        "SELECT id FROM saved"
    )


def _sent_with(submission_key: uuid.UUID) -> Response | None:
    return Response.objects.filter(submission_key=submission_key).first()


class IdTakenElsewhere(ValidationError):
    """A response id a tablet sent is another consultation's."""


def event_sync(*, consultation: Consultation, responses: list) -> dict[str, list]:
    """Save a tablet's batch of answers captured at events (``capture.read_batch``), all
    in one transaction: each response once, by the id the tablet made for it, however many
    times the batch is sent (a retry, a sync cut off half way, two tablets sending the same
    answers). Each is an event response with its event's name and the time it was given.
    Returns the ids saved now and those saved before."""
    taken = dict(
        Response.objects.filter(submission_key__in=[r.id for r in responses]).values_list(
            "submission_key", "consultation_id"
        )
    )
    if any(owner != consultation.pk for owner in taken.values()):
        raise IdTakenElsewhere(_("A response id in this batch belongs to another consultation."))
    saved, before = [], []
    with transaction.atomic():
        for captured in responses:
            if captured.id in taken:
                # Kept as first sent, whatever has changed since (an answer retired).
                before.append(str(captured.id))
                continue
            _response, created = response_submit(
                consultation=consultation,
                answers=captured.answers,
                submission_key=captured.id,
                channel=Channel.EVENT,
                channel_detail=captured.event,
                submitted_at=captured.given_at,
                language=captured.language,
                version=captured.version,
            )
            (saved if created else before).append(str(captured.id))
    return {"saved": saved, "already": before}


def questionnaire_submit(
    *,
    consultation: Consultation,
    answers: dict,
    submission_key: uuid.UUID,
    consent_text: str,
    language: str = settings.LANGUAGE_CODE,
    version: str = Version.STANDARD,
) -> Response:
    """A resident sends the online questionnaire: their answers, with the language and
    version they answered in, and, if they gave an email address and agreed to be told
    about opportunities, that address, kept apart from the answers. Both are saved or
    neither is; sending again saves nothing new."""

    def contact(_response):
        contact_add(
            consultation=consultation,
            email=answers["email"],
            consent_text=consent_text,
            topics=answers.get("topics", []),
        )

    response, _created = response_submit(
        consultation=consultation,
        answers=answers,
        submission_key=submission_key,
        language=language,
        version=version,
        then=contact if answers.get("email") and answers.get("consent") else None,
    )
    return response


def contact_add(*, consultation: Consultation, email: str, consent_text: str, topics=()) -> Contact:
    """Keep an email address, apart from any answers, to tell its owner about opportunities
    on ``topics`` (ids; none: everything).

    The confirmation email, with its withdrawal link, is queued once the row is saved.
    """
    contact = Contact(
        consultation=consultation, email=email.strip().lower(), consent_text=consent_text
    )
    contact.full_clean()
    with transaction.atomic():
        contact.save()
        contact.topics.set(NewsTopic.objects.filter(pk__in=[int(t) for t in topics]))
        emails.post_contact_confirmation(contact)
    return contact


def contact_set_topics(*, contact: Contact, topics) -> Contact:
    """A resident changes what they hear about (``topics``: ids; none: everything)."""
    if contact.withdrawn_at is not None:
        raise ValidationError(_("These emails were stopped: there is nothing to change."))
    contact.topics.set(NewsTopic.objects.filter(pk__in=[int(t) for t in topics], is_active=True))
    return contact


def contact_withdraw(*, contact: Contact) -> Contact:
    """Stop using the address and erase it, wherever a resident left it (one sign-up for
    each consultation they answered): withdrawing from any email stops them all. The dated
    consent records remain."""
    if contact.withdrawn_at is None:
        with transaction.atomic():
            same = Contact.objects.filter(withdrawn_at__isnull=True).filter(
                Q(pk=contact.pk) | Q(email__iexact=contact.email) & ~Q(email="")
            )
            ids = list(same.values_list("pk", flat=True))
            withdrawn_at = timezone.now()
            same.update(withdrawn_at=withdrawn_at, email="")
            emails.forget_contacts(ids, reason=_("Withdrawn before this was sent."))
        contact.withdrawn_at, contact.email = withdrawn_at, ""
    return contact


def retention_apply(*, now: datetime.datetime | None = None) -> int:
    """Delete contact records older than ``CONTACT_RETENTION_DAYS``. Returns how many."""
    today = timezone.localdate(now or timezone.now())
    cutoff = today - datetime.timedelta(days=settings.CONTACT_RETENTION_DAYS)
    expired = Contact.objects.filter(consented_on__lt=cutoff)
    with transaction.atomic():
        emails.forget_contacts(
            list(expired.values_list("pk", flat=True)), reason=_("Kept past its time.")
        )
        deleted = expired.delete()[0]
    return deleted


def theme_create(*, consultation: Consultation, name: str, description: str = "") -> Theme:
    """Add a theme for coding free text (or return the one with that name)."""
    name = name.strip()
    existing = consultation.themes.filter(name__iexact=name).first()
    if existing:
        return existing
    theme = Theme(consultation=consultation, name=name, description=description.strip())
    theme.full_clean()
    theme.save()
    return theme


def response_code(*, response: Response, themes: list[Theme], coded_by) -> Response:
    """Tag a response's free text with exactly ``themes`` (any number, none included)."""
    if any(theme.consultation_id != response.consultation_id for theme in themes):
        raise ValidationError(_("A theme of another consultation cannot be used here."))
    wanted = {theme.pk for theme in themes}
    now = timezone.now()
    with transaction.atomic():
        ResponseTheme.objects.filter(response=response).exclude(theme_id__in=wanted).delete()
        present = set(
            ResponseTheme.objects.filter(response=response).values_list("theme_id", flat=True)
        )
        ResponseTheme.objects.bulk_create(
            ResponseTheme(response=response, theme_id=pk, coded_by=coded_by, coded_at=now)
            for pk in wanted - present
        )
        response.coded_at = now
        response.save(update_fields=["coded_at"])
        figures_changed(consultation_id=response.consultation_id)
    return response


class TranslationOutOfDate(ValidationError):
    """The English a translation was made from has changed since."""


def translation_save(
    *,
    consultation: Consultation,
    language: str,
    part: str,
    text: str,
    option: Option | None = None,
    topic: NewsTopic | None = None,
    reviewed_by=None,
) -> Translation:
    """Write, or write again, one of ``consultation``'s texts in ``language``, as a
    translation of what its English says now. A draft, unless ``reviewed_by`` names the
    fluent speaker who checked it: only reviewed translations reach residents, and a
    language only once all its texts are (``languages``)."""
    if option is not None and option.consultation_id != consultation.pk:
        raise ValidationError(_("That answer option belongs to another consultation."))
    found = Translation.objects.filter(
        consultation=consultation, language=language, part=part, option=option, topic=topic
    ).first()
    translation = found or Translation(
        consultation=consultation, language=language, part=part, option=option, topic=topic
    )
    translation.source = translation.english
    translation.text = text.strip()
    _set_review(translation, reviewed_by)
    translation.full_clean()
    try:
        with transaction.atomic():  # with the questions version it moves on (signals.py)
            translation.save()
    except IntegrityError as clash:
        # Someone else wrote this text's translation in the same moment: theirs stands.
        raise ValidationError(
            _("Someone else saved this translation at the same moment: check it again."),
            code="clash",
        ) from clash
    return translation


def _set_review(translation: Translation, reviewed_by) -> None:
    translation.status = (
        TranslationStatus.DRAFT if reviewed_by is None else TranslationStatus.REVIEWED
    )
    translation.reviewed_by = reviewed_by
    translation.reviewed_at = None if reviewed_by is None else timezone.now()


def translation_review(*, translation: Translation, reviewed_by) -> Translation:
    """A fluent speaker confirms a translation. One made from English that has changed
    since cannot be: it is brought in line (``translation_save``) instead."""
    if translation.source != translation.english:
        raise TranslationOutOfDate(
            _("The English has changed since this was translated: translate it again."),
            code="out_of_date",
        )
    _set_review(translation, reviewed_by)
    with transaction.atomic():
        translation.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    return translation


def translations_save(*, consultation: Consultation, language: str, texts: list, reviewer) -> int:
    """Save a page of ``consultation``'s texts in ``language`` at once, all or none:
    ``texts`` holds (text row, translation, reviewed) for each text shown
    (``languages.text_rows``). A text left empty, or as it was and ticked as it was, is left
    as it was (an out-of-date one stays out of date). One written or changed is saved as a
    translation of the English now, reviewed by ``reviewer`` if ticked; one only newly
    ticked is reviewed by them. Returns how many changed."""
    options = {o.pk: o for o in consultation.options.all()}
    topics = {t.pk: t for t in NewsTopic.objects.all()}
    changed = 0
    with transaction.atomic():
        for row, text, reviewed in texts:
            text, found = text.strip(), row.translation
            was_reviewed = row.state == languages.REVIEWED
            if not text or (found is not None and found.text == text and reviewed == was_reviewed):
                continue
            if found is not None and found.text == text and row.state == languages.DRAFT:
                translation_review(translation=found, reviewed_by=reviewer)
            else:
                translation_save(
                    consultation=consultation,
                    language=language,
                    part=row.needed.part,
                    option=options.get(row.needed.option_id),
                    topic=topics.get(row.needed.topic_id),
                    text=text,
                    reviewed_by=reviewer if reviewed else None,
                )
            changed += 1
    return changed
