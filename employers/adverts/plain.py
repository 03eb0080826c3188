"""Plain English: how easy the advert is to read.

- **Reading age**: the Flesch–Kincaid grade level (Kincaid and others, 1975), computed by
  the textstat library (syllables from the CMU Pronouncing Dictionary), plus five: a US
  school grade is the UK reading age less five years. GOV.UK writes for a reading age of
  nine; an advert above ``READING_AGE_AIM`` is reported. Under ``MIN_WORDS`` words the
  formula says little, and no age is given.
- **Long sentences**: more than ``LONG_SENTENCE`` words (GOV.UK's limit).
- **Passive voice**: a form of "be" followed by a past participle ("applications will be
  assessed"), bar the participles adverts use as adjectives ("based", "interested").
- **Jargon** and **acronyms**: from the council's lists (``AdvertTerm``). An acronym is
  explained where the advert writes it in full with the acronym in brackets, or the other
  way round, anywhere in the text; acronyms everyone knows are never asked to be spelt out.
"""

import re
from dataclasses import dataclass, field

import textstat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import findings
from .findings import Finding
from .text import Advert

READING_AGE_OFFSET = 5
READING_AGE_AIM = 14
MIN_WORDS = 30
LONG_SENTENCE = 25
PASSIVE = re.compile(
    r"\b(?:am|is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?"
    r"(\w+ed|known|given|taken|made|seen|done|paid|held|shown|written|chosen|sent|kept|met)\b",
    re.IGNORECASE,
)
# Participles adverts use as adjectives: "you are interested", "the role is based".
NOT_PASSIVE = {
    "based", "interested", "located", "involved", "committed", "qualified", "experienced",
    "skilled", "talented", "motivated", "dedicated", "detailed", "organised", "organized",
    "excited", "pleased", "delighted", "focused", "focussed", "used", "tired", "supposed",
    "aged", "need", "red", "bed", "shed", "feed", "speed", "seed", "proceed", "succeed",
    "exceed", "embed", "hybrid", "limited", "valued", "varied", "advanced",
}  # fmt: skip
ACRONYM = re.compile(r"\b[A-Z][A-Za-z0-9+]{1,7}\b")


@dataclass
class PlainEnglish:
    words: int = 0
    reading_age: float | None = None
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "words": self.words,
            "reading_age": self.reading_age,
            "reading_age_aim": READING_AGE_AIM,
            "findings": [f.as_dict() for f in self.findings],
        }


def check(
    advert: Advert, jargon: dict[str, str], acronyms: dict[str, str], common: list[str]
) -> PlainEnglish:
    """The plain English area of ``advert``'s report."""
    # A list item without a full stop is still a sentence of its own to the formula.
    prose = " ".join(
        s.text if s.text.endswith((".", "!", "?")) else f"{s.text}." for s in advert.sentences
    )
    result = PlainEnglish(words=len(advert.words))
    if result.words >= MIN_WORDS:
        grade = textstat.flesch_kincaid_grade(prose)
        result.reading_age = round(max(grade, 0) + READING_AGE_OFFSET, 1)
        if result.reading_age > READING_AGE_AIM:
            result.findings.append(
                Finding(
                    "reading_age",
                    _("Reading age about %(age)d") % {"age": round(result.reading_age)},
                    _(
                        "The harder an advert is to read, the fewer people finish it, and the "
                        "more it favours those who read long documents every day. GOV.UK "
                        "writes for a reading age of 9."
                    ),
                    _(
                        "Use shorter sentences and everyday words: aim for a reading age of "
                        "%(aim)d or under."
                    )
                    % {"aim": READING_AGE_AIM},
                    findings.FLESCH_KINCAID,
                )
            )
    long = [s.text for s in advert.sentences if s.word_count > LONG_SENTENCE]
    if long:
        result.findings.append(
            Finding(
                "long_sentences",
                ngettext(
                    "%(n)d sentence is longer than %(limit)d words",
                    "%(n)d sentences are longer than %(limit)d words",
                    len(long),
                )
                % {"n": len(long), "limit": LONG_SENTENCE},
                _("Long sentences are hard to follow, on a phone and with a screen reader most."),
                _("Split each into two or three sentences, one idea in each."),
                findings.GOV_UK_WRITING,
                long,
            )
        )
    passive = [
        m.group()
        for s in advert.sentences
        for m in PASSIVE.finditer(s.text)
        if m.group(1).lower() not in NOT_PASSIVE
    ]
    if passive:
        result.findings.append(
            Finding(
                "passive",
                ngettext(
                    "%(n)d verb in the passive voice",
                    "%(n)d verbs in the passive voice",
                    len(passive),
                )
                % {"n": len(passive)},
                _("The passive hides who does what: the reader cannot tell who will act."),
                _(
                    "Say who does it: “applications will be assessed” becomes “a panel of "
                    "three will read your application”."
                ),
                findings.PLAIN_ENGLISH,
                passive,
            )
        )
    result.findings += _jargon(advert, jargon) + _acronyms(advert, acronyms, common)
    return result


