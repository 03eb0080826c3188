"""Reads of the consultation: lists, answers for review, and the analysis in SQL."""

from dataclasses import dataclass

from django.core.cache import caches
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common import kept_pages

from . import easy_read
from .languages import ENGLISH
from .models import Consultation, Contact, Option, Response, Version


def public_consultations() -> tuple[list[Consultation], list[Consultation]]:
    """Open consultations, and closed ones whose findings are published."""
    now = timezone.now()
    consultations = Consultation.objects.filter(
        Q(opens_at__lte=now, closes_at__gt=now) | Q(closes_at__lte=now, findings_published=True)
    ).order_by("closes_at")
    open_now = [c for c in consultations if c.is_open(now)]
    published = [c for c in consultations if not c.is_open(now)]
    return open_now, published


def consultation_read_by_residents(*, slug: str, revision: str) -> Consultation | None:
    """The consultation at ``slug`` for its residents' pages, kept under the public pages'
    revision (``revision``), which every save of it and every change to its questions moves
    on: no query while kept. What staff and sent answers change by the row alone (its
    figures version) is not kept up to date, so nothing is written from it."""
    key = f"consultation-row:{kept_pages.digest(slug)}:{revision}"
    store = caches["pages"]
    consultation = store.get(key)
    if consultation is None:
        consultation = Consultation.objects.filter(slug=slug).first()
        if consultation is not None:
            store.set(key, consultation, None)
    return consultation


def consultation_with_options(*, slug: str) -> Consultation:
    """A consultation and its answer lists (raises ``Consultation.DoesNotExist``)."""
    return Consultation.objects.prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("kind", "position", "pk"))
    ).get(slug=slug)


def response_by_submission_key(*, consultation: Consultation, key) -> Response | None:
    return Response.objects.filter(consultation=consultation, submission_key=key).first()


@dataclass
class AnswerRow:
    question: str
    answer: str | list[str]
    field: str

    @property
    def is_list(self) -> bool:
        return isinstance(self.answer, list)


@dataclass
class AnswerPage:
    """One page of the questionnaire as "check your answers" shows it: its title, the
    page to change the answers on, and each question with its answer."""

    step: str
    title: str
    rows: list[AnswerRow]


@dataclass(frozen=True)
class _Question:
    """A question as "check your answers" shows it: its words, and the words of each
    answer it may have (none for an answer typed in)."""

    name: str
    words: str
    labels: dict[str, str]


def option_kinds(consultation: Consultation) -> dict[int, str]:
    """Every answer on the consultation's lists, retired ones too, by id: the list it is
    on (``OptionKind``). Kept under the consultation's questions version, which every
    change to its lists moves on (1 query when first read)."""
    key = f"option-kinds:{consultation.pk}:{consultation.questions_version}"
    return caches["pages"].get_or_set(
        key, lambda: dict(consultation.options.values_list("pk", "kind")), None
    )


def check_answer_pages(
    consultation: Consultation, answers: dict, version: str = Version.STANDARD
) -> list[AnswerPage]:
    """The draft's answers as the resident would read them, for "check your answers",
    grouped by the page they were asked on: each question with its answer in words. The
    email address is shown once, and the consent to emails once, as its own answer.

    The questions and the words of their answers are the same for everyone until the
    consultation's questions change: kept under its questions version, the language and
    the version of the questionnaire (``_questions``), so no query is made once kept."""
    pages = []
    for step, title, questions in _questions(consultation, version):
        rows = [
            AnswerRow(question.words, _answer(question, answers.get(question.name)), question.name)
            for question in questions
            # Topics are asked of those who leave an address; without one there are none.
            if not (question.name == "topics" and not answers.get("email"))
        ]
        pages.append(AnswerPage(step, title, rows))
    return pages


def _answer(question: _Question, value) -> str | list[str]:
    """The answer to ``question`` in words (a list, for "all that apply")."""
    if question.name == "consent":
        # The consent sentence is the box's label: shown as the answer, under a question.
        return question.labels["yes"] if value else question.labels["no"]
    if question.name == "topics" and not value:
        return question.labels["everything"]
    if isinstance(value, list):
        return [question.labels.get(v, v) for v in value]
    if value and question.labels:
        return question.labels.get(value, value)
    return value or ""


