"""Text in the scripts Arial lacks is set in the typefaces bundled with the portal (Hebrew
script for Yiddish, and Bengali), fetched from the portal itself and only when a page has
such text."""

import pytest

from tests.consultation.factories import ConsultationFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LOADED = """async () => {
  await document.fonts.ready;
  return [...document.fonts].filter(f => f.status === "loaded").map(f => f.family);
}"""


def test_hebrew_and_bengali_text_uses_the_bundled_typefaces(visitors):
    consultation = ConsultationFactory(title="אַנקעטע · পরামর্শ")
    latin = ConsultationFactory(title="Have your say")
    visitor = visitors()
    fetched = []
    visitor.page.on("request", lambda request: fetched.append(request.url))

    visitor.page.goto(latin.get_absolute_url())
    assert visitor.page.evaluate(LOADED) == []  # nothing fetched for a page in Latin script

    visitor.page.goto(consultation.get_absolute_url())
    loaded = {family.strip('"') for family in visitor.page.evaluate(LOADED)}
    assert {"Noto Sans Hebrew", "Noto Sans Bengali"} <= loaded
    fonts = [url for url in fetched if url.endswith(".woff2")]
    assert fonts
    assert all(url.startswith(visitor.base_url) and "/static/vendor/" in url for url in fonts)
