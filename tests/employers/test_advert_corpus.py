"""The job advert checker against a corpus of realistic UK public-sector and tech job
adverts, written for this test, each with the findings a person marked by hand
(``advert_corpus/README.md`` gives the format and the rules the marks follow).

Gender-coded words are scored word by word: a hit is right when the checker counts the same
word, at the same place, as the same coding. Precision (of the words counted, how many are
marked) must be at least 0.95 and recall (of the words marked, how many are counted) at
least 0.9; and no word inside a marked job title, name or heading may be counted. The other
areas are scored advert by advert against each one's header (a salary range or not, a
degree asked for or not, ...), and held to the same bars."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from employers import adverts

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).with_name("advert_corpus")
MARK = re.compile(r"\[([mft]):([^\[\]]*)\]")
PRECISION, RECALL = 0.95, 0.9
REQUIREMENTS = {
    "degree": "degree",
    "years": "years",
    "native": "exclusionary",
    "physical": "physical",
    "long_essential": "long_essential",
}
OFFERS = [
    "flexible",
    "part_time",
    "adjustments",
    "disability_confident",
    "apprenticeship",
    "contact",
]


@dataclass
class Advert:
    name: str
    text: str
    labels: dict[str, str]
    coded: set[tuple[int, str]] = field(default_factory=set)
    titles: list[tuple[int, int, str]] = field(default_factory=list)


def read(path: Path) -> Advert:
    header, _, marked = path.read_text(encoding="utf-8").partition("\n\n")
    labels = dict(
        line[1:].strip().split(": ", 1) for line in header.splitlines() if line.startswith("#")
    )
    advert = Advert(path.name, "", labels)
    parts, position = [], 0
    for mark in MARK.finditer(marked):
        parts.append(marked[position : mark.start()])
        start = sum(len(p) for p in parts)
        kind, words = mark.groups()
        if kind == "t":
            advert.titles.append((start, start + len(words), words))
        else:
            advert.coded.add((start, {"m": "masculine", "f": "feminine"}[kind]))
        parts.append(words)
        position = mark.end()
    parts.append(marked[position:])
    advert.text = "".join(parts)
    return advert


def corpus() -> list[Advert]:
    return [read(path) for path in sorted(CORPUS.glob("*.txt"))]


def score(right: int, found: int, expected: int) -> tuple[float, float]:
    return (right / found if found else 1.0), (right / expected if expected else 1.0)


def test_the_corpus_is_big_enough_and_well_formed():
    adverts_ = corpus()
    assert len(adverts_) >= 30
    for advert in adverts_:
        assert not re.search(r"\[[mft]:", advert.text), advert.name  # every mark closed
        assert set(REQUIREMENTS) | set(OFFERS) | {"salary"} <= set(advert.labels), advert.name
        assert advert.labels["salary"] in ("range", "single", "none"), advert.name


def test_gender_coded_words_hold_their_precision_and_recall_and_no_title_is_counted(capsys):
    right = found = expected = 0
    in_titles, misses, extras = [], [], []
    for advert in corpus():
        report = adverts.check(advert.text)
        counted = {(m.start, m.coding) for m in report.gender.matches}
        right += len(counted & advert.coded)
        found += len(counted)
        expected += len(advert.coded)
        extras += [(advert.name, advert.text[s : s + 20]) for s, _ in counted - advert.coded]
        misses += [(advert.name, advert.text[s : s + 20]) for s, _ in advert.coded - counted]
        in_titles += [
            (advert.name, title)
            for m in report.gender.matches
            for start, end, title in advert.titles
            if start <= m.start < end
        ]
    precision, recall = score(right, found, expected)
    with capsys.disabled():
        print(
            f"\nadvert corpus, gender-coded words: {expected} marked, {found} counted, "
            f"{right} right: precision {precision:.3f}, recall {recall:.3f}"
        )
    assert in_titles == []
    assert precision >= PRECISION, extras
    assert recall >= RECALL, misses


def test_requirements_and_offers_hold_the_same_bars(capsys):
    tally: dict[str, list[int]] = {}  # label: [right yes, said yes, marked yes]
    wrong = []
    for advert in corpus():
        report = adverts.check(advert.text)
        said = {
            label: code in {f.code for f in report.requirements}
            for label, code in REQUIREMENTS.items()
        }
        said |= {f.code: f.found for f in report.offers if f.code in OFFERS}
        said["salary range"] = next(f for f in report.offers if f.code == "salary").found
        marked = {label: advert.labels[label] == "yes" for label in [*REQUIREMENTS, *OFFERS]}
        marked["salary range"] = advert.labels["salary"] == "range"
        for label, yes in marked.items():
            counts = tally.setdefault(label, [0, 0, 0])
            counts[0] += yes and said[label]
            counts[1] += said[label]
            counts[2] += yes
            if yes != said[label]:
                wrong.append((advert.name, label, "missed" if yes else "extra"))
    lines = []
    for label, (right, found, expected) in tally.items():
        precision, recall = score(right, found, expected)
        lines.append(f"{label}: precision {precision:.2f}, recall {recall:.2f}")
    right, found, expected = (sum(c[i] for c in tally.values()) for i in range(3))
    precision, recall = score(right, found, expected)
    with capsys.disabled():
        print(f"\nadvert corpus, requirements and offers: {'; '.join(lines)}")
        print(f"all: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= PRECISION, wrong
    assert recall >= RECALL, wrong
