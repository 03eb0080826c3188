"""Meeting papers as files: PDF, DOCX, ODT and XLSX, their kind read from their content,
within a size limit, stored through Django's storage, served as downloads only to who may
see them, and private until the papers or the minutes are published."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from milestones import services
from milestones.models import AdvisoryMeeting, MeetingPaper
from tests.migrations import migrate, migrate_to_latest
from tests.milestones.factories import AdvisoryMeetingFactory
from tests.network.factories import member
from tests.world import MINIMAL_PDF

pytestmark = pytest.mark.django_db


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
DOCM = zipped(
    {
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": b"<w:document/>",
        "word/vbaProject.bin": b"macros",
    }
)


@pytest.fixture
def meeting():
    start = timezone.now() + datetime.timedelta(days=14)
    adviser_account = member("Ade").user
    adviser = services.advisory_member_save(name="Ade", email=adviser_account.email)
    scheduled = AdvisoryMeetingFactory(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2), members=[adviser]
    )
    scheduled.adviser_account = adviser_account
    return scheduled


def upload(client, meeting, name, content, title="Progress report"):
    return client.post(
        reverse("milestones:meeting_papers", args=[meeting.pk]),
        {"title": title, "file": SimpleUploadedFile(name, content)},
    )


def stored_files() -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("name", "content", "extension", "content_type"),
    [
        ("report.pdf", MINIMAL_PDF, "pdf", "application/pdf"),
        (
            "report.pdf",  # named as a PDF, and a Word document: read as what it is
            DOCX,
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "figures.xlsx",
            XLSX,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("minutes.odt", ODT, "odt", "application/vnd.oasis.opendocument.text"),
    ],
)
def test_staff_upload_a_paper_of_each_kind_it_is_read_from_its_content(
    client_for, commission_staff, meeting, name, content, extension, content_type
):
    response = upload(client_for(commission_staff), meeting, name, content)

    assert response.status_code == 302
    paper = MeetingPaper.objects.get(meeting=meeting)
    assert paper.file.name.startswith("meeting-papers/")
    assert paper.file.name.endswith(f".{extension}")
    assert name.split(".")[0] not in paper.file.name  # never the uploaded name
    download = client_for(commission_staff).get(
        reverse("milestones:paper_download", args=[meeting.pk, paper.pk])
    )
    assert download["Content-Type"] == content_type
    assert download["Content-Disposition"] == f'attachment; filename="progress-report.{extension}"'
    assert download.content == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "agenda.pdf",
            b"<html><script>alert(1)</script></html>",
            "The selected file must be a PDF, Word (DOCX), OpenDocument (ODT) or Excel (XLSX) file",
        ),
        (
            "macros.docx",
            DOCM,
            "The selected file must be a PDF, Word (DOCX), OpenDocument (ODT) or Excel (XLSX) file",
        ),
        ("broken.docx", b"PK\x03\x04not really a zip", "The selected file must be a PDF"),
        ("empty.pdf", b"", "The selected file is empty"),
        ("big.pdf", MINIMAL_PDF + b"0" * 2048, "The selected file must be smaller than 2.0\xa0KB"),
    ],
)
def test_a_file_the_portal_does_not_take_is_refused_and_nothing_is_stored(
    client_for, commission_staff, meeting, settings, name, content, message
):
    settings.UPLOAD_MAX_BYTES = 2048
    response = upload(client_for(commission_staff), meeting, name, content)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Progress report"' in page  # what was typed stays
    assert not MeetingPaper.objects.exists()
    assert stored_files() == []


def test_papers_are_private_to_invitees_and_staff_until_published(
    client_for, commission_staff, coordinator, meeting
):
    services.paper_upload(
        meeting=meeting,
        title="Draft findings",
        file=SimpleUploadedFile("draft.pdf", MINIMAL_PDF),
    )
    paper = MeetingPaper.objects.get()
    address = reverse("milestones:paper_download", args=[meeting.pk, paper.pk])
    anyone = Client()

    public_page = anyone.get(meeting.get_absolute_url()).content.decode()
    assert "The papers are for invited members, and are published here later." in public_page
    assert address not in public_page
    assert anyone.get(address).status_code == 404
    assert client_for(coordinator).get(address).status_code == 404
    for insider in (meeting.adviser_account, commission_staff):
        response = client_for(insider).get(address)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
    invitee_page = client_for(meeting.adviser_account).get(meeting.get_absolute_url())
    assert address in invitee_page.content.decode()

    client_for(commission_staff).post(
        reverse("milestones:meeting_papers", args=[meeting.pk]), {"action": "publish"}
    )
    response = anyone.get(address)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    assert address in anyone.get(meeting.get_absolute_url()).content.decode()


def test_publishing_the_minutes_publishes_the_papers(meeting):
    client = Client()
    paper = services.paper_upload(
        meeting=meeting, title="Report", file=SimpleUploadedFile("r.pdf", MINIMAL_PDF)
    )
    address = reverse("milestones:paper_download", args=[meeting.pk, paper.pk])
    assert client.get(address).status_code == 404
    services.meeting_record_minutes(
        meeting=meeting, minutes="Agreed.", minutes_published=True, attended_member_ids=set()
    )
    assert client.get(address).status_code == 200


def test_removing_a_paper_asks_first_then_takes_its_file_away(
    client_for, commission_staff, meeting, django_capture_on_commit_callbacks
):
    paper = services.paper_upload(
        meeting=meeting, title="Old draft", file=SimpleUploadedFile("old.pdf", MINIMAL_PDF)
    )
    assert len(stored_files()) == 1
    staff = client_for(commission_staff)
    address = reverse("milestones:paper_remove", args=[meeting.pk, paper.pk])

    asked = staff.get(address).content.decode()
    assert "Remove “Old draft”?" in asked
    assert MeetingPaper.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(address)
    assert not MeetingPaper.objects.exists()
    assert stored_files() == []


def test_editing_the_linked_papers_keeps_the_uploaded_ones(meeting):
    services.paper_upload(
        meeting=meeting, title="Uploaded", file=SimpleUploadedFile("u.pdf", MINIMAL_PDF)
    )
    services.meeting_update(
        meeting=meeting, papers=[("On the web", "https://example.org/paper.pdf")]
    )
    assert sorted(MeetingPaper.objects.values_list("title", flat=True)) == [
        "On the web",
        "Uploaded",
    ]


@pytest.mark.django_db(transaction=True)
def test_meetings_with_linked_papers_keep_them_public_after_the_migration():
    old = migrate([("milestones", "0010_replies")])
    meeting_model = old.get_model("milestones", "AdvisoryMeeting")
    paper_model = old.get_model("milestones", "MeetingPaper")
    start = timezone.now()
    with_papers, _without = (
        meeting_model.objects.create(
            title=title, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
        )
        for title in ("With papers", "Without")
    )
    paper_model.objects.create(meeting=with_papers, title="Report", url="https://example.org/r")

    migrate_to_latest()

    published = dict(AdvisoryMeeting.objects.values_list("title", "papers_published"))
    assert published == {"With papers": True, "Without": False}
    assert MeetingPaper.objects.get().url == "https://example.org/r"


def test_a_paper_deleted_with_its_meeting_or_in_the_admin_takes_its_file(
    meeting, django_capture_on_commit_callbacks
):
    for n in range(2):
        services.paper_upload(
            meeting=meeting, title=f"Paper {n}", file=SimpleUploadedFile("p.pdf", MINIMAL_PDF)
        )
    assert len(stored_files()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        MeetingPaper.objects.first().delete()  # as the admin does
    assert len(stored_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        AdvisoryMeeting.objects.get(pk=meeting.pk).delete()
    assert stored_files() == []


def test_a_paper_whose_file_has_gone_is_not_found_rather_than_an_error(
    client_for, commission_staff, meeting
):
    paper = services.paper_upload(
        meeting=meeting, title="Lost", file=SimpleUploadedFile("l.pdf", MINIMAL_PDF)
    )
    paper.file.storage.delete(paper.file.name)
    staff = client_for(commission_staff)
    assert (
        staff.get(reverse("milestones:paper_download", args=[meeting.pk, paper.pk])).status_code
        == 404
    )
    assert staff.get(reverse("milestones:meeting_papers", args=[meeting.pk])).status_code == 200
    assert staff.get(meeting.get_absolute_url()).status_code == 200


def test_a_damaged_archive_is_refused_not_an_error(client_for, commission_staff, meeting):
    """An ODT whose compressed "mimetype" part is corrupt (zlib fails on it) is refused
    beside the field, as any file that is not a document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.text")
    damaged = bytearray(buffer.getvalue())
    start = 30 + len("mimetype")  # the local header, then the compressed bytes
    damaged[start : start + 4] = b"\xff\xff\xff\xff"

    response = upload(client_for(commission_staff), meeting, "broken.odt", bytes(damaged))

    assert response.status_code == 200
    assert "The selected file must be a PDF" in response.content.decode()
    assert not MeetingPaper.objects.exists()
