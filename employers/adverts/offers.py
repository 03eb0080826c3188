"""Transparency and offers: what the advert tells people before they apply. Each is
either found (with the words that show it) or missing (with why it matters, what to add and
the source): the salary range, flexible working, part-time or job-share working,
reasonable adjustments, the Disability Confident scheme, an apprenticeship route and a
named person to ask.

A sentence that names an offer to say it is not made ("not suitable for job share") does
not count as making it (``text.said``)."""

import re

from django.utils.translation import gettext_lazy as _

from . import findings
from .findings import Finding
from .text import Advert, said

# Whitespace is matched a few characters at most ({0,3}), never "any amount": an advert of
# nothing but spaces must not make a pattern try every way to split them.
POUNDS = r"£ ?\d[\d,]*(?:\.\d+)? ?[kK]?"
SALARY_RANGE = re.compile(
    rf"({POUNDS})\s{{0,3}}(?:-|–|—|to|and)\s{{0,3}}(?:£ ?)?\d[\d,]*(?:\.\d+)? ?[kK]?"
)
SALARY = re.compile(rf"{POUNDS}(?:\s{{0,3}}(?:per|an|a)\s{{1,3}}(?:hour|annum|year))?")
HOURLY = re.compile(r"per hour|an hour|a hour|hourly|/\s?h(?:ou)?r", re.IGNORECASE)
PERSON = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)? [A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?"
ASK = re.compile(
    rf"\b(?:[Cc]ontact|[Ss]peak (?:to|with)|[Tt]alk to|[Cc]hat with|[Cc]all|[Rr]ing|[Ee]mail)"
    rf" (?:our [\w ]{{1,30}}?, )?({PERSON})"
)
EMAIL_OR_PHONE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}\b")
# How far before an address a name may stand: "Priya Shah (Head of Data) at priya@...".
NAME_BEFORE_ADDRESS = 80
# Capitalised pairs that are not people, or are followed by a word that makes them a place
# or an organisation: "Hackney Council", "Tower Hamlets Council", "Human Resources".
NOT_PEOPLE = re.compile(
    r"\b(?:Council|Borough|Team|Service|Services|Resources|Trust|Office|Department|Centre|"
    r"Street|Road|London|Hackney|Recruitment|Digital|Data|Human|Us|The|Our|Jobs|Careers)\b"
)
ORGANISATION_AFTER = re.compile(
    r" (?:Council|Borough|Team|Service|Services|Trust|Office|Department|Centre|Hub|Unit)\b"
)

FLEXIBLE = re.compile(
    r"\b(?:flexible\s{1,3}(?:working|hours|start|pattern)|flexi-?time|"
    # Not "hybrid cloud" nor "remote support": the way the job is worked.
    r"hybrid(?!\s{1,3}(?:cloud|infrastructure|apps?|environments?|architectures?|networks?|"
    r"estates?|IT)\b)|work(?:ing)?\s{1,3}(?:from\s{1,3}home|remotely)|"
    r"remote(?:ly|\s{1,3}working|[- ]first|\s{1,3}role|\s{1,3}or\s{1,3}hybrid)|fully\s{1,3}remote|"
    r"\(remote\)|compressed\s{1,3}hours|home[- ]working|agile\s{1,3}working)\b",
    re.IGNORECASE,
)
PART_TIME = re.compile(
    r"\b(?:part[- ]time|job[- ]shar(?:e|es|ing|ers?)|reduced\s{1,3}hours|fewer\s{1,3}hours|"
    r"term[- ]time(?:\s{1,3}only)?)\b",
    re.IGNORECASE,
)
ADJUSTMENTS = re.compile(
    r"\breasonable\s{1,3}adjustments?\b|\badjustments?\s{1,3}(?:to|for|during|in)\s{1,3}"
    r"(?:(?:the|our|your)\s{1,3})?(?:recruitment|application|interview|selection)|"
    r"\baccess\s{1,3}needs\b",
    re.IGNORECASE,
)
DISABILITY_CONFIDENT = re.compile(r"\bDisability\s{1,3}Confident\b", re.IGNORECASE)
APPRENTICESHIP = re.compile(r"\bapprentice(?:ship)?s?\b", re.IGNORECASE)


def salary(advert: Advert) -> tuple[str, list[str]]:
    """ "range", "single" or "none", and the figures found. A figure is pay when it is an
    hourly rate or at least £10,000 a year ("£500 to £1,000 towards relocation" is not)."""
    text = advert.text
    ranges = [m.group().strip() for m in SALARY_RANGE.finditer(text) if _is_pay(m, m.group(1))]
    if ranges:
        return "range", ranges
    singles = [m.group().strip() for m in SALARY.finditer(text) if _is_pay(m, m.group())]
    return ("single", singles) if singles else ("none", [])


