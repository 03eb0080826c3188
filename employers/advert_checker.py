"""The job advert checker: gender-coded words in a job advert, after Gaucher, Friesen and
Kay (2011), "Evidence that gendered wording in job advertisements exists and sustains gender
inequality", Journal of Personality and Social Psychology 101(1), 109-128, Appendix A.

The research lists words in two forms. A stem (written there with an asterisk, here with a
trailing "*") matches any word beginning with it: "compet*" finds "competitive" and
"competition". A whole word matches itself and its inflections ("decide", "decides",
"decided", "deciding").

Plain prefix matching, as simple checkers do it, gets some words wrong, and this checker
avoids them:
- a stem inside another word: only whole words are looked at, so "manager" does not
  contain "nag" and "workforce" does not contain "force";
- words that begin with a stem but mean something unrelated ("committee" is not
  "commitment", "tender" in procurement is not "tenderness", a "competency" framework is
  not "competitive"), listed in UNRELATED;
- product and technology names ("Active Directory", "SharePoint", "Salesforce",
  "Trustpilot"), and any word written in CamelCase, which is how product names are written;
- names of organisations and set phrases common in UK adverts that say nothing about the
  job ("NHS Trust", "the Trust's values", "Kind regards", "depending on experience"),
  listed in SET_PHRASES and ORGANISATION_NAMES.

Hyphens are spelt both ways in adverts ("co-operative", "inter-personal"), so a hyphenated
word that is not in a list itself is also looked up with its hyphens removed, then part by
part ("team-leading").

Nothing pasted is stored or logged: the text lives only in the request that checks it.
"""

import re
from dataclasses import dataclass, field, replace

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

MASCULINE = [
    "active", "adventurous", "aggress*", "ambitio*", "analy*", "assert*", "athlet*",
    "autonom*", "boast*", "challeng*", "compet*", "confident", "courag*", "decide",
    "decisive", "decision*", "determin*", "dominant", "domina*", "force*", "greedy",
    "headstrong", "hierarch*", "hostil*", "impulsive", "independen*", "individual*",
    "intellect*", "lead*", "logic", "masculine", "objective", "opinion", "outspoken",
    "persist", "principle*", "reckless", "stubborn", "superior", "self-confiden*",
    "self-relian*", "self-sufficien*",
]  # fmt: skip

FEMININE = [
    "affectionate", "child*", "cheer*", "commit*", "communal", "compassion*", "connect*",
    "considerate", "cooperat*", "depend*", "emotiona*", "empath*", "feminine",
    "flatterable", "gentle", "honest", "interpersonal", "interdependen*", "interpersona*",
    "kind", "kinship", "loyal*", "modesty", "nag", "nurtur*", "pleasant*", "polite",
    "quiet*", "respon*", "sensitiv*", "submissive", "support*", "sympath*", "tender*",
    "together*", "trust*", "understand*", "warm*", "whin*", "yield*",
]  # fmt: skip

# Words that begin with a stem, or inflect a listed word, but mean something else.
UNRELATED = {
    "committee", "committees",
    "tender", "tenders", "tendered", "tendering",
    "competence", "competences", "competency", "competencies", "competent", "competently",
    "dependency", "dependencies",
    "kinds",
    "objectives",
    "kindly",
    "trustee", "trustees",
    "leaflet", "leaflets",
}  # fmt: skip

# Product and technology names that contain a coded word.
PRODUCT_NAMES = [
    "Active Directory", "Azure Active Directory", "ActiveX", "ActiveMQ", "SharePoint",
    "Salesforce", "Kindle", "Dependabot", "Power Automate", "Trustpilot", "Forcepoint",
]  # fmt: skip

# Set phrases that contain a coded word but say nothing about the job.
SET_PHRASES = ["Kind regards", "depending on experience"]

# "Trust" as the name of an organisation (an NHS trust, "the Trust's values"), told apart
# from trust the quality by its capital letter; so matched with case.
ORGANISATION_NAMES = re.compile(r"\b(?:NHS|Foundation) Trusts?\b|\bTrust['’]s\b")

# Plainer words for the commonest masculine-coded words, by stem.
ALTERNATIVES = {
    "active": _("involved, engaged"),
    "aggress*": _("energetic"),
    "ambitio*": _("motivated, keen to grow"),
    "analy*": _("look into, examine, make sense of"),
    "assert*": _("clear, direct"),
    "autonom*": _("able to work with little supervision"),
    "challeng*": _("stretching, interesting"),
    "compet*": _("high-quality; for pay, state the salary range"),
    "confident": _("comfortable, sure"),
    "decide": _("choose, settle on"),
    "decisive": _("able to make sound judgements"),
    "decision*": _("judgement, choice"),
    "determin*": _("dedicated, keen"),
    "domina*": _("well established, leading the field"),
    "force*": _("make happen, bring about"),
    "independen*": _("able to work on your own"),
    "individual*": _("person, people"),
    "intellect*": _("thoughtful, curious"),
    "lead*": _("guide, coordinate, bring together"),
    "logic": _("clear thinking, reasoning"),
    "objective": _("fair, impartial"),
    "persist": _("keep going, follow through"),
    "principle*": _("values"),
    "self-confiden*": _("comfortable working on your own"),
    "self-relian*": _("comfortable working on your own"),
    "superior": _("excellent"),
}