def warm_up() -> None:
    """Load what the reading age needs (textstat's pronouncing dictionary) now, once."""
    textstat.syllable_count("Warm up")


def _jargon(advert: Advert, jargon: dict[str, str]) -> list[Finding]:
    if not jargon:
        return []
    pattern = re.compile(
        r"\b(?:"
        + "|".join(re.escape(t) for t in sorted(jargon, key=len, reverse=True))
        + r")(?:s|d)?\b",
        # ASCII: "ſtakeholders" (a long s) is not the listed word in other capitals.
        re.IGNORECASE | re.ASCII,
    )
    lower = {term.lower(): plain for term, plain in jargon.items()}
    found: dict[str, list[str]] = {}
    for match in pattern.finditer(advert.text):
        word = match.group()
        term = word.lower() if word.lower() in lower else word.lower()[:-1]
        if term in lower:
            found.setdefault(term, []).append(word)
    return [
        Finding(
            "jargon",
            _("Jargon: “%(term)s”") % {"term": term},
            _(
                "Jargon shuts out people new to the sector, or to the country, who could do "
                "the job."
            ),
            _("Try: %(plain)s") % {"plain": lower[term]},
            findings.GOV_UK_WORDS_TO_AVOID,
            words,
        )
        for term, words in found.items()
    ]


def _acronyms(advert: Advert, acronyms: dict[str, str], common) -> list[Finding]:
    known = {a.lower() for a in common}
    expansions = {a.lower(): full for a, full in acronyms.items()}
    seen: dict[str, str] = {}
    for match in ACRONYM.finditer(advert.text):
        word = match.group()
        upper = sum(c.isupper() or c.isdigit() for c in word)
        if upper < 2 or upper < 0.6 * len(word) or advert.line_at(match.start()).is_heading:
            continue
        key = word[:-1] if word.endswith("s") and word[:-1].lower() in expansions else word
        if key.lower() in known or key in seen or _explained(advert.text, key):
            continue
        seen[key] = expansions.get(key.lower(), "")
    return [
        Finding(
            "acronym",
            _("Acronym not explained: %(acronym)s") % {"acronym": acronym},
            _("Not everyone who could do the job knows what it stands for."),
            _("Write it in full the first time: %(full)s (%(acronym)s).")
            % {"full": full, "acronym": acronym}
            if full
            else _("Write it in full the first time, with the acronym in brackets after it."),
            findings.PLAIN_ENGLISH,
            [acronym],
        )
        for acronym, full in seen.items()
    ]


def _explained(text: str, acronym: str) -> bool:
    """Whether the advert spells the acronym out: "Full Name (ACR)" or "ACR (full name)"."""
    escaped = re.escape(acronym)
    return bool(re.search(rf"\({escaped}s?\)|\b{escaped}s?\s+\([a-z]", text, re.IGNORECASE))
