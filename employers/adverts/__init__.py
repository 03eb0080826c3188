"""The job advert checker: a report on a job advert in four areas, each with its own
result (never one score), each finding explained, with what to write instead and its
source.

- ``gender``: gender-coded words (Gaucher, Friesen and Kay 2011), titles and names apart;
- ``plain``: reading age, long sentences, the passive, jargon and acronyms;
- ``requirements``: degrees, years of experience, long essential lists, exclusionary
  phrases, physical demands;
- ``offers``: salary range, flexible and part-time working, adjustments, Disability
  Confident, apprenticeships, a named contact.

The lists the council edits (role titles, jargon, acronyms) are ``AdvertTerm`` rows, read
once a check (``Terms.load``). Nothing checked is stored or logged.
"""

from dataclasses import dataclass, field

from employers.models import AdvertTerm

from . import gender, offers, plain, requirements
from .findings import GAUCHER, Finding
from .text import Advert

MAX_LENGTH = 20000


@dataclass
class Terms:
    """The council's lists, as the checker uses them."""

    role_titles: list[str] = field(default_factory=list)
    jargon: dict[str, str] = field(default_factory=dict)
    acronyms: dict[str, str] = field(default_factory=dict)
    common_acronyms: list[str] = field(default_factory=list)

    @classmethod
    def load(cls) -> "Terms":
        """From the database, in one query."""
        terms = cls()
        kinds = AdvertTerm.Kind
        for kind, term, plain_words in AdvertTerm.objects.values_list("kind", "term", "plain"):
            if kind == kinds.ROLE_TITLE:
                terms.role_titles.append(term)
            elif kind == kinds.JARGON:
                terms.jargon[term] = plain_words
            elif kind == kinds.ACRONYM:
                terms.acronyms[term] = plain_words
            else:
                terms.common_acronyms.append(term)
        return terms


@dataclass
class Report:
    """The four areas' results for one advert."""

    gender: gender.Result
    plain: plain.PlainEnglish
    requirements: list[Finding]
    offers: list[Finding]

    @property
    def offers_made(self) -> int:
        return sum(f.found for f in self.offers)

    def as_dict(self) -> dict:
        """The report as the open API gives it (``opendata.schemas.AdvertReportOut``)."""
        g = self.gender
        return {
            "gender": {
                "verdict": g.verdict,
                "masculine": [m.word for m in g.masculine],
                "feminine": [m.word for m in g.feminine],
                "in_titles_or_names": [{"name": name, "words": words} for name, words in g.names()],
                "alternatives": [
                    {"word": word, "count": count, "instead": str(plainer)}
                    for word, count, plainer in g.alternatives()
                ],
                "source": {"title": str(GAUCHER.title), "url": GAUCHER.url},
            },
            "plain_english": self.plain.as_dict(),
            "requirements": [f.as_dict() for f in self.requirements],
            "offers": [f.as_dict() for f in self.offers],
        }


def check(text: str, terms: Terms | None = None) -> Report:
    """The report on ``text``; ``terms`` default to the council's lists in the database."""
    terms = Terms.load() if terms is None else terms
    advert = Advert(text)
    return Report(
        gender=gender.check(text, gender.role_title_pattern(terms.role_titles), advert),
        plain=plain.check(advert, terms.jargon, terms.acronyms, terms.common_acronyms),
        requirements=requirements.check(advert),
        offers=offers.check(advert),
    )
