"""Documents people upload (meeting papers, the evidence library): what kind each is, read
from its content, never from its name or the type the browser claims, whether the portal
takes it, how it is served, and that it leaves storage with its row."""

import logging
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete
from django.http import Http404, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# OOXML and OpenDocument files are ZIP archives; these are read to tell them apart.
_OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# More parts than any paper has: an archive with more is refused unread.
MAX_PARTS = 5000


@dataclass(frozen=True)
class DocumentKind:
    extension: str
    content_type: str
    label: str


KINDS = {
    "pdf": DocumentKind("pdf", "application/pdf", "PDF"),
    "docx": DocumentKind(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word (DOCX)",
    ),
    "odt": DocumentKind("odt", "application/vnd.oasis.opendocument.text", "OpenDocument (ODT)"),
    "xlsx": DocumentKind(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel (XLSX)",
    ),
}
WRONG_KIND = _(
    "The selected file must be a PDF, Word (DOCX), OpenDocument (ODT) or Excel (XLSX) file"
)


def kind_of(file) -> DocumentKind | None:
    """The kind of document ``file`` (an open, seekable file) is, from its first bytes and,
    for the ZIP-based kinds, the parts it holds; None if it is none of them. Nothing is
    unpacked but the few bytes of an ODT's ``mimetype``."""
    file.seek(0)
    head = file.read(1024)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return KINDS["pdf"]
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(file) as archive:
            if len(archive.infolist()) > MAX_PARTS:
                return None  # no real document has so many parts
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100 and archive.read(info).strip() == _ODT_MIMETYPE:
                    return KINDS["odt"]
                return None
            # A document with macros (Word's or Excel's "vbaProject.bin") is not taken.
            if "[Content_Types].xml" in names and not any(
                name.endswith("vbaProject.bin") for name in names
            ):
                for extension, part in _OOXML_PARTS.items():
                    if part in names:
                        return KINDS[extension]
    except Exception:
        return None
    finally:
        file.seek(0)
    return None


def stored_kind(file) -> DocumentKind | None:
    """The kind of a stored document (from the extension it was stored under, which its
    content decided: ``kind_of`` when it was uploaded), or None if there is no file."""
    if not file:
        return None
    return KINDS.get(file.name.rsplit(".", 1)[-1])


def validate_document(file) -> None:
    """A field's validator: a PDF, DOCX, ODT or XLSX file, not empty, no larger than
    ``UPLOAD_MAX_BYTES``, whatever its name says."""
    if file.size == 0:
        raise ValidationError(_("The selected file is empty"), code="empty")
    if file.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The selected file must be smaller than %(limit)s"),
            params={"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
            code="too_large",
        )
    if kind_of(file) is None:
        raise ValidationError(WRONG_KIND, code="wrong_kind")


def attachment(file, kind: DocumentKind, title: str, *, public: bool) -> HttpResponse:
    """A stored document as a download named after ``title``; 404 if storage no longer has
    it. Read whole (a document is at most UPLOAD_MAX_BYTES), so no file stays open for a
    client that stops reading. Until it is ``public``, no shared cache may keep a copy."""
    try:
        with file.open("rb") as stored:
            response = HttpResponse(stored.read(), content_type=kind.content_type)
    except FileNotFoundError as gone:
        logger.error("%s has no file in storage", file.name)
        raise Http404 from gone
    name = f"{slugify(title) or 'document'}.{kind.extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response


def _file_deleted(sender, instance, **kwargs):
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))


def files_leave_with_rows(model) -> None:
    """An uploaded ``file`` leaves the storage with its row, however the row goes (a staff
    page, the admin, a parent deleted), once that commits: a removed document, private or
    not, is not kept. Connect in the app's ``ready``."""
    post_delete.connect(_file_deleted, sender=model, dispatch_uid=f"file-of-{model._meta.label}")
