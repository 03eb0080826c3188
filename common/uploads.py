"""Documents people upload (meeting papers): what kind each is, read from its content,
never from its name or the type the browser claims, and whether the portal takes it."""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

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
