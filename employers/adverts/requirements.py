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

# Whitespace is matched a few characters at most ({1,3}): an advert of nothing but spaces
# must not make a pattern try every way to split them.
DEGREE = re.compile(
    r"\b(?:(?:(?:a|an|relevant|university|bachelor['’]?s|master['’]?s|honours|first|2[:.]1|"
    r"undergraduate|postgraduate)\s{1,3})?degree\b(?!\s{1,3}(?:of|to\s{1,3}which)\b)"
    r"(?:\s{1,3}level)?|educated\s{1,3}to\s{1,3}(?:degree|graduate|masters?)\s{1,3}level|"
    r"graduate[- ]level|(?:BSc|MSc|BEng|MEng|PhD|MBA)\b)",
    re.IGNORECASE,
)
YEARS = re.compile(
    rf"\b(?:(?:at\s{{1,3}}least|a\s{{1,3}}minimum\s{{1,3}}of|minimum(?:\s{{1,3}}of)?|over|"
    rf"more\s{{1,3}}than)\s{{1,3}})?{NUMBER}\s{{0,3}}\+?\s{{0,3}}(?:or\s{{1,3}}more\s{{1,3}})?"
    rf"years?['’]?\s{{1,3}}(?:of\s{{1,3}})?(?:[\w-]+\s{{1,3}}){{0,4}}?experience"
    rf"|\b{NUMBER}\s{{0,3}}\+\s{{0,3}}years?\b",
    re.IGNORECASE,
)
# "We have over 25 years' experience of supporting families": the employer, not a demand.
ABOUT_THE_EMPLOYER = re.compile(r"\b(?:we|we've|we’ve|our)\b[^.;:!?\n]{0,40}$", re.IGNORECASE)
EXCLUSIONARY = re.compile(
    r"\b(?:native(?:[- ]level)?\s{1,3}(?:English\s{1,3})?(?:speakers?|fluency|English)|"
    r"English\s{1,3}(?:as\s{1,3}(?:a|your)\s{1,3})?(?:first|mother)\s{1,3}(?:language|tongue)|"
    r"mother[- ]tongue|first[- ]language\s{1,3}English|digital\s{1,3}natives?|"
    r"recent\s{1,3}graduates?|young\s{1,3}(?:and\s{1,3}(?:dynamic|energetic|vibrant)|team)|"
    r"youthful)\b",
    re.IGNORECASE,
)
PHYSICAL = re.compile(
    r"\b(?:(?:lift|carry)(?:ing)?\b[^.\n]{0,50}?\d+ ?kg|heavy\s{1,3}lifting|"
    r"climb(?:ing)?\s{1,3}(?:stairs|ladders)|walk(?:ing)?\s{1,3}(?:long\s{1,3}distances|around)|"
    r"stand(?:ing)?\s{1,3}for\s{1,3}long\s{1,3}periods|physically\s{1,3}fit|good\s{1,3}physical"
    r"\s{1,3}(?:health|fitness)|able[- ]bodied|good\s{1,3}(?:eyesight|hearing)|"
    r"(?:full|clean|current|valid)\s{1,3}(?:UK\s{1,3})?driving\s{1,3}licen[cs]e|"
    r"must\s{1,3}(?:be\s{1,3}able\s{1,3}to\s{1,3})?drive|own\s{1,3}(?:transport|car|vehicle))\b",
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
    years = [
        m.group()
        for m in YEARS.finditer(text)
        if not ABOUT_THE_EMPLOYER.search(text[max(0, m.start() - 60) : m.start()])
    ]
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
