"""The shape of a job advert: its lines, which of them are headings or list items, its
sentences, and its words with where each sentence starts. Every area of the check reads
the advert through this, so a heading is a heading to all of them.

A heading is a line that is not a list item, has at most eight words, does not end as a
sentence does (. ! ? , ;) nor holds a colon before its end ("Salary: competitive" is a label
and its value), is not followed by a line starting with a small letter (a sentence wrapped
where the writer pressed return), holds no comma unless it is in Title Case or ends with a
colon ("Join our ambitious, fast-growing team" is a tagline), and is the first line, follows
a blank line, ends with a colon, has every word capitalised or comes straight before a list
item. A list item starts with a bullet (- * • and the like) or a number or letter followed
by . or ).
"""

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
BULLET = re.compile(r"[-*•‣◦▪–]\s+|(?:\d{1,2}|[a-z])[.)]\s+")
# Where a sentence ends inside a line: . ! or ? then a space and a capital, digit or
# opening quote, but not after the abbreviations adverts use.
SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z0-9\"“‘(£])")
ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "approx.", "incl.", "no.", "dr.", "mr.", "mrs.", "ms.")
MAX_HEADING_WORDS = 8
# A negation shortly before a phrase, or just after it, in the same clause, takes it back:
# "not suitable for job share", "hybrid working is not available".
NEGATED_BEFORE = re.compile(
    r"\b(?:not|no|cannot|can't|can’t|don't|don’t|doesn't|doesn’t|won't|won’t|unable|isn't|"
    r"isn’t|aren't|aren’t)\b[^.;:,!?\n]{0,40}$",
    re.IGNORECASE,
)
NEGATED_AFTER = re.compile(
    r"[^.;:,!?\n]{0,25}?\b(?:is|are)\s{1,3}not\b|[^.;:,!?\n]{0,25}?\b(?:isn't|isn’t|aren't|"
    r"aren’t|not\s{1,3}(?:available|possible|offered|suitable))\b",
    re.IGNORECASE,
)
SMALL_WORDS = {"a", "an", "and", "as", "at", "for", "in", "of", "on", "or", "the", "to", "with"}


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str
    is_heading: bool
    is_item: bool


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str

    @property
    def word_count(self) -> int:
        return len(WORD.findall(self.text)) + len(re.findall(r"\b\d[\d,.]*\b", self.text))


def _is_title_case(words: list[str]) -> bool:
    significant = [w for w in words if w.lower() not in SMALL_WORDS]
    return bool(significant) and all(w[0].isupper() for w in significant)


class Advert:
    """A job advert's text, read once into lines, sentences and words."""

    def __init__(self, text: str):
        self.text = text
        self.lines = self._read_lines()
        self._line_starts = [line.start for line in self.lines]

    def _read_lines(self) -> list[Line]:
        raws = self.text.splitlines(keepends=True)
        lines, position, previous_blank = [], 0, True
        for number, raw in enumerate(raws):
            content = raw.rstrip("\r\n")
            stripped = content.strip()
            words = WORD.findall(stripped)
            is_item = bool(BULLET.match(stripped))
            following = raws[number + 1].lstrip() if number + 1 < len(raws) else ""
            title_case = _is_title_case(words)
            is_heading = (
                bool(words)
                and not is_item
                and len(words) <= MAX_HEADING_WORDS
                and not stripped.endswith((".", "!", "?", ",", ";"))
                # "Salary: competitive" is a label and its value, not a heading.
                and ":" not in stripped[:-1]
                # A sentence wrapped onto the next line goes on in small letters.
                and not following[:1].islower()
                # "Join our ambitious, fast-growing team" is a tagline.
                and ("," not in stripped or title_case or stripped.endswith(":"))
                and (
                    previous_blank
                    or stripped.endswith(":")
                    or title_case
                    or bool(BULLET.match(following))  # a list follows its heading
                )
            )
            lines.append(Line(position, position + len(content), content, is_heading, is_item))
            previous_blank = not stripped
            position += len(raw)
        return lines

    def line_at(self, position: int) -> Line:
        return self.lines[bisect.bisect_right(self._line_starts, position) - 1]

    @cached_property
    def words(self) -> list[re.Match]:
        return list(WORD.finditer(self.text))

    def starts_sentence(self, index: int) -> bool:
        """Whether the word at ``index`` of ``words`` begins a sentence, a line or a list
        item (where a capital letter says nothing about it being a name)."""
        if index == 0:
            return True
        previous, word = self.words[index - 1], self.words[index]
        gap = self.text[previous.end() : word.start()]
        if any(mark in gap for mark in ".!?:•"):
            return True
        if "\n" not in gap:
            return False
        # A new line starts a sentence after a blank line, a heading or a list item; other
        # lines go on with the paragraph, wrapped where the writer pressed return.
        line, before = self.line_at(word.start()), self.line_at(previous.start())
        return gap.count("\n") > 1 or any(
            (line.is_item, line.is_heading, before.is_item, before.is_heading)
        )

    @cached_property
    def sentences(self) -> list[Sentence]:
        """The sentences of every line that is not a heading (a list item is a sentence)."""
        found = []
        for line in self.lines:
            if line.is_heading or not line.text.strip():
                continue
            start = line.start
            for cut in SENTENCE_BREAK.finditer(line.text):
                before = line.text[: cut.start()].lower()
                if before.endswith(ABBREVIATIONS):
                    continue
                found.append(self._sentence(start, line.start + cut.start()))
                start = line.start + cut.end()
            found.append(self._sentence(start, line.end))
        return [s for s in found if s.text]

    def _sentence(self, start: int, end: int) -> Sentence:
        text = self.text[start:end]
        lead = len(text) - len(text.lstrip())
        marker = BULLET.match(text.lstrip())
        lead += marker.end() if marker else 0
        return Sentence(start + lead, end, text[lead:].strip())


def said(advert: Advert, pattern: re.Pattern) -> list[str]:
    """What matches ``pattern`` in the advert, bar what a negation in the same clause takes
    back ("not suitable for job share", "you do not need a degree", "hybrid working is not
    available")."""
    found = []
    for match in pattern.finditer(advert.text):
        line = advert.line_at(match.start())
        before = advert.text[max(line.start, match.start() - 60) : match.start()]
        if not NEGATED_BEFORE.search(before) and not NEGATED_AFTER.match(
            advert.text, match.end(), line.end
        ):
            found.append(match.group().strip())
    return found
