"""Which languages a consultation is offered in, and its own texts in each.

The questions, hints, buttons and equality questions are the portal's own words, translated
in its catalogues (``locale/``). A consultation's own texts (title, introduction, privacy
notice, its answer options and the news topics it offers) are written by staff, so staff
translate them too (``Translation``). A language is offered to residents only when every
one of those texts has a reviewed translation of what the English says now; until then the
consultation is in English alone, and staff see what is missing (``coverage``).

Both answers are kept per process under the questionnaire's ``questions_version``, which
every change to those texts or their translations moves on (``signals``).
"""

import copy
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import get_language

from .models import (
    WHOLE_PARTS,
    Consultation,
    NewsTopic,
    TextPart,
    Translation,
    TranslationStatus,
    translated_languages,
)


@dataclass(frozen=True)
class Texts:
    """A consultation's own texts in one language: only reviewed, current translations."""

    language: str
    whole: dict[str, str] = field(default_factory=dict)
    options: dict[int, str] = field(default_factory=dict)
    topics: dict[int, str] = field(default_factory=dict)

    def option(self, pk: int, english: str) -> str:
        return self.options.get(pk, english)

    def topic(self, pk: int, english: str) -> str:
        return self.topics.get(pk, english)


ENGLISH = Texts(settings.LANGUAGE_CODE)


@dataclass
class Coverage:
    """How far a consultation's texts are translated into one language, for staff."""

    language: str
    name: str
    needed: int
    reviewed: int = 0
    draft: int = 0
    out_of_date: int = 0

    @property
    def missing(self) -> int:
        return self.needed - self.reviewed - self.draft - self.out_of_date

    @property
    def is_offered(self) -> bool:
        return self.needed > 0 and self.reviewed == self.needed


@dataclass(frozen=True)
class Needed:
    """One text a language needs: its part, what it belongs to, and its English."""

    part: str
    english: str
    option_id: int | None = None
    topic_id: int | None = None

    @property
    def key(self) -> tuple:
        return (self.part, self.option_id, self.topic_id)


def needed(consultation: Consultation) -> list[Needed]:
    """Every text of ``consultation`` a resident reads, in the order staff see them: its
    own texts, then its offered answer options, then the news topics offered (2 queries)."""
    texts = [Needed(part, getattr(consultation, part)) for part in WHOLE_PARTS]
    options = consultation.options.filter(is_active=True).order_by("kind", "position", "pk")
    texts += [Needed(TextPart.OPTION, o.label, option_id=o.pk) for o in options]
    topics = NewsTopic.objects.filter(is_active=True)
    texts += [Needed(TextPart.TOPIC, t.name, topic_id=t.pk) for t in topics]
    return texts


def _key(translation: Translation) -> tuple:
    return (translation.part, translation.option_id, translation.topic_id)


def _translations(consultation: Consultation, language: str | None = None):
    rows = Translation.objects.filter(consultation=consultation)
    if language is not None:
        rows = rows.filter(language=language)
    return rows


def coverage(consultation: Consultation) -> list[Coverage]:
    """Each language's progress: texts reviewed, in draft, out of date (the English changed
    since) and missing (3 queries)."""
    wanted = {text.key: text.english for text in needed(consultation)}
    counts = {
        code: Coverage(code, name, needed=len(wanted)) for code, name in translated_languages()
    }
    for row in _translations(consultation):
        english = wanted.get(_key(row))
        if english is None or row.language not in counts:
            continue  # a retired option or topic, or a language no longer offered
        tally = counts[row.language]
        if row.source != english:
            tally.out_of_date += 1
        elif row.status == TranslationStatus.REVIEWED:
            tally.reviewed += 1
        else:
            tally.draft += 1
    return list(counts.values())


def _kept(name: str, consultation: Consultation, compute):
    key = f"consultation-{name}:{consultation.pk}:{consultation.questions_version}"
    return caches["pages"].get_or_set(key, compute, None)


def offered(consultation: Consultation) -> list[str]:
    """The languages residents may answer ``consultation`` in: English, then each language
    all of whose texts are reviewed and current, in the portal's order."""
    return _kept(
        "languages",
        consultation,
        lambda: [
            settings.LANGUAGE_CODE,
            *(c.language for c in coverage(consultation) if c.is_offered),
        ],
    )


def texts(consultation: Consultation, language: str) -> Texts:
    """``consultation``'s own texts in ``language``: the reviewed, current translations
    (none for English, or for a language not offered)."""
    if language == settings.LANGUAGE_CODE or language not in offered(consultation):
        return ENGLISH

    def read() -> Texts:
        wanted = {text.key: text.english for text in needed(consultation)}
        found = Texts(language)
        for row in _translations(consultation, language).filter(status=TranslationStatus.REVIEWED):
            if wanted.get(_key(row)) != row.source:
                continue
            if row.part == TextPart.OPTION:
                found.options[row.option_id] = row.text
            elif row.part == TextPart.TOPIC:
                found.topics[row.topic_id] = row.text
            else:
                found.whole[row.part] = row.text
        return found

    return _kept(f"texts-{language}", consultation, read)


def as_read(consultation: Consultation, language: str | None = None) -> Consultation:
    """``consultation`` as a resident reads it in ``language`` (the active one by default):
    a copy carrying its texts in that language (English where it is not offered in it),
    those texts as ``texts`` and their language as ``read_in``. Only for showing: the copy
    is never saved."""
    language = language or get_language()
    found = texts(consultation, language)
    shown = copy.copy(consultation)
    for part, text in found.whole.items():
        setattr(shown, part, text)
    shown.texts = found
    # The language its texts are in: the one asked for, or English where it is not offered.
    shown.read_in = found.language
    return shown
