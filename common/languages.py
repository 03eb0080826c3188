"""The language switcher: the same page in each language it is offered in."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, override


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
    the page is in one language only. Reversed from the page's own match, not worked out
    again from its path (``translate_url``): this runs on every resident page."""
    if len(codes) < 2:
        return []
    match, current = request.resolver_match, get_language()
    query = f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else ""

    def address(code):
        with override(code):
            return reverse(match.view_name, args=match.args, kwargs=match.kwargs) + query

    return [
        LanguageChoice(code, name, address(code), code == current)
        for code, name in settings.LANGUAGES
        if code in codes
    ]
