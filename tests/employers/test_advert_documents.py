"""Job adverts uploaded as Word documents and PDFs, read in memory. Every file is made here."""

import io
import random
import time
import zipfile
import zlib

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from pypdf import PdfReader, PdfWriter

from employers.adverts.documents import CannotRead, read_advert

DAMAGED = (
    "The file could not be read: it may be damaged. Save it again and upload it, "
    "or paste the text instead."
)
WRONG_TYPE = "The file must be a Word document (.docx) or a PDF"
PASSWORD = (
    "The file is password protected. Remove the password, save it and upload it again, "
    "or paste the text instead."
)
OLD_WORD = (
    "The file is an older Word document (.doc). Open it in Word, save it as a .docx file "
    "and upload that, or paste the text instead."
)
SCAN = (
    "This PDF has no text in it: it may be a scan or a picture of the advert. "
    "Paste the text instead, or upload the Word document it was made from."
)
NO_WORDS = "The Word document has no text in it. Paste the text instead."
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOISE = random.Random(1).randbytes(2000)  # noqa: S311 - the same bytes every time, not security


def not_parsed(*args):
    pytest.fail("python-docx was given the file")


def not_unpacked(*args):
    pytest.fail("a part of the ZIP was unpacked")


def not_read(*args):
    pytest.fail("the upload was read")


def upload(name, content):
    return SimpleUploadedFile(name, content)


def refusal(name, content):
    with pytest.raises(CannotRead) as error:
        read_advert(upload(name, content))
    return str(error.value)


def word_document(*paragraphs):
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def text_pdf(*pages, padding=0):
    """A minimal valid PDF, written by hand: one line of Helvetica text on each page; with
    ``padding``, each page's content is that many spaces longer, compressed."""
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, text in enumerate(pages):
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET".encode("latin-1")
        compression = b""
        if padding:
            stream, compression = zlib.compress(stream + b" " * padding), b" /Filter /FlateDecode"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(
            b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(stream), compression, stream)
        )
    pdf = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    return pdf + b"startxref\n%d\n%%%%EOF\n" % xref


def written(writer):
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zipped(*parts, compression=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in parts:
            archive.writestr(name, content)
    return out.getvalue()


def with_part(document, name, content):
    """The Word document with one of its parts replaced."""
    with zipfile.ZipFile(io.BytesIO(document)) as original:
        parts = [(info.filename, original.read(info)) for info in original.infolist()]
    return zipped(*[(part, content if part == name else old) for part, old in parts])


def overwritten_zip(signature, offset, value):
    """A ZIP holding word/document.xml, with bytes overwritten after one of its headers."""
    content = bytearray(zipped(("word/document.xml", "<w:document/>" * 100)))
    start = content.index(signature) + offset
    content[start : start + len(value)] = value
    return bytes(content)


def test_a_word_document_is_read_in_order_with_its_lists_and_tables():
    document = docx.Document()
    document.add_heading("Senior developer", level=1)
    document.add_paragraph("We are a small team in Leeds.   ")
    document.add_paragraph("")
    document.add_paragraph("")
    document.add_paragraph("You will:")
    document.add_paragraph("write code", style="List Bullet")
    document.add_paragraph("review code", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for (row, column), text in {(0, 0): "Salary", (0, 1): "£50,000", (1, 0): "Hours"}.items():
        table.cell(row, column).text = text
    table.cell(1, 1).text = "37 a week"
    merged = document.add_table(rows=1, cols=3)
    merged.cell(0, 0).merge(merged.cell(0, 2)).text = "Apply by 1 June"
    document.add_paragraph("Thank you.")
    out = io.BytesIO()
    document.save(out)

    # As if pasted: paragraphs apart, list items one a line after "- ".
    assert read_advert(upload("advert.docx", out.getvalue())) == (
        "Senior developer\n\nWe are a small team in Leeds.\n\nYou will:\n\n- write code\n"
        "- review code\nSalary\n\n£50,000\n\nHours\n\n37 a week\n\nApply by 1 June\n\n"
        "Thank you."
    )


def test_a_pdf_is_read_page_by_page():
    pdf = text_pdf("Senior developer (Leeds)", "Apply by 1 June")
    assert PdfReader(io.BytesIO(pdf), strict=True).pages[1].extract_text() == "Apply by 1 June"

    assert read_advert(upload("advert.PDF", pdf)) == "Senior developer (Leeds)\n\nApply by 1 June"


def test_the_upload_is_read_from_the_start_even_after_something_read_it():
    advert = upload("advert.docx", word_document("Senior developer"))
    advert.read()
    assert read_advert(advert) == "Senior developer"


def test_an_upload_big_enough_to_be_kept_on_disk_is_read_from_memory(monkeypatch):
    content = word_document("Senior developer")
    size = len(content)
    with TemporaryUploadedFile("advert.docx", "application/octet-stream", size, None) as advert:
        advert.write(content)
        monkeypatch.setattr(advert, "temporary_file_path", None)
        assert read_advert(advert) == "Senior developer"


def test_a_pdf_without_text_is_a_scan():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    assert refusal("advert.pdf", written(writer)) == SCAN


def test_a_password_protected_pdf_is_refused():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf("Senior developer"))))
    writer.encrypt(user_password="secret", algorithm="AES-128")
    assert refusal("advert.pdf", written(writer)) == PASSWORD


