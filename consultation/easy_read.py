"""The Easy Read version of the questionnaire: the same pages and questions, so the answers
combine with the standard version's, asked in short sentences, each page with a picture.

Only the words change: the answer lists, the equality questions' answers (ONS 2021) and the
consent to emails (what the resident agrees to is recorded word for word) are the same.
Easy Read is offered in English; its sentences are marked for translation, ready for the
council's translators, and each language offers it once they are translated
(``offered_in``).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Version


@dataclass(frozen=True)
class Picture:
    file: str  # under static/
    alt: str


@dataclass(frozen=True)
class Page:
    """A page of the Easy Read version: its title, a picture and a sentence or two about
    it, and its questions' words (field name → (question, hint))."""

    title: str
    picture: Picture
    about: str
    questions: dict[str, tuple[str, str]]


PAGES = {
    "barriers": Page(
        _("Things that make it hard"),
        Picture(
            "images/easy-read/barriers.svg",
            _("A person stands in front of a wall between them and a computer."),
        ),
        _("Digital tech means work with computers, phones or the internet."),
        {
            "barriers": (
                _("What makes it hard for you to learn digital skills or get a digital tech job?"),
                _("Tick every box that is true for you."),
            ),
            "barriers_other": (_("Something else makes it hard. Write it here."), ""),
        },
    ),
    "changes": Page(
        _("What should change"),
        Picture(
            "images/easy-read/changes.svg",
            _("An arrow goes up a set of steps."),
        ),
        _("Tell us what would make things better."),
        {
            "changes": (
                _("What should change to help people like you?"),
                _("Tick every box you agree with."),
            ),
            "changes_other": (_("Something else should change. Write it here."), ""),
        },
    ),
    "support": Page(
        _("Help you would like"),
        Picture(
            "images/easy-read/support.svg",
            _("One hand reaches out to help another hand."),
        ),
        _("Tell us what help you would like."),
        {
            "support": (_("What help would you like?"), _("Tick every box you want.")),
            "support_other": (_("Other help you would like. Write it here."), ""),
            "interest": (_("Would you like a job in digital tech?"), ""),
        },
    ),
    "comments": Page(
        _("Anything else"),
        Picture(
            "images/easy-read/comments.svg",
            _("A speech bubble."),
        ),
        _("You can tell us more in your own words."),
        {
            "comments": (
                _("Do you want to tell us anything else?"),
                _("Do not write your name or anything that says who you are."),
            ),
        },
    ),
    "about-you": Page(
        _("About you"),
        Picture(
            "images/easy-read/about-you.svg",
            _("A group of different people."),
        ),
        _(
            "These questions are about you. You do not have to answer them. The answers "
            "help us check we hear from all kinds of people."
        ),
        {
            "age_band": (_("How old are you?"), ""),
            "sex": (_("What is your sex?"), ""),
            "gender_same_as_birth": (
                _("Is your gender the same as the sex you were given at birth?"),
                "",
            ),
            "ethnic_group": (
                _("What is your ethnic group?"),
                _("Choose the group that fits you best."),
            ),
        },
    ),
    "circumstances": Page(
        _("Your life"),
        Picture(
            "images/easy-read/circumstances.svg",
            _("A house."),
        ),
        _("You do not have to answer these questions."),
        {
            "disability": (
                _(
                    "Do you have an illness or health condition that has lasted a year or "
                    "more, or will last a year or more?"
                ),
                "",
            ),
            "caring": (_("Do you look after someone who needs care?"), ""),
            "employment": (
                _("What do you do now?"),
                _("For example: work, study or look for a job."),
            ),
            "area": (_("Where do you live?"), ""),
        },
    ),
    "contact": Page(
        _("Hear from us"),
        Picture(
            "images/easy-read/contact.svg",
            _("An envelope with a letter in it."),
        ),
        _("We can email you about courses, jobs and events. You do not have to say yes."),
        {
            "email": (
                _("Your email address. Only if you want emails from us."),
                _("We keep it away from your answers."),
            ),
        },
    ),
}


def offered_in(language: str) -> bool:
    """Whether the Easy Read version is offered in ``language``: English, until the
    council's translators have translated its sentences."""
    return language == settings.LANGUAGE_CODE


def chosen(requested: str | None, current: str) -> str:
    """The version a resident has chosen: the one asked for (``?version=easy-read`` or
    ``standard``), else the one they chose before (kept with their answers)."""
    wanted = (requested or "").replace("-", "_")
    return wanted if wanted in Version.values else current


def shown(choice: str, language: str) -> str:
    """The version a page is asked in: the one chosen, where it is offered in the page's
    language; else the standard one (and the choice stays, for when they come back)."""
    if choice == Version.EASY_READ and offered_in(language):
        return Version.EASY_READ
    return Version.STANDARD


def adapt(form, step_slug: str):
    """``form``, a page of the questionnaire, asked in Easy Read: its questions' words
    replaced (its own copy of its fields; the answers they take are the same)."""
    page = PAGES[step_slug]
    for name, (label, hint) in page.questions.items():
        field = form.fields[name]
        field.label = label
        field.help_text = hint
    return form