def _is_pay(match: re.Match, figure: str) -> bool:
    """An hourly rate ("£17.50/hour", "£15 an hour") or a yearly figure of £10,000 or more."""
    after = match.string[match.start() : match.end() + 12]
    return bool(HOURLY.search(after)) or _pounds(figure) >= 10_000


def _pounds(figure: str) -> float:
    number = re.search(r"\d[\d,]*(?:\.\d+)?", figure).group().replace(",", "")
    value = float(number)
    return value * 1000 if re.search(r"\d ?[kK]", figure) else value


def named_contacts(advert: Advert) -> list[str]:
    """The people the advert names to ask: after "contact", "speak to" and the like, or
    just before an email address or a phone number; never a council or a team."""
    text, names = advert.text, []
    found = [(m.group(1), m.end(1)) for m in ASK.finditer(text)]
    for address in EMAIL_OR_PHONE.finditer(text):
        before = text[max(0, address.start() - NAME_BEFORE_ADDRESS) : address.start()]
        people = list(re.finditer(rf"\b{PERSON}", before))
        if people:
            found.append((people[-1].group(), address.start() - len(before) + people[-1].end()))
    for name, end in found:
        person = not NOT_PEOPLE.search(name) and not ORGANISATION_AFTER.match(text, end)
        if person and name not in names:
            names.append(name)
    return names


def check(advert: Advert) -> list[Finding]:
    """The transparency and offers area of ``advert``'s report: one finding per offer,
    found or not."""
    pay, figures = salary(advert)
    results = [
        Finding(
            "salary",
            {
                "range": _("A salary range is given"),
                "single": _("A salary is given, but not a range"),
                "none": _("No salary is given"),
            }[pay],
            _(
                "Without a salary people guess, and women are more often told to ask for "
                "less; a stated range makes pay fairer and the advert more read. "
                "“Competitive” tells the reader nothing."
            ),
            _("Give the salary range: “£38,000 to £44,000 a year”."),
            findings.PAY_TRANSPARENCY,
            figures,
            found=pay == "range",
        )
    ]
    offers = [
        (
            "flexible",
            FLEXIBLE,
            _("Flexible working"),
            _(
                "Saying the job can be worked flexibly draws more applicants, women and carers "
                "especially; many do not apply where it is not said."
            ),
            _("Say how the job can be worked: “hybrid, with two days a week in the office”."),
            findings.FLEXIBLE_ADVERTS,
        ),
        (
            "part_time",
            PART_TIME,
            _("Part-time or job-share working"),
            _("People who cannot work full time, more often women and carers, look for it."),
            _("Say whether the job can be done part-time or as a job share."),
            findings.FLEXIBLE_ADVERTS,
        ),
        (
            "adjustments",
            ADJUSTMENTS,
            _("Reasonable adjustments"),
            _(
                "Disabled applicants need to know they can ask for adjustments to the "
                "application and the interview, and in the job."
            ),
            _(
                "Say: “We will make reasonable adjustments to the application, the interview "
                "and the job; tell us what you need.”"
            ),
            findings.EQUALITY_ACT,
        ),
        (
            "disability_confident",
            DISABILITY_CONFIDENT,
            _("Disability Confident"),
            _("The scheme tells disabled applicants the employer will consider them fairly."),
            _(
                "If the council is a Disability Confident employer, say so and how its "
                "offer of an interview works."
            ),
            findings.DISABILITY_CONFIDENT,
        ),
        (
            "apprenticeship",
            APPRENTICESHIP,
            _("An apprenticeship route"),
            _(
                "An apprenticeship opens the job to people without the qualifications or the "
                "experience yet, and pays them while they train."
            ),
            _("Say whether the job, or one like it, can be started as an apprenticeship."),
            findings.APPRENTICESHIPS,
        ),
    ]
    for code, pattern, title, why, instead, source in offers:
        found = said(advert, pattern)
        results.append(Finding(code, title, why, instead, source, found, found=bool(found)))
    contacts = named_contacts(advert)
    results.append(
        Finding(
            "contact",
            _("A named person to ask"),
            _(
                "A named person to ask about the job, or about adjustments, makes it easier "
                "to apply for people unsure whether they would fit."
            ),
            _(
                "Name someone who can answer questions: “For an informal chat, contact Priya "
                "Shah at priya.shah@example.gov.uk”."
            ),
            findings.DISABILITY_CONFIDENT,
            contacts,
            found=bool(contacts),
        )
    )
    return results