def test_a_pdf_that_anyone_can_open_but_not_edit_is_read():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf("Senior developer"))))
    writer.encrypt(user_password="", owner_password="secret", algorithm="AES-128")
    assert read_advert(upload("advert.pdf", written(writer))) == "Senior developer"


def test_a_pdf_can_have_up_to_forty_pages():
    pages = [f"Page {number}" for number in range(1, 41)]
    assert read_advert(upload("advert.pdf", text_pdf(*pages))).endswith("Page 39\n\nPage 40")

    writer = PdfWriter()
    for _page in range(41):
        writer.add_blank_page(width=595, height=842)
    assert refusal("advert.pdf", written(writer)) == "The PDF must have 40 pages or fewer"


def test_a_file_of_5_mb_or_more_is_refused_without_being_read(monkeypatch):
    content = text_pdf("Senior developer")
    advert = upload("advert.pdf", content + b" " * (5 * 1024 * 1024 - len(content) + 1))
    monkeypatch.setattr(advert, "chunks", not_read)
    with pytest.raises(CannotRead, match="The file must be smaller than 5 MB"):
        read_advert(advert)


def test_a_file_bigger_than_it_says_is_refused_once_5_mb_has_been_read():
    advert = upload("advert.pdf", b"%PDF-" + b" " * 5 * 1024 * 1024)
    advert.size = 1000
    with pytest.raises(CannotRead, match="The file must be smaller than 5 MB"):
        read_advert(advert)


def test_an_empty_file_is_refused():
    assert refusal("advert.docx", b"") == "The file is empty"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("advert.txt", b"Senior developer"),
        ("advert.pdf", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("advert.docx", NOISE),
        ("advert.pdf", word_document("Senior developer")),
        ("advert.docx", text_pdf("Senior developer")),
        ("advert.docx", zipped(("content.xml", "<office:document/>"))),
    ],
    ids=["text", "picture named .pdf", "random bytes", "docx named .pdf", "pdf named .docx", "zip"],
)
def test_anything_but_a_word_document_or_a_pdf_is_refused(name, content):
    assert refusal(name, content) == WRONG_TYPE


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("advert.doc", OLE_HEADER + b"\x00" * 500),
        ("advert.docx", OLE_HEADER + b"\x00" * 500),
        ("advert.DOC", b"{\\rtf1 Senior developer}"),
    ],
    ids=["doc", "doc named .docx", "rich text named .doc"],
)
def test_an_old_word_document_is_refused_with_what_to_do(name, content):
    assert refusal(name, content) == OLD_WORD


def test_a_password_protected_word_document_is_refused():
    # Word keeps a password-protected .docx in a compound file, in its "EncryptedPackage".
    content = OLE_HEADER + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le")
    assert refusal("advert.docx", content) == PASSWORD


def test_a_zip_bomb_is_refused_before_it_is_unpacked_or_parsed(monkeypatch):
    bomb = zipped(("word/document.xml", b" " * 30 * 1024 * 1024))
    assert len(bomb) < 100_000
    monkeypatch.setattr(docx, "Document", not_parsed)
    monkeypatch.setattr(zipfile.ZipFile, "open", not_unpacked)
    assert refusal("advert.docx", bomb) == (
        "The Word document is too big to read. Paste the text instead."
    )


