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

from common.languages import direction

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
    """How far a consultation's texts are translated into one language, for staff, and
    whether the portal's own words in it are reviewed."""

    language: str
    name: str
    needed: int
    interface_reviewed: bool
    reviewed: int = 0
    draft: int = 0
    out_of_date: int = 0

    @property
    def missing(self) -> int:
        return self.needed - self.reviewed - self.draft - self.out_of_date

    @property
    def direction(self) -> str:
        return direction(self.language)

    @property
    def is_offered(self) -> bool:
        return self.interface_reviewed and self.needed > 0 and self.reviewed == self.needed


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

    @property
    def name(self) -> str:
        """A name for it that stays the same while lists are reordered or added to."""
        return "_".join(str(k) for k in self.key if k is not None)


# What a text's translation is: the one rule every reading of translations follows.
MISSING, DRAFT, REVIEWED, OUT_OF_DATE = "missing", "draft", "reviewed", "out_of_date"


def state(row: Translation | None, english: str) -> str:
    """Whether a text's translation (``row``) is missing, a draft, reviewed, or out of
    date: made from English other than what the English says now. Only a reviewed one
    reaches residents."""
    if row is None:
        return MISSING
    if row.source != english:
        return OUT_OF_DATE
    return REVIEWED if row.status == TranslationStatus.REVIEWED else DRAFT


@dataclass(frozen=True)
class TextRow:
    """A text of a consultation with its translation in one language, for staff."""

    needed: Needed
    translation: Translation | None
    state: str


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


def text_rows(consultation: Consultation, language: str) -> list[TextRow]:
    """Every text of ``consultation`` with its translation into ``language`` and its state
    (3 queries)."""
    found = {_key(row): row for row in _translations(consultation, language)}
    return [
        TextRow(text, found.get(text.key), state(found.get(text.key), text.english))
        for text in needed(consultation)
    ]


def interface_reviewed(language: str) -> bool:
    """Whether a fluent speaker has reviewed the portal's own words in ``language`` (its
    catalogue in locale/), as the council's translators confirm in the setting
    ``INTERFACE_LANGUAGES_REVIEWED``: the questions, and the consent residents give."""
    return language in settings.INTERFACE_LANGUAGES_REVIEWED


def interface_offered() -> list[str]:
    """The languages any resident page may be shown in: English, and each language whose
    catalogue is reviewed (a consultation's own pages also need its texts: ``offered``)."""
    return [
        code
        for code, _name in settings.LANGUAGES
        if code == settings.LANGUAGE_CODE or interface_reviewed(code)
    ]


def coverage(consultation: Consultation) -> list[Coverage]:
    """Each language's progress: texts reviewed, in draft, out of date (the English changed
    since) and missing (3 queries)."""
    wanted = {text.key: text.english for text in needed(consultation)}
    counts = {
        code: Coverage(code, name, needed=len(wanted), interface_reviewed=interface_reviewed(code))
        for code, name in translated_languages()
    }
    for row in _translations(consultation):
        english = wanted.get(_key(row))
        if english is None or row.language not in counts:
            continue  # a retired option or topic, or a language no longer offered
        tally = counts[row.language]
        found = state(row, english)
        setattr(tally, found, getattr(tally, found) + 1)
    return list(counts.values())


def _kept(name: str, consultation: Consultation, compute):
    key = f"consultation-{name}:{consultation.pk}:{consultation.questions_version}"
    return caches["pages"].get_or_set(key, compute, None)


def offered(consultation: Consultation) -> list[str]:
    """The languages residents may answer ``consultation`` in: English, then each language
    whose interface and texts are all reviewed and current, in the portal's order."""
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
        for row in _translations(consultation, language):
            if state(row, wanted.get(_key(row))) != REVIEWED:
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
