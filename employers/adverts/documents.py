"""The text of a job advert uploaded to the advert checker, from a Word document (.docx) or
a PDF, read in memory: like pasted text, the file is never stored or written to disk.

What is read: a .docx's body in document order (headings, paragraphs, list items and the text
of tables, cell by cell, row by row), one paragraph a line; headers, footers, footnotes and
text boxes are not. A PDF's text, page by page. A scanned PDF has no text to read.

The limits, because the files come from anyone and are read inside a web request:
- MAX_BYTES: an advert is a page or two; 5 MB is room for one with pictures in it.
- MAX_PAGES: reading a PDF's text is slow page by page; 40 pages is far more than an advert.
- MAX_UNZIPPED_BYTES: a .docx is a ZIP, and a few kilobytes of ZIP can unpack to gigabytes
  (a "zip bomb"). Its parts' declared sizes are checked, then every part's checksum, before
  python-docx opens it.
"""

import io
import lzma
import re
import zipfile
import zlib
from pathlib import Path

import docx
from django.utils.translation import gettext as _
from docx.text.paragraph import Paragraph
from pypdf import PdfReader, apply_configuration

__all__ = ["MAX_BYTES", "MAX_PAGES", "CannotRead", "read_advert"]

MAX_BYTES = 5 * 1024 * 1024
MAX_PAGES = 40
MAX_UNZIPPED_BYTES = 20 * 1024 * 1024
# Reading stops here: the checker takes 20,000 characters, and a Word file of a million
# empty paragraphs would otherwise be walked to the end.
MAX_CHARACTERS = 20_000
MAX_PARAGRAPHS = 5_000
# pypdf's own limits, lowered from its 75 MB defaults to what a page or two of an advert
# could need: a small PDF whose streams unpack to many megabytes is refused, not read.
PDF_LIMITS = {
    "maximum_declared_stream_length": MAX_BYTES,
    "zlib_maximum_output_length": 2_000_000,
    "lzw_maximum_output_length": 2_000_000,
    "run_length_maximum_output_length": 2_000_000,
    "brotli_maximum_output_length": 2_000_000,
    "array_based_stream_maximum_output_length": 2_000_000,
    "stream_decoding_work_maximum_length": 10_000_000,
    "stream_parsing_work_maximum_count": 200_000,
    "jbig2dec_binary": None,
}

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
# Old Word documents (.doc), and password-protected .docx files, are OLE compound files.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

# What zipfile raises on a damaged archive: a bad header, offset or CRC (BadZipFile,
# ValueError), corrupt compressed data (zlib.error, EOFError; OSError or LZMAError for other
# methods), an unknown method or an encrypted part (RuntimeError, NotImplementedError's base).
ZIP_ERRORS = (
    zipfile.BadZipFile, ValueError, zlib.error, EOFError, OSError, lzma.LZMAError, RuntimeError,
)  # fmt: skip


class CannotRead(Exception):
    """The upload could not be read as an advert; str(error) is the message for the user."""


