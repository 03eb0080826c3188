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

POUNDS = r"£\s?\d[\d,]*(?:\.\d+)?\s?[kK]?"
SALARY_RANGE = re.compile(rf"{POUNDS}\s*(?:-|–|—|to|and)\s*(?:£\s?)?\d[\d,]*(?:\.\d+)?\s?[kK]?")
SALARY = re.compile(rf"{POUNDS}(?:\s*(?:per|an|a)\s+(?:hour|annum|year))?")
HOURLY = re.compile(r"per hour|an hour|a hour|hourly", re.IGNORECASE)
CONTACT_VERB = r"(?:contact|speak to|speak with|talk to|chat with|call|ring|email)"
PERSON = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?\s+[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?"
EMAIL_OR_PHONE = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b"
NAMED_CONTACT = re.compile(
    rf"\b{CONTACT_VERB}\s+(?:our\s+[\w ]{{0,30}}?,?\s*)?({PERSON})"
    rf"|({PERSON})\s*(?:\([^)]{{0,60}}\)|,[^,\n]{{0,60}},)?\s*(?:on|at|via|by email at|:)?\s*"
    rf"(?:{EMAIL_OR_PHONE})"
)
# Capitalised pairs that are not people: "Hackney Council", "Human Resources".
NOT_PEOPLE = re.compile(
    r"\b(?:Council|Borough|Team|Service|Services|Resources|Trust|Office|Department|Centre|"
    r"Street|Road|London|Hackney|Recruitment|Digital|Data|Human|Us|The|Our)\b"
)

FLEXIBLE = re.compile(
    r"\b(?:flexible\s+(?:working|hours|start|pattern)|flexi-?time|hybrid|"
    r"work(?:ing)?\s+(?:from\s+home|remotely)|remote(?:ly|\s+working|-first)?|"
    r"compressed\s+hours|home[- ]working|agile\s+working)\b",
    re.IGNORECASE,
)
PART_TIME = re.compile(
    r"\b(?:part[- ]time|job[- ]shar(?:e|es|ing|ers?)|reduced\s+hours|fewer\s+hours|"
    r"term[- ]time(?:\s+only)?)\b",
    re.IGNORECASE,
)
ADJUSTMENTS = re.compile(
    r"\breasonable\s+adjustments?\b|\badjustments?\s+(?:to|for|during|in)\s+(?:the\s+|our\s+|"
    r"your\s+)?(?:recruitment|application|interview|selection)|\baccess\s+needs\b",
    re.IGNORECASE,
)
DISABILITY_CONFIDENT = re.compile(r"\bDisability\s+Confident\b", re.IGNORECASE)
APPRENTICESHIP = re.compile(r"\bapprentice(?:ship)?s?\b", re.IGNORECASE)


def salary(advert: Advert) -> tuple[str, list[str]]:
    """ "range", "single" or "none", and the figures found."""
    ranges = [m.group() for m in SALARY_RANGE.finditer(advert.text)]
    if ranges:
        return "range", ranges
    singles = [
        m.group()
        for m in SALARY.finditer(advert.text)
        if HOURLY.search(m.group()) or _pounds(m.group()) >= 10_000
    ]
    return ("single", singles) if singles else ("none", [])


def _pounds(figure: str) -> float:
    number = re.search(r"\d[\d,]*(?:\.\d+)?", figure).group().replace(",", "")
    value = float(number)
    return value * 1000 if re.search(r"\d\s?[kK]", figure) else value


def named_contacts(advert: Advert) -> list[str]:
    names = []
    for match in NAMED_CONTACT.finditer(advert.text):
        name = match.group(1) or match.group(2)
        if not NOT_PEOPLE.search(name):
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
