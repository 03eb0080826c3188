"""The language switcher: the same page in each language it is offered in."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language


def direction(code: str) -> str:
    """ "rtl" for a language written right to left, else "ltr" (for ``dir``)."""
    return "rtl" if code.split("-")[0] in settings.LANGUAGES_BIDI else "ltr"


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    name: str  # in the language itself: a reader finds their own language by it
    url: str
    is_current: bool

    @property
    def direction(self) -> str:
        return direction(self.code)


def switcher(request, codes) -> list[LanguageChoice]:
    """This page (path and query) in each of ``codes``, in the portal's order; empty when
    the page is in one language only."""
    if len(codes) < 2:
        return []
    current, here = get_language(), request.get_full_path()
    return [
        LanguageChoice(code, name, translate_url(here, code), code == current)
        for code, name in settings.LANGUAGES
        if code in codes
    ]