def test_a_zip_that_understates_its_sizes_is_refused_before_it_is_parsed(monkeypatch):
    monkeypatch.setattr(docx, "Document", not_parsed)
    bomb = zipped(("word/document.xml", b" " * 30 * 1024 * 1024))
    declared = (30 * 1024 * 1024).to_bytes(4, "little")
    assert bomb.count(declared) == 2  # in the part's local header and the central directory
    assert refusal("advert.docx", bomb.replace(declared, (1000).to_bytes(4, "little"))) == DAMAGED


def test_a_word_document_without_text_is_refused():
    assert refusal("advert.docx", word_document("", "  ")) == NO_WORDS


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("advert.pdf", text_pdf("Senior developer", "Apply by 1 June")[:400]),
        ("advert.docx", word_document("Senior developer")[:-100]),
        ("advert.docx", b"PK\x03\x04" + bytes(2000)),
        # The compression method in the central directory: 99 is none that zipfile knows.
        ("advert.docx", overwritten_zip(b"PK\x01\x02", 10, b"\x63\x00")),
        # ... or 12, bzip2, which these bytes are not.
        ("advert.docx", overwritten_zip(b"PK\x01\x02", 10, b"\x0c\x00")),
        # The first byte of the compressed part, after its name: a reserved block type.
        ("advert.docx", overwritten_zip(b"PK\x03\x04", 30 + len("word/document.xml"), b"\xff")),
        # Where the central directory starts, in the end record: far past where it is.
        ("advert.docx", overwritten_zip(b"PK\x05\x06", 16, b"\x00\x00\xff\xff")),
        ("advert.docx", zipped(("word/document.xml", "<w:document/>"))),
        ("advert.docx", with_part(word_document("Senior"), "word/document.xml", "<w:document")),
    ],
    ids=[
        "truncated pdf",
        "truncated docx",
        "zip header only",
        "unknown compression",
        "not bzip2",
        "corrupt compressed data",
        "wrong offsets",
        "no other parts",
        "broken xml",
    ],
)
def test_a_damaged_file_is_refused(name, content):
    assert refusal(name, content) == DAMAGED


def damage(content, rng):
    damaged = bytearray(content)
    for _byte in range(rng.randint(1, 8)):
        damaged[rng.randrange(8, len(damaged))] = rng.choice(b"<>/\"'=&;: x\x00\xff")
    return bytes(damaged)


@pytest.mark.parametrize("what", ["pdf", "docx", "docx xml"])
def test_damage_anywhere_in_a_file_is_read_or_refused_never_an_error(what):
    rng = random.Random(what)  # noqa: S311 - the same damage every time, not security
    document = word_document("Senior developer")
    with zipfile.ZipFile(io.BytesIO(document)) as original:
        xml = original.read("word/document.xml")
    damaged = {
        "pdf": lambda: ("advert.pdf", damage(text_pdf("Senior developer"), rng)),
        "docx": lambda: ("advert.docx", damage(document, rng)),
        "docx xml": lambda: (
            "advert.docx",
            with_part(document, "word/document.xml", damage(xml, rng)),
        ),
    }[what]
    outcomes = set()
    for _attempt in range(150):
        try:
            outcomes.add(type(read_advert(upload(*damaged()))))
        except CannotRead as error:
            outcomes.add(str(error))
    assert DAMAGED in outcomes
    assert outcomes <= {str, DAMAGED, SCAN, NO_WORDS, WRONG_TYPE}


def test_a_small_pdf_that_unpacks_to_megabytes_is_refused_not_read():
    pdf = text_pdf("Senior developer", padding=3_000_000)
    assert len(pdf) < 10_000
    assert refusal("advert.pdf", pdf) == (
        "The file could not be read: it may be damaged. Save it again and upload it, "
        "or paste the text instead."
    )
    assert read_advert(upload("advert.pdf", text_pdf("Senior developer", padding=500_000))) == (
        "Senior developer"
    )


def test_a_word_document_of_thousands_of_empty_paragraphs_is_refused_quickly():
    document = docx.Document()
    for _ in range(6000):
        document.add_paragraph("")
    out = io.BytesIO()
    document.save(out)
    started = time.perf_counter()
    assert refusal("advert.docx", out.getvalue()) == (
        "The Word document is too long to check. Paste the advert itself instead."
    )
    # A guard against reading each paragraph's style by walking every style (minutes for a
    # crafted file), not a speed target.
    assert time.perf_counter() - started < 5
