"""Every word of the resident journey, from the list of consultations to the reference
number, is marked for translation: rendered in a pseudo-locale (``pseudo``), whose
catalogue "translates" each marked string as itself in ⟦ ⟧, the pages show no English
outside the brackets. Data staff write (titles, answer options, wards, topics) is bracketed
by the test itself: it is translated per consultation, not by the catalogue."""

import gettext
import html
import os
import re
import shutil

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from consultation import easy_read, languages, services
from consultation.forms import STEPS
from consultation.models import NewsTopic, Option, OptionKind, Response, Ward
from tests.consultation.factories import ConsultationFactory

from . import pseudo

pytestmark = pytest.mark.django_db

# Names that stay as they are in every language.
PROPER_NOUNS = {"London", "Borough", "of", "Hackney", "DiT", "Portal", "GOV", "UK"}
KEY = re.compile(r'name="submission_key" value="([^"]+)"')
REFERENCE = re.compile(r"\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b")  # data, as shown


@pytest.fixture(scope="session")
def pseudo_locale(tmp_path_factory):
    if shutil.which("xgettext") is None:
        message = "xgettext not found: the translation gate needs GNU gettext (apt install gettext)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return pseudo.build(tmp_path_factory.mktemp("locale"))


@pytest.fixture
def in_pseudo(settings, pseudo_locale, client):
    settings.LOCALE_PATHS = [pseudo_locale]
    settings.LANGUAGES = [("en-gb", "English"), (pseudo.CODE, "Pseudo")]
    settings.INTERFACE_LANGUAGES_REVIEWED = [pseudo.CODE]
    return client


def english(page: str) -> list[str]:
    """The words of ``page`` (HTML) that are not pseudo-translated."""
    text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    # The language switcher names each language in that language, on purpose.
    text = re.sub(r'(?s)<nav class="portal-language-switcher".*?</nav>', " ", text)
    text = REFERENCE.sub(" ", html.unescape(re.sub(r"<[^>]+>", " ", text)))
    words = re.findall(r"[A-Za-z][A-Za-z']+", pseudo.unmarked(text))
    return [word for word in words if word not in PROPER_NOUNS]


def translated(consultation, reviewer):
    """The consultation's own texts translated by staff, bracketed, and reviewed, so that
    it is offered in the pseudo-locale; ward names are places' names, the same in every
    language, bracketed here."""
    for text in languages.needed(consultation):
        services.translation_save(
            consultation=consultation,
            language=pseudo.CODE,
            part=text.part,
            option=Option.objects.filter(pk=text.option_id).first(),
            topic=NewsTopic.objects.filter(pk=text.topic_id).first(),
            text=f"⟦{text.english}⟧",
            reviewed_by=reviewer,
        )
    for ward in Ward.objects.all():
        ward.name = f"⟦{ward.name}⟧"
        ward.save(update_fields=["name"])


def walk(client, consultation, version="standard") -> dict[str, str]:
    """Every page of the resident journey in the pseudo-locale, list to reference number,
    in the ``version`` asked for, as (address, HTML)."""
    with translation.override(pseudo.CODE):
        base = reverse("consultation:detail", args=[consultation.slug])
        index = reverse("consultation:index")
    assert base.startswith(f"/{pseudo.CODE}/")
    start = f"{base}easy-read/" if version == "easy-read" else base
    pages = {url: client.get(url) for url in (index, start, f"{base}privacy/")}
    client.get(f"{base}answer/{STEPS[0].slug}/?version={version}")
    first = {
        "barriers": [str(consultation.options.filter(kind=OptionKind.BARRIER).first().pk)],
        "changes": [str(consultation.options.filter(kind=OptionKind.CHANGE).first().pk)],
        "interest": "very",
    }
    for step in STEPS:
        url = f"{base}answer/{step.slug}/"
        pages[url] = client.get(url)
        client.post(url, {**first, "website": ""})
    check = pages["check"] = client.get(f"{base}answer/check/")
    pages["done"] = client.post(
        f"{base}answer/check/",
        {"submission_key": KEY.search(check.content.decode()).group(1), "website": ""},
        follow=True,
    )
    assert {url: page.status_code for url, page in pages.items()} == dict.fromkeys(pages, 200)
    return {url: page.content.decode() for url, page in pages.items()}


@pytest.mark.parametrize("version", ["standard", "easy-read"])
def test_the_resident_journey_has_no_unmarked_text(
    in_pseudo, commission_staff, monkeypatch, version
):
    # Easy Read is offered in a language once its sentences are translated, as every
    # marked string is in the pseudo-locale.
    monkeypatch.setattr(easy_read, "offered_in", lambda language: True)
    consultation = ConsultationFactory()
    translated(consultation, commission_staff)
    pages = walk(in_pseudo, consultation, version)
    response = Response.objects.get()
    assert (response.language, response.version) == (pseudo.CODE, version.replace("-", "_"))
    found = {url: english(page) for url, page in pages.items()}
    assert {url: words for url, words in found.items() if words} == {}


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES[1:]])
def test_every_language_translates_every_string_of_the_journey(
    in_pseudo, pseudo_locale, commission_staff, code
):
    """Each catalogue in locale/ has a translation of every string the journey shows."""
    consultation = ConsultationFactory()
    translated(consultation, commission_staff)
    shown = set()
    for page in walk(in_pseudo, consultation).values():
        shown |= pseudo.shown(pseudo_locale, page)
    with open(settings.BASE_DIR / "locale" / code / "LC_MESSAGES" / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)._catalog
    assert len(shown) > 100
    assert (
        sorted(
            msgid
            for context, msgid in shown
            if not catalogue.get(
                pseudo.key(context, msgid), catalogue.get((pseudo.key(context, msgid), 0))
            )
        )
        == []
    )


def test_the_gate_finds_a_word_left_unmarked(in_pseudo, settings, tmp_path):
    """The gate itself: a template with one unmarked word is caught."""
    (tmp_path / "probe.html").write_text(
        '{% load i18n %}<p>{% translate "Start now" %}</p><p>Unmarked</p>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    with translation.override(pseudo.CODE):
        text = render_to_string("probe.html")
    assert "¦Start now⟧" in text
    assert pseudo.unmarked(text).count("Unmarked") == 1
