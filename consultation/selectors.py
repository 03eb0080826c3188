"""Reads of the consultation: lists, answers for review, and the analysis in SQL."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Consultation, Option, Response


def public_consultations() -> tuple[list[Consultation], list[Consultation]]:
    """Open consultations, and closed ones whose findings are published."""
    now = timezone.now()
    consultations = Consultation.objects.filter(
        Q(opens_at__lte=now, closes_at__gt=now) | Q(closes_at__lte=now, findings_published=True)
    ).order_by("closes_at")
    open_now = [c for c in consultations if c.is_open(now)]
    published = [c for c in consultations if not c.is_open(now)]
    return open_now, published


def consultation_with_options(*, slug: str) -> Consultation:
    """A consultation and its answer lists (raises ``Consultation.DoesNotExist``)."""
    return Consultation.objects.prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("kind", "position", "pk"))
    ).get(slug=slug)


def response_by_submission_key(*, consultation: Consultation, key) -> Response | None:
    return Response.objects.filter(consultation=consultation, submission_key=key).first()


@dataclass
class AnswerRow:
    step: str
    question: str
    answer: str | list[str]
    field: str

    @property
    def is_list(self) -> bool:
        return isinstance(self.answer, list)


def check_answer_rows(consultation: Consultation, answers: dict) -> list[AnswerRow]:
    """The draft's answers as the resident would read them, for "check your answers":
    each question with its answer in words and the page to change it on."""
    # The forms read their answer lists through this module: importing them at the top
    # would be a cycle.
    from .forms import STEPS

    rows = []
    for step in STEPS:
        form = step.form_class(consultation=consultation)
        for name, field in form.fields.items():
            if name in ("website", "consent"):
                continue
            value = answers.get(name)
            choices = dict(_flat(getattr(field, "choices", [])))
            if isinstance(value, list):
                answer = [choices.get(v, v) for v in value]
            elif value and choices:
                answer = choices.get(value, value)
            else:
                answer = value or ""
            rows.append(AnswerRow(step.slug, field.label, answer, name))
    return rows


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
