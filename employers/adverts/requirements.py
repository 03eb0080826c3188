"""Requirements that keep people out who could do the job: degrees, years of experience,
long lists of essential criteria, "native speaker" and phrases that speak to age, and
physical demands. Each is reported with why, what to write instead and the source; whether
the job truly needs it is the employer's call, so each is something to review."""

import re

from django.utils.translation import gettext_lazy as _

from . import findings
from .findings import Finding
from .text import Advert, said

NUMBER = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty)"
# More essential criteria than this is a long list.
MAX_ESSENTIAL = 6

DEGREE = re.compile(
    r"\b(?:(?:a|an|relevant|university|bachelor['’]?s|master['’]?s|honours|first|2[:.]1|"
    r"undergraduate|postgraduate)\s+degree\b|degree(?!\s+(?:of|to\s+which))(?:\s+(?:level|in|or))|"
    r"educated to (?:degree|graduate|masters?) level|graduate[- ]level|(?:BSc|MSc|BEng|MEng|PhD|"
    r"MBA)\b)",
    re.IGNORECASE,
)
YEARS = re.compile(
    rf"\b(?:(?:at least|a minimum of|minimum(?: of)?|over|more than)\s+)?{NUMBER}\s*\+?\s*"
    rf"(?:or more\s+)?years?['’]?\s+(?:of\s+)?(?:[\w-]+\s+){{0,4}}?experience"
    rf"|\b{NUMBER}\s*\+\s*years?\b",
    re.IGNORECASE,
)
EXCLUSIONARY = re.compile(
    r"\b(?:native(?:[- ]level)?\s+(?:English\s+)?(?:speakers?|fluency|English)|"
    r"English\s+(?:as\s+(?:a|your)\s+)?(?:first|mother)\s+(?:language|tongue)|"
    r"mother[- ]tongue|first[- ]language\s+English|digital natives?|recent graduates?|"
    r"young\s+(?:and\s+(?:dynamic|energetic|vibrant)|team)|youthful)\b",
    re.IGNORECASE,
)
PHYSICAL = re.compile(
    r"\b(?:(?:lift|carry)(?:ing)?\b[^.\n]{0,50}?\d+\s?kg|heavy\s+lifting|"
    r"climb(?:ing)?\s+(?:stairs|ladders)|walk(?:ing)?\s+(?:long\s+distances|around)|"
    r"stand(?:ing)?\s+for\s+long\s+periods|physically\s+fit|good\s+physical\s+(?:health|"
    r"fitness)|able[- ]bodied|good\s+(?:eyesight|hearing)|"
    r"(?:full|clean|current|valid)\s+(?:UK\s+)?driving\s+licen[cs]e|must\s+(?:be\s+able\s+to\s+)?"
    r"drive|own\s+(?:transport|car|vehicle))\b",
    re.IGNORECASE,
)
ESSENTIAL_HEADING = re.compile(r"\bessential\b", re.IGNORECASE)


def check(advert: Advert) -> list[Finding]:
    """The requirements area of ``advert``'s report."""
    results = []
    text = advert.text
    # "You do not need a degree" asks for none.
    degree = said(advert, DEGREE)
    if degree:
        results.append(
            Finding(
                "degree",
                _("A degree is asked for"),
                _(
                    "Asking for a degree turns away people who learnt the job another way, "
                    "and those less likely to have gone to university; most skills a degree "
                    "is used to stand for can be asked for directly."
                ),
                _(
                    "Say what the person needs to be able to do. If a qualification is truly "
                    "needed, add “or equivalent experience”."
                ),
                findings.DEGREES,
                degree,
            )
        )
    years = [m.group() for m in YEARS.finditer(text)]
    if years:
        results.append(
            Finding(
                "years",
                _("A number of years of experience is asked for"),
                _(
                    "A number of years says little about what someone can do, can be indirect "
                    "age discrimination, and shuts out people returning from a career break, "
                    "more often women."
                ),
                _(
                    "Describe the experience by what the person has done: “experience of "
                    "running a service used by the public”."
                ),
                findings.ACAS_AGE,
                years,
            )
        )
    essential = essential_criteria(advert)
    if len(essential) > MAX_ESSENTIAL:
        results.append(
            Finding(
                "long_essential",
                _("%(n)d essential criteria") % {"n": len(essential)},
                _(
                    "Women more often apply only when they meet every essential criterion; "
                    "a long list turns away people who could do the job."
                ),
                _(
                    "Keep essential criteria to what the job cannot be done without, "
                    "%(most)d or fewer; move the rest to desirable, or to what you will teach."
                )
                % {"most": MAX_ESSENTIAL},
                findings.MOHR,
                essential,
            )
        )
    exclusionary = [m.group() for m in EXCLUSIONARY.finditer(text)]
    if exclusionary:
        results.append(
            Finding(
                "exclusionary",
                _("A phrase that shuts people out by origin or age"),
                _(
                    "“Native speaker” judges where someone grew up, not how well they use the "
                    "language; “digital native”, “recent graduate” and “young team” speak to "
                    "age. Both can be unlawful discrimination."
                ),
                _(
                    "Say the level of English the job needs (“able to write clear reports in "
                    "English”) and the skills, not the age, you are looking for."
                ),
                findings.EHRC_CODE,
                exclusionary,
            )
        )
    physical = [m.group() for m in PHYSICAL.finditer(text)]
    if physical:
        results.append(
            Finding(
                "physical",
                _("A physical requirement"),
                _(
                    "A physical demand the job does not truly need, a driving licence "
                    "included, can exclude disabled people unlawfully."
                ),
                _(
                    "Check the job needs it. Say what the work involves (“travelling between "
                    "council sites across the borough”) and that you make reasonable "
                    "adjustments."
                ),
                findings.EQUALITY_ACT,
                physical,
            )
        )
    return results


def essential_criteria(advert: Advert) -> list[str]:
    """The list items under each heading that names essential criteria (up to the next
    heading), or, with no such heading, the items marked (E) or "essential"."""
    items, under = [], False
    for line in advert.lines:
        if line.is_heading:
            under = (
                bool(ESSENTIAL_HEADING.search(line.text)) and "desirable" not in line.text.lower()
            )
        elif line.is_item and under:
            items.append(line.text.strip())
    if items:
        return items
    return [
        line.text.strip()
        for line in advert.lines
        if line.is_item and re.search(r"\((?:E|essential)\)|\bessential\b", line.text, re.I)
    ]
