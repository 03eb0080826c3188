"""An employer checks a job advert in Chromium: pasted, then uploaded as a Word document;
the report, with a result per area, passes axe and the Nu checker on a desktop and at
320 px; printed, it leaves out the form and the portal's header."""

import io
import re
from pathlib import Path

import docx
import pytest

from tests.e2e.conftest import vnu_errors

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ADVERT = """Senior Data Analyst

About the role
As our Senior Data Analyst you will lead a competitive, ambitious team in the Corporate
Leadership Team's programme. Stakeholders rely on you. You need a degree and at least 5
years' experience of SQL. Applications will be assessed by a panel.

What we offer
The salary is £38,000 to £44,000. We offer hybrid working.
"""


# A long, realistic advert from the corpus, its hand marks taken out: its report has every
# table, at its widest.
CORPUS = Path(__file__).resolve().parents[1] / "employers" / "advert_corpus"
LONG_ADVERT = re.sub(
    r"\[[mft]:([^\]]*)\]",
    r"\1",
    (CORPUS / "02_fintech-senior-software-engineer.txt").read_text().split("\n\n", 1)[1],
)


def word_file(tmp_path):
    document = docx.Document()
    for line in ADVERT.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "advert.docx"
    path.write_bytes(buffer.getvalue())
    return path


def test_an_employer_pastes_then_uploads_an_advert_and_prints_the_report(visitors, tmp_path):
    employer = visitors()
    page = employer.page
    page.goto("/employers/job-advert-checker/")
    employer.check()
    page.get_by_label("Paste the job advert").fill(ADVERT)
    employer.follow(page.get_by_role("button", name="Check the advert"))
    report = page.locator(".advert-report")
    assert "This advert is strongly masculine-coded" in report.inner_text()
    titles = page.get_by_role("table", name="In a title or name: consider the wording elsewhere")
    assert "Corporate Leadership Team" in titles.inner_text()
    for heading in ("Gender-coded words", "Plain English", "Requirements"):
        assert page.get_by_role("heading", name=heading, exact=True).first.is_visible()
    html = {"report": page.content()}

    page.emulate_media(media="print")
    assert not page.locator("form").is_visible()
    assert not page.locator(".govuk-header").is_visible()
    assert report.is_visible()
    assert page.get_by_text("Checked with the DiT Portal job advert checker.").is_visible()
    page.emulate_media(media="screen")

    page.goto("/employers/job-advert-checker/")
    page.get_by_label("Or upload the advert").set_input_files(str(word_file(tmp_path)))
    employer.follow(page.get_by_role("button", name="Check the advert"))
    assert "This advert is strongly masculine-coded" in report.inner_text()
    assert "A degree is asked for" in report.inner_text()

    narrow = visitors(width=320)
    narrow.page.goto("/employers/job-advert-checker/")
    narrow.page.get_by_label("Paste the job advert").fill(LONG_ADVERT)
    narrow.follow(narrow.page.get_by_role("button", name="Check the advert"))
    narrow.page.goto("/employers/job-advert-checker/")
    narrow.follow(narrow.page.get_by_role("button", name="Check the advert"))
    assert narrow.page.locator(".govuk-error-summary").is_visible()
    html["error"] = narrow.page.content()

    assert employer.problems + narrow.problems == []
    assert vnu_errors(html) == []