def read_advert(upload) -> str:
    """Return the text of an uploaded job advert (a Django UploadedFile), a .docx or a PDF.

    The type is decided by both the file name's extension and the file's first bytes. Raises
    CannotRead, with a message for the user, for a file that is too big, empty, of another
    type, damaged, password protected, too long or without text.
    """
    too_big = _("The file must be smaller than 5 MB")
    if upload.size > MAX_BYTES:
        raise CannotRead(too_big)
    data = bytearray()
    for chunk in upload.chunks():  # from the start, and never more than the limit
        data += chunk
        if len(data) > MAX_BYTES:
            raise CannotRead(too_big)
    if not data:
        raise CannotRead(_("The file is empty"))
    extension = Path(upload.name or "").suffix.lower()
    if data.startswith(OLE_MAGIC) and OLE_ENCRYPTED_PACKAGE in data:
        raise CannotRead(_password_protected())
    if extension == ".doc" or data.startswith(OLE_MAGIC):
        raise CannotRead(
            _(
                "The file is an older Word document (.doc). Open it in Word, save it as a "
                ".docx file and upload that, or paste the text instead."
            )
        )
    if extension == ".pdf" and data.startswith(PDF_MAGIC):
        text = _read_pdf(data)
    elif extension == ".docx" and data.startswith(ZIP_MAGIC):
        text = _read_docx(data)
    else:
        raise CannotRead(_wrong_type())
    lines = (line.rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _damaged():
    return _(
        "The file could not be read: it may be damaged. Save it again and upload it, "
        "or paste the text instead."
    )


def _wrong_type():
    return _("The file must be a Word document (.docx) or a PDF")


def _password_protected():
    return _(
        "The file is password protected. Remove the password, save it and upload it again, "
        "or paste the text instead."
    )


def _read_pdf(data):
    with apply_configuration(**PDF_LIMITS):
        try:
            # pypdf raises many unrelated exception types on malformed input (its own
            # PdfReadError, but also KeyError, ValueError, TypeError, AttributeError...), with
            # no common base, so anything it raises while opening the file means it is damaged.
            reader = PdfReader(io.BytesIO(data))
            locked = reader.is_encrypted and not reader.decrypt("")
            pages = 0 if locked else len(reader.pages)
        except Exception as error:
            raise CannotRead(_damaged()) from error
        if locked:
            raise CannotRead(_password_protected())
        if pages > MAX_PAGES:
            raise CannotRead(_("The PDF must have %(pages)s pages or fewer") % {"pages": MAX_PAGES})
        texts, length = [], 0
        try:
            # As above: extracting text from a malformed page raises any kind of exception,
            # a page past pypdf's limits included.
            for page in reader.pages:
                texts.append(page.extract_text())
                length += len(texts[-1])
                if length > MAX_CHARACTERS:
                    break
        except Exception as error:
            raise CannotRead(_damaged()) from error
    if not any(text.strip() for text in texts):
        raise CannotRead(
            _(
                "This PDF has no text in it: it may be a scan or a picture of the advert. "
                "Paste the text instead, or upload the Word document it was made from."
            )
        )
    return "\n\n".join(texts)


def _read_docx(data):
    too_big = _("The Word document is too big to read. Paste the text instead.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise CannotRead(_wrong_type())
            parts = archive.infolist()
            if sum(part.file_size for part in parts) > MAX_UNZIPPED_BYTES:
                raise CannotRead(too_big)
            # zipfile never unpacks a part past its declared size (a part that lies fails its
            # checksum), so with the sizes checked this reads at most the limit.
            if archive.testzip() is not None:
                raise CannotRead(_damaged())
    except ZIP_ERRORS as error:
        raise CannotRead(_damaged()) from error
    try:
        # python-docx passes on whatever its parts raise on malformed content (lxml's
        # XMLSyntaxError, KeyError for a missing part, ValueError for a wrong content type...),
        # with no common base, so anything it raises here means the document is damaged.
        lines = _first_lines(docx.Document(io.BytesIO(data)))
    except TooLong:
        raise CannotRead(
            _("The Word document is too long to check. Paste the advert itself instead.")
        ) from None
    except Exception as error:
        raise CannotRead(_damaged()) from error
    if not any(line.strip() for line in lines):
        raise CannotRead(_("The Word document has no text in it. Paste the text instead."))
    return "\n".join(lines)


class TooLong(Exception):
    """More paragraphs than any advert has."""


def _first_lines(document) -> list[str]:
    """The document's lines, up to a little past what the checker takes."""
    lines, length = [], 0
    for number, line in enumerate(_docx_lines(document)):
        if number > MAX_PARAGRAPHS:
            raise TooLong
        lines.append(line)
        length += len(line) + 1
        if length > MAX_CHARACTERS:
            break
    return lines


def _docx_lines(container):
    """Each paragraph's text in document order, going into tables (and tables in them), as
    the advert would be pasted: a blank line after each paragraph, list items one a line
    after a "- " (so the checker reads headings and lists as it does in pasted text)."""
    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            if _is_list_item(block):
                yield f"- {block.text}"
            else:
                yield from (block.text, "")
            continue
        seen = set()  # a merged cell comes back once for each row and column it spans
        for row in block.rows:
            for cell in row.cells:
                if cell._tc not in seen:
                    seen.add(cell._tc)
                    yield from _docx_lines(cell)


def _is_list_item(paragraph: Paragraph) -> bool:
    """A bulleted or numbered paragraph: numbered in its own properties or by a list style.
    The style is read by its id on the paragraph ("ListBullet"), not looked up in the
    document's styles, which python-docx does by walking them all for each paragraph."""
    properties = paragraph._p.pPr
    if properties is None:
        return False
    style = properties.pStyle
    return properties.numPr is not None or (style is not None and style.val.startswith("List"))
