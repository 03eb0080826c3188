"""The job advert checker's page: pasting or uploading, the report per area, limits, the
open API's JSON."""

import io
import json
import logging

import docx
import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.test import RequestFactory
from pypdf import PdfWriter

from employers import views
from employers.adverts.documents import MAX_BYTES

pytestmark = pytest.mark.django_db
URL = "/employers/job-advert-checker/"
API = "/api/v1/job-advert-check"

ADVERT = (
    "Senior Data Analyst\n\nAbout the role\nAs our Senior Data Analyst you will lead a "
    "competitive team. You need a degree and at least 5 years' experience. The salary is "
    "£38,000 to £44,000. Applications will be assessed by a panel.\n"
)


def word_document(text: str) -> SimpleUploadedFile:
    document = docx.Document()
    for paragraph in text.split("\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(
        "advert.docx",
        buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def scanned_pdf() -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile("scan.pdf", buffer.getvalue(), "application/pdf")


def test_a_pasted_advert_gets_a_report_per_area(client):
    html = client.post(URL, {"advert": ADVERT}).content.decode()
    for area in ('id="gender"', 'id="plain"', 'id="requirements"', 'id="offers"'):
        assert area in html
    assert "This advert is slightly masculine-coded" in html
    assert "In a title or name: consider the wording elsewhere" in html
    assert "A degree is asked for" in html
    assert "A number of years of experience is asked for" in html
    assert "A salary range is given" in html
    assert "1 verb in the passive voice" in html
    assert "Dismissed by Degrees" in html  # each finding names its source
    # One result per area in the summary, never one score.
    assert html.count('class="govuk-summary-list__row"') == 4


def test_an_uploaded_word_document_is_read_in_memory_and_checked(client):
    response = client.post(URL, {"document": word_document(ADVERT)})
    assert response.context["form"].errors == {}
    assert "This advert is slightly masculine-coded" in response.content.decode()
    assert "Senior Data Analyst" in dict(response.context["report"].gender.names())


def test_headings_and_lists_in_a_word_document_are_read_as_in_pasted_text(client):
    document = docx.Document()
    document.add_heading("Key responsibilities", level=2)
    document.add_paragraph("We want a kind and supportive colleague.")
    document.add_heading("Essential criteria", level=2)
    for number in range(7):
        document.add_paragraph(f"Criterion {number}", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile("advert.docx", buffer.getvalue())
    report = client.post(URL, {"document": upload}).context["report"]
    assert [m.word for m in report.gender.matches] == ["kind", "supportive"]
    assert dict(report.gender.names()) == {"Key responsibilities": ["responsibilities"]}
    assert "long_essential" in {f.code for f in report.requirements}


def test_an_upload_never_goes_to_a_temporary_file_even_past_the_memory_limit(settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000  # Django would spill this upload to disk
    request = RequestFactory().post(URL, {"document": word_document(ADVERT * 20)})
    request._dont_enforce_csrf_checks = True
    response = views.advert_checker_view(request)
    assert response.status_code == 200
    assert isinstance(request.FILES["document"], InMemoryUploadedFile)


def test_a_file_over_the_limit_is_refused_and_only_the_limit_is_kept_in_memory():
    request = RequestFactory().post(
        URL, {"document": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (2 * MAX_BYTES))}
    )
    request._dont_enforce_csrf_checks = True
    response = views.advert_checker_view(request)
    assert "The file must be smaller than 5 MB" in response.content.decode()
    kept = request.FILES["document"]
    assert kept.size > 2 * MAX_BYTES
    assert len(kept.read()) < MAX_BYTES + 2 * 65536


def test_a_scanned_pdf_is_explained(client):
    html = client.post(URL, {"document": scanned_pdf()}).content.decode()
    assert "This PDF has no text in it" in html
    assert 'href="#id_document"' in html  # in the error summary, linked to the field


def test_pasting_and_uploading_together_is_refused_and_the_pasted_text_kept(client):
    response = client.post(URL, {"advert": "My pasted advert", "document": word_document("x")})
    assert response.context["form"].errors == {
        "document": ["Paste the advert or upload it, not both."]
    }
    assert "My pasted advert" in response.content.decode()
    assert response.context["report"] is None


def test_a_file_of_another_kind_is_refused(client):
    upload = SimpleUploadedFile("advert.txt", b"A competitive role", "text/plain")
    response = client.post(URL, {"document": upload})
    assert "document" in response.context["form"].errors


def test_an_advert_in_a_file_longer_than_the_checker_takes_is_refused(client):
    response = client.post(URL, {"document": word_document("A long advert. " * 2000)})
    assert response.context["form"].errors["document"] == [
        "The advert in this file has more than 20,000 characters, as many as the checker "
        "takes. Check it in parts, by pasting."
    ]


def test_uploads_are_rate_limited_per_client(client):
    upload = SimpleUploadedFile("advert.txt", b"x", "text/plain")
    for _ in range(views.UPLOADS_PER_CLIENT):
        upload.seek(0)
        assert client.post(URL, {"document": upload}).status_code == 200
    upload.seek(0)
    refused = client.post(URL, {"document": upload})
    assert refused.status_code == 429
    assert "You have uploaded many adverts" in refused.content.decode()
    # Pasting is not limited.
    assert client.post(URL, {"advert": ADVERT}).status_code == 200


def test_the_csrf_check_still_guards_the_form(client):
    strict = type(client)(enforce_csrf_checks=True)
    assert strict.post(URL, {"advert": ADVERT}).status_code == 403


def test_the_report_prints_without_the_form(client):
    html = client.post(URL, {"advert": ADVERT}).content.decode()
    form_at = html.index("<form")
    assert 'class="govuk-grid-row no-print"' in html[:form_at]
    css = (client.get("/static/css/portal.css").getvalue()).decode()
    assert "@media print" in css
    assert ".no-print" in css


def test_the_api_gives_the_same_report_as_json(client):
    response = client.post(API, json.dumps({"text": ADVERT}), content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["gender"]["verdict"] == "slightly_masculine"
    assert data["gender"]["in_titles_or_names"] == [
        {"name": "Senior Data Analyst", "words": ["Analyst"]}
    ]
    assert {f["code"] for f in data["requirements"]} == {"degree", "years"}
    assert data["offers"][0] == {**data["offers"][0], "code": "salary", "found": True}
    assert data["plain_english"]["findings"][0]["code"] == "passive"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ('{"text": ""}', 422),
        ('{"text": 5}', 422),
        (json.dumps({"text": "x" * 20001}), 422),
        ("not json", 400),
        ("{}", 422),
    ],
)
def test_the_api_refuses_what_it_cannot_check(client, body, status):
    assert client.post(API, body, content_type="application/json").status_code == status


def test_the_api_is_documented(client):
    html = client.get("/api/").content.decode()
    assert "POST /api/v1/job-advert-check" in html
    assert "AdvertIn" in html


def test_neither_page_nor_api_logs_the_advert(client, caplog):
    caplog.set_level(logging.DEBUG)
    marker = "Quuxbarzon competitive"
    client.post(URL, {"advert": marker})
    client.post(URL, {"document": word_document(marker)})
    client.post(API, json.dumps({"text": marker}), content_type="application/json")
    client.post(API, json.dumps({"text": marker * 2000}), content_type="application/json")
    logged = caplog.text + "".join(f"{r.args}{r.__dict__}" for r in caplog.records)
    assert "Quuxbarzon" not in logged


def test_an_empty_upload_gets_one_error(client):
    response = client.post(URL, {"document": SimpleUploadedFile("advert.docx", b"")})
    assert response.context["form"].errors == {"document": ["The submitted file is empty."]}


def test_an_upload_over_the_rate_limit_is_not_read(client, monkeypatch):
    read = []
    monkeypatch.setattr("employers.forms.read_advert", lambda upload: read.append(1) or "x")
    for _ in range(views.UPLOADS_PER_CLIENT + 1):
        client.post(URL, {"document": SimpleUploadedFile("advert.txt", b"x")})
    assert len(read) == views.UPLOADS_PER_CLIENT


def test_the_api_refuses_an_advert_of_only_spaces(client):
    response = client.post(API, json.dumps({"text": "   \n "}), content_type="application/json")
    assert response.status_code == 422
