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
  not "competitive"), and words that name the work rather than describe the person doing
  it ("analysis", "analytics", "activities"), listed in UNRELATED;
- product and technology names ("Active Directory", "SharePoint", "Salesforce",
  "Trustpilot"), and any word written in CamelCase, which is how product names are written;
- names of organisations and set phrases common in UK adverts that say nothing about the
  job ("NHS Trust", "the Trust's values", "Kind regards", "depending on experience"),
  listed in SET_PHRASES and ORGANISATION_NAMES.

A coded word in a job title, or in the name of a team or an organisation, is reported apart
("in a title or name") and not counted toward the verdict: the employer cannot reword a
title without renaming the job. A word is taken to be in one when it is
- on a heading line (see ``text``), such as the advert's title or "Key responsibilities";
- inside a role title from the council's list (``AdvertTerm``, e.g. "team leader",
  "data analyst"), whatever its capitals;
- capitalised where a sentence does not start ("our Senior Data Analyst", "the Corporate
  Leadership Team");
- the capitalised first word of a sentence followed by more capitalised words that make a
  name: three or more, or ending in a word such as Team, Board or Officer ("Leadership Team
  members"; but "Lead Hackney's digital work" is a verb and counts).

Derived words are treated as the word they come from. A whole word (not a stem) matches
its inflections (-s, -es, -ed, -ing, -d after e), its adverb (-ly; gentle, gently; greedy,
greedily), its nouns (-ness, -ity, -y: decisiveness, objectivity, honesty; -nt becomes
-nce: confidence), -ent and -ence after -st (persistent, persistence) and -al, -ally and
-ated (logical, opinionated). Derived words with another meaning are in UNRELATED
("activity", "kindly" as in "kindly send").

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

from .text import Advert

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
    # The work or the discipline, not the person: "analysis of data", "web analytics".
    "analyse", "analyses", "analysed", "analysing", "analysis", "analyze", "analyzes",
    "analyzed", "analyzing", "analytics",
    "activity", "activities", "activate", "activated", "activates", "activating", "activation",
    "individuality",
}  # fmt: skip

# Product and technology names that contain a coded word.
PRODUCT_NAMES = [
    "Active Directory", "Azure Active Directory", "ActiveX", "ActiveMQ", "SharePoint",
    "Salesforce", "Kindle", "Dependabot", "Power Automate", "Trustpilot", "Forcepoint",
]  # fmt: skip

# Set phrases that contain a coded word but say nothing about the job.
SET_PHRASES = [
    "Kind regards", "depending on experience",
    # Confidentiality, not confidence: "grow in confidence" still counts.
    "treated in confidence", "held in confidence", "kept in confidence",
    "handled in confidence", "dealt with in confidence",
]  # fmt: skip

# "Trust" as the name of an organisation (an NHS trust, "the Trust's values"), told apart
# from trust the quality by its capital letter; so matched with case.
ORGANISATION_NAMES = re.compile(
    r"\b(?:NHS|Foundation) Trusts?\b|\bTrust['’]s\b"
    # A capitalised Trust is the organisation ("Base: Trust headquarters"), unless it is
    # the verb starting a sentence ("Trust us to...").
    r"|\bTrust\b(?!\s+(?:us|you|your|our|the|them|me|in|that|people|colleagues)\b)"
)

# Plainer words for the commonest masculine-coded words, by stem.
ALTERNATIVES = {
    "active": _("involved, engaged"),
    "aggress*": _("energetic"),
    "ambitio*": _("motivated, keen to grow"),
    "analy*": _("careful with evidence, good with data"),
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

CAMEL_CASE = re.compile(r"[a-z][A-Z]")


def _inflections(word: str) -> set[str]:
    """The word, its inflections and the words derived from it (see the module's rule)."""
    forms = {word, word + "s", word + "es", word + "ed", word + "ing", word + "ly"}
    forms |= {word + "ness", word + "ity", word + "y", word + "al", word + "ally", word + "ated"}
    if word.endswith("e"):
        stem = word[:-1]
        forms |= {word + "d", stem + "ing", stem + "ity"}
        if word.endswith("le"):
            forms.add(stem + "y")
    if word.endswith("y"):
        forms |= {word[:-1] + "ily", word[:-1] + "iness"}
    if word.endswith("nt"):
        forms |= {word[:-1] + "ce", word[:-1] + "ces"}
    if word.endswith("st"):
        forms |= {word + "ent", word + "ence", word + "ently"}
    if re.fullmatch(r"[^aeiou]?[aeiou][bdgmnpt]", word):
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}  # nag: nagged, nagging
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


# The last word of a name made of capitalised words: "Leadership Team", "Data Analyst".
NAME_ENDINGS = {
    "academy", "agency", "analyst", "analysts", "architect", "authority", "board", "borough",
    "centre", "college", "committee", "consultant", "council", "department", "designer",
    "developer", "director", "directorate", "engineer", "executive", "forum", "group", "head",
    "hub", "lead", "leader", "manager", "network", "office", "officer", "panel", "partnership",
    "programme", "researcher", "scientist", "service", "services", "specialist", "team",
    "trust", "unit",
}  # fmt: skip
# Small words inside a name: "Head of Digital and Data", "Leader of the Council".
NAME_JOINERS = {"of", "and", "for", "the", "&", "in", "on"}
# No name is longer: a run of capitals is looked at no further either way, so a check of
# "Lead Lead Lead ..." stays linear.
MAX_NAME_WORDS = 12


@dataclass
class Match:
    start: int
    end: int
    word: str
    entry: str
    coding: str  # "masculine" or "feminine"
    # The title, name or heading the word stands in; a word in one is not counted.
    name: str = ""


@dataclass
class Result:
    text: str
    # Counted: what the verdict weighs.
    matches: list[Match] = field(default_factory=list)
    # Coded words inside a job title, a name or a heading: shown, not counted.
    in_names: list[Match] = field(default_factory=list)
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

    def alternatives(self) -> list[tuple[str, int, str]]:
        """(word, how often it was counted, plainer words) for each masculine-coded word
        found outside names, whatever its capitals; commonest first."""
        found: dict[str, list[Match]] = {}
        for match in self.masculine:
            if match.entry in ALTERNATIVES:
                found.setdefault(match.word.lower(), []).append(match)
        ordered = sorted(found.items(), key=lambda item: (-len(item[1]), item[0]))
        return [(word, len(ms), ALTERNATIVES[ms[0].entry]) for word, ms in ordered]

    def names(self) -> list[tuple[str, list[str]]]:
        """(title, name or heading, the coded words in it), each title once."""
        found: dict[str, list[str]] = {}
        for match in self.in_names:
            words = found.setdefault(match.name, [])
            if match.word not in words:
                words.append(match.word)
        return list(found.items())

    def highlighted(self):
        """The advert, escaped, with each coded word marked where it stands; words in a
        name are marked as such."""
        parts, position = [], 0
        labels = {
            "masculine": _("masculine-coded"),
            "feminine": _("feminine-coded"),
            "name": _("in a title or name, not counted"),
        }
        for match in sorted([*self.matches, *self.in_names], key=lambda m: m.start):
            kind = "name" if match.name else match.coding
            parts.append(escape(self.text[position : match.start]))
            parts.append(
                format_html(
                    '<mark class="coded coded-{}">{}<span class="coded-tag">{}</span>'
                    '<span class="visually-hidden"> ({})</span></mark>',
                    kind,
                    self.text[match.start : match.end],
                    {"masculine": "M", "feminine": "F", "name": "T"}[kind],
                    labels[kind],
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


def role_title_pattern(titles) -> re.Pattern | None:
    """One pattern for the council's role titles, longest first, any capitals, plural too."""
    if not titles:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})(?:s|es)?\b", re.IGNORECASE | re.ASCII)


def check(text: str, role_titles: re.Pattern | None = None, advert: Advert | None = None) -> Result:
    """Find the gender-coded words in ``text``; ``role_titles`` from ``role_title_pattern``."""
    advert = advert or Advert(text)
    result = Result(text=text)
    masked = [
        (m.start(), m.end())
        for pattern in (_PRODUCTS, ORGANISATION_NAMES)
        for m in pattern.finditer(text)
    ]
    result.ignored = sorted({text[start:end] for start, end in masked})
    titles = list(role_titles.finditer(text)) if role_titles else []
    for index, token in enumerate(advert.words):
        word = token.group()
        if any(start <= token.start() < end for start, end in masked):
            continue
        if CAMEL_CASE.search(word):
            if _match(word, token.start()) and word not in result.ignored:
                result.ignored.append(word)  # a product name with a coded word in it
            continue
        found = []
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
                    found.append(part_match)
                offset += len(part) + 1
        elif match is not None:
            found.append(match)
        for match in found:
            match.name = _name_around(advert, index, titles)
            (result.in_names if match.name else result.matches).append(match)
    return result


def _name_around(advert: Advert, index: int, titles) -> str:
    """The heading, role title or name the word at ``index`` stands in, or ""."""
    token = advert.words[index]
    line = advert.line_at(token.start())
    if line.is_heading:
        return line.text.strip().rstrip(":")
    if name := _capitalised_name(advert, index):
        return name
    for title in titles:
        if title.start() <= token.start() < title.end():
            return title.group()
    return ""


def _capitalised_name(advert: Advert, index: int) -> str:
    """The name of capitalised words the word at ``index`` stands in, or ""."""
    if not advert.words[index].group()[0].isupper():
        return ""
    first, last = _capitalised_run(advert, index)
    words = [w.group() for w in advert.words[first : last + 1]]
    if advert.starts_sentence(first):
        # A capital at the start of a sentence says nothing, unless a name follows.
        capitalised = [w for w in words if w[0].isupper()]
        if len(capitalised) < 2 or (len(capitalised) < 3 and words[-1].lower() not in NAME_ENDINGS):
            return ""
        # A whole line in Title Case ("- Strong Leadership Skills") is a style, not a name,
        # unless it ends as names do ("- Corporate Leadership Team").
        line = advert.line_at(advert.words[index].start())
        ends_line = not advert.text[advert.words[last].end() : line.end].strip(" .;:")
        if ends_line and words[-1].lower() not in NAME_ENDINGS:
            return ""
    name = advert.text[advert.words[first].start() : advert.words[last].end()]
    return re.sub(r"['’]s$", "", " ".join(name.split()))


def _capitalised_run(advert: Advert, index: int) -> tuple[int, int]:
    """The first and last word of the run of capitalised words (joined by spaces and small
    words) that the word at ``index`` stands in."""
    words, text = advert.words, advert.text

    def joined(a: int, b: int) -> bool:
        return text[words[a].end() : words[b].start()] in (" ", "\n", "\r\n")

    def capitalised(i: int) -> bool:
        return words[i].group()[0].isupper()

    first = index
    while (
        first > max(0, index - MAX_NAME_WORDS)
        and joined(first - 1, first)
        and not advert.starts_sentence(first)
    ):
        if capitalised(first - 1):
            first -= 1
        elif (
            words[first - 1].group().lower() in NAME_JOINERS
            and first > 1
            and joined(first - 2, first - 1)
            and capitalised(first - 2)
        ):
            first -= 2
        else:
            break
    last = index
    while last + 1 < min(len(words), index + MAX_NAME_WORDS) and joined(last, last + 1):
        if capitalised(last + 1) and not advert.starts_sentence(last + 1):
            last += 1
        elif (
            words[last + 1].group().lower() in NAME_JOINERS
            and last + 2 < len(words)
            and joined(last + 1, last + 2)
            and capitalised(last + 2)
        ):
            last += 2
        else:
            break
    return first, last


def _match(word: str, start: int) -> Match | None:
    lower = word.lower().replace("’", "'")
    if lower in UNRELATED:
        return None
    for coding, compiled in (("masculine", _MASCULINE), ("feminine", _FEMININE)):
        entry = _entry(lower, compiled)
        if entry:
            return Match(start, start + len(word), word, entry, coding)
    return None