MAX_LENGTH = 20000

WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
CAMEL_CASE = re.compile(r"[a-z][A-Z]")


def _inflections(word: str) -> set[str]:
    forms = {word, word + "s", word + "es", word + "ed", word + "ing", word + "ly"}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    return forms


def _compile(entries):
    stems = tuple(e[:-1] for e in entries if e.endswith("*"))
    whole = {form: e for e in entries if not e.endswith("*") for form in _inflections(e)}
    return stems, whole, {e[:-1]: e for e in entries if e.endswith("*")}


_MASCULINE = _compile(MASCULINE)
_FEMININE = _compile(FEMININE)
_PRODUCTS = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(name) for name in sorted([*PRODUCT_NAMES, *SET_PHRASES], key=len, reverse=True)
    )
    + r")\b",
    re.IGNORECASE,
)


def _entry(token: str, compiled) -> str | None:
    """The list entry ``token`` matches, if any."""
    stems, whole, stem_entries = compiled
    if token in whole:
        return whole[token]
    for stem in stems:
        if token.startswith(stem):
            return stem_entries[stem]
    return None


@dataclass
class Match:
    start: int
    end: int
    word: str
    entry: str
    coding: str  # "masculine" or "feminine"


@dataclass
class Result:
    text: str
    matches: list[Match] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def masculine(self) -> list[Match]:
        return [m for m in self.matches if m.coding == "masculine"]

    @property
    def feminine(self) -> list[Match]:
        return [m for m in self.matches if m.coding == "feminine"]

    @property
    def verdict(self) -> str:
        """One of the five verdicts; see ``verdict_for``."""
        return verdict_for(len(self.masculine), len(self.feminine))

    def alternatives(self) -> list[tuple[str, list[str], str]]:
        """(entry, the words found for it, plainer words) for masculine-coded words found,
        commonest first."""
        found: dict[str, list[str]] = {}
        for match in self.masculine:
            if match.entry in ALTERNATIVES:
                found.setdefault(match.entry, []).append(match.word)
        ordered = sorted(found.items(), key=lambda item: -len(item[1]))
        return [(entry, sorted(set(words)), ALTERNATIVES[entry]) for entry, words in ordered]

    def highlighted(self):
        """The advert, escaped, with each coded word marked where it stands."""
        parts, position = [], 0
        labels = {"masculine": _("masculine-coded"), "feminine": _("feminine-coded")}
        for match in self.matches:
            parts.append(escape(self.text[position : match.start]))
            parts.append(
                format_html(
                    '<mark class="coded coded-{}">{}<span class="coded-tag">{}</span>'
                    '<span class="visually-hidden"> ({})</span></mark>',
                    match.coding,
                    self.text[match.start : match.end],
                    "M" if match.coding == "masculine" else "F",
                    labels[match.coding],
                )
            )
            position = match.end
        parts.append(escape(self.text[position:]))
        return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part is escaped


STRONG_RATIO = 2
STRONG_DIFFERENCE = 3


def verdict_for(masculine: int, feminine: int) -> str:
    """Neutral when the counts are equal (none at all included). Otherwise the side with
    more words wins: strongly when it has at least twice as many and at least 3 more,
    slightly when not."""
    if masculine == feminine:
        return "neutral"
    side = "masculine" if masculine > feminine else "feminine"
    more, fewer = max(masculine, feminine), min(masculine, feminine)
    strength = (
        "strongly"
        if more >= STRONG_RATIO * fewer and more - fewer >= STRONG_DIFFERENCE
        else "slightly"
    )
    return f"{strength}_{side}"


def check(text: str) -> Result:
    """Find the gender-coded words in ``text``."""
    result = Result(text=text)
    masked = [
        (m.start(), m.end())
        for pattern in (_PRODUCTS, ORGANISATION_NAMES)
        for m in pattern.finditer(text)
    ]
    result.ignored = sorted({text[start:end] for start, end in masked})
    for token in WORD.finditer(text):
        word = token.group()
        if any(start <= token.start() < end for start, end in masked):
            continue
        if CAMEL_CASE.search(word):
            result.ignored.append(word)
            continue
        match = _match(word, token.start())
        if match is None and "-" in word:
            match = _match(word.replace("-", ""), token.start())
            if match is not None:
                match = replace(match, end=token.end(), word=word)
        if match is None and "-" in word:
            # "team-leading": look at each part of a hyphenated word on its own.
            offset = token.start()
            for part in word.split("-"):
                if part_match := _match(part, offset):
                    result.matches.append(part_match)
                offset += len(part) + 1
        elif match is not None:
            result.matches.append(match)
    return result


def _match(word: str, start: int) -> Match | None:
    lower = word.lower().replace("’", "'")
    if lower in UNRELATED:
        return None
    for coding, compiled in (("masculine", _MASCULINE), ("feminine", _FEMININE)):
        entry = _entry(lower, compiled)
        if entry:
            return Match(start, start + len(word), word, entry, coding)
    return None
