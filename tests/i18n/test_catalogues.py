"""The compiled catalogues (.mo, committed so a fresh install needs no gettext) say what
their .po files say: a .po edited without ``make messages`` fails here."""

import gettext

import pytest
from django.conf import settings

from . import pseudo

CATALOGUES = sorted((settings.BASE_DIR / "locale").glob("**/LC_MESSAGES/django.po"))


def test_every_language_has_its_catalogue():
    found = {po.parent.parent.name for po in CATALOGUES}
    assert found >= {code for code, _name in settings.LANGUAGES[1:]}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: str(po.relative_to(settings.BASE_DIR)))
def test_each_compiled_catalogue_matches_its_source(po):
    written = {}
    for context, msgid, plural, strs in pseudo.entries(po.read_text(encoding="utf-8")):
        if msgid and any(strs):
            key = pseudo.key(context, msgid)
            if plural is None:
                written[key] = strs[0]
            else:
                written.update({(key, n): text for n, text in enumerate(strs)})
    with po.with_suffix(".mo").open("rb") as mo:
        compiled = {k: v for k, v in gettext.GNUTranslations(mo)._catalog.items() if k != ""}
    assert compiled == written