def _questions(consultation: Consultation, version: str) -> list[tuple[str, str, list]]:
    """Each page's slug, title and questions (``_Question``), in the language active."""
    key = (
        f"check-questions:{consultation.pk}:{consultation.questions_version}:"
        f"{get_language()}:{version}"
    )
    return caches["pages"].get_or_set(key, lambda: _read_questions(consultation, version), None)


def _read_questions(consultation: Consultation, version: str) -> list[tuple[str, str, list]]:
    """As ``_questions``, from the forms (2 queries: every answer list's labels, retired
    answers too, so an answer ticked before it was retired still reads as words; and the
    wards)."""
    # The forms read their answer lists through this module: importing them at the top
    # would be a cycle.
    from .forms import STEPS, OptionQuestionForm

    texts = getattr(consultation, "texts", ENGLISH)
    option_labels = {
        str(pk): texts.option(pk, label)
        for pk, label in Option.objects.filter(consultation=consultation).values_list("pk", "label")
    }
    pages = []
    for step in STEPS:
        form = step.form_class(consultation=consultation)
        title = step.title
        if version == Version.EASY_READ:
            form, title = easy_read.adapt(form, step.slug), easy_read.PAGES[step.slug].title
        questions = []
        for name, field in form.fields.items():
            if name == "website":
                continue
            if name == "consent":
                words, labels = _("Emails about opportunities"), {"yes": field.label, "no": _("No")}
            elif name == "topics":
                labels = {**dict(_flat(field.choices)), "everything": _("Everything")}
                words = field.label
            elif isinstance(form, OptionQuestionForm) and name == form.field:
                words, labels = field.label, option_labels
            else:
                words, labels = field.label, dict(_flat(getattr(field, "choices", [])))
            questions.append(_Question(name, str(words), {k: str(v) for k, v in labels.items()}))
        pages.append((step.slug, str(title), questions))
    return pages


def _flat(choices):
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield value, label


def staff_consultations() -> QuerySet[Consultation]:
    return Consultation.objects.annotate(response_count=Count("responses")).order_by("-opens_at")


def _has_free_text() -> Q:
    return ~Q(comments="") | ~Q(barriers_other="") | ~Q(changes_other="") | ~Q(support_other="")


def next_to_code(*, consultation: Consultation) -> Response | None:
    """The oldest response with free text that no one has coded yet."""
    return (
        Response.objects.filter(consultation=consultation, coded_at__isnull=True)
        .filter(_has_free_text())
        .prefetch_related("themes")
        .order_by("submitted_at", "pk")
        .first()
    )


def uncoded_count(*, consultation: Consultation) -> int:
    return (
        Response.objects.filter(consultation=consultation, coded_at__isnull=True)
        .filter(_has_free_text())
        .count()
    )


@dataclass
class AnswersToCode:
    """A consultation with free-text answers no one has coded yet, and how many."""

    slug: str
    title: str
    count: int


def answers_to_code() -> list[AnswersToCode]:
    """Each consultation with responses whose free text no one has coded yet, and how many
    such responses it has (``uncoded_count`` for every consultation at once), oldest
    consultation first (1 query)."""
    rows = (
        Response.objects.filter(coded_at__isnull=True)
        .filter(_has_free_text())
        .values("consultation__slug", "consultation__title", "consultation__opens_at")
        .annotate(count=Count("pk"))
        .order_by("consultation__opens_at", "consultation__slug")
    )
    return [
        AnswersToCode(r["consultation__slug"], r["consultation__title"], r["count"]) for r in rows
    ]


def closed_without_findings(*, now=None) -> QuerySet[Consultation]:
    """Consultations that have closed and whose findings are not published yet, first
    closed first (1 query)."""
    return Consultation.objects.filter(
        closes_at__lte=now or timezone.now(), findings_published=False
    ).order_by("closes_at", "pk")


def news_contacts(topic_ids) -> QuerySet[Contact]:
    """Residents who asked for news and would want this: every topic they chose, or none
    chosen (everything), among ``topic_ids``; all of them if ``topic_ids`` is empty
    (1 query)."""
    contacts = Contact.objects.filter(withdrawn_at__isnull=True).exclude(email="")
    if topic_ids:
        chose = Contact.topics.through.objects.values("contact_id")
        wanted = chose.filter(newstopic_id__in=topic_ids)
        contacts = contacts.filter(~Q(pk__in=chose) | Q(pk__in=wanted))
    return contacts
