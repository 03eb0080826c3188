"""The one CSV writer: every CSV the portal produces is streamed through it.

A spreadsheet reads a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula, so such a cell is written with a leading ``'`` (OWASP's advice):
typed answers, organisation names and staff's own labels never run. The file starts with a
byte-order mark so that spreadsheet programs read it as UTF-8.

An export is described by its ``Column``s: the header, each row's values and the data
dictionary beside the download all come from the same list, so they cannot drift apart. A
coded answer is two columns (``coded``): its label, then its code (``<name>_code``).
"""

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import StreamingHttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text of ``rows``, a line at a time, every cell made inert."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([inert(value) for value in row])


def csv_download(rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    """``rows`` as a CSV file to download, streamed: the first bytes leave at once."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Several answers to one question in one cell: labels are joined for reading, codes for
# splitting (a code never holds a ";", a label staff typed may).
LABEL_SEPARATOR = "; "
CODE_SEPARATOR = ";"

TEXT = _("text")
NUMBER = _("number")
DATETIME = _("date and time (ISO 8601, with its offset from UTC)")
LABEL = _("label of the code in the next column")
LABELS = _("labels, separated by “; ”, in the order of the codes in the next column")
CODE = _("code (its labels are listed below)")
CODES = _("codes, separated by “;” (their labels are listed below)")
COUNT = _("count as published: a number, or words where it is withheld")
PERCENT = _("percentage, or blank where it is withheld")

DICTIONARY_HEADER = ["column", "description", "type", "code", "label"]


@dataclass(frozen=True)
class Code:
    """A value a code column may hold, with its label; ``note`` says where it applies
    when the same column holds codes of different lists."""

    code: str
    label: str
    note: str = ""


@dataclass(frozen=True)
class Column:
    """One column of an export: its header, what it holds and its type (for the data
    dictionary), the codes it may hold, and its value in a row (``value(record)``)."""

    name: str
    description: str
    type: str
    value: Callable[[Any], Any]
    codes: Sequence[Code] = ()


def codes_of(choices: Iterable[tuple[object, object]], note: str = "") -> list[Code]:
    """(code, label) pairs, as model choices give them, as ``Code``s."""
    return [Code(str(code), str(label), note) for code, label in choices]


def labelled(
    name: str,
    description: str,
    codes: Sequence[Code],
    label_of: Callable[[Any], object],
    code_of: Callable[[Any], object],
    *,
    many: bool = False,
    code_name: str = "",
    blank: bool = False,
) -> list[Column]:
    """An answer as two columns: ``name``, its label (``label_of(record)``), and
    ``name_code`` (or ``code_name``), its code (``code_of(record)``), which ``codes`` list.
    ``blank``: both are blank where the question was not answered."""
    code_name = code_name or f"{name}_code"
    if many and blank:
        label = gettext(
            "%(description)s: their labels, blank if none (their codes are in %(column)s)"
        )
        code = gettext("%(description)s: their codes, blank if none")
    elif many:
        label = gettext("%(description)s: their labels (their codes are in %(column)s)")
        code = gettext("%(description)s: their codes")
    elif blank:
        label = gettext(
            "%(description)s: its label, blank if not answered (its code is in %(column)s)"
        )
        code = gettext("%(description)s: its code, blank if not answered")
    else:
        label = gettext("%(description)s: its label (its code is in %(column)s)")
        code = gettext("%(description)s: its code")
    words = {"description": description, "column": code_name}
    return [
        Column(name, label % words, LABELS if many else LABEL, label_of),
        Column(code_name, code % words, CODES if many else CODE, code_of, tuple(codes)),
    ]


def coded(
    name: str,
    description: str,
    codes: Sequence[Code],
    code_of: Callable[[Any], object],
    *,
    many: bool = False,
    blank: bool = True,
) -> list[Column]:
    """A coded answer as its label and code columns (``labelled``), the label looked up
    from ``codes``. ``code_of(record)`` gives the code, or for a question with several
    answers the codes in order (labels and codes are then joined in that same order). A
    blank code (the question was not answered) has a blank label; an unlisted code is its
    own label. ``blank=False`` for an answer that is always given."""
    labels = {code.code: code.label for code in codes}

    def one(record) -> str:
        value = code_of(record)
        return "" if value is None else str(value)

    if many:

        def label(record):
            return LABEL_SEPARATOR.join(labels.get(str(c), str(c)) for c in code_of(record))

        def code(record):
            return CODE_SEPARATOR.join(str(c) for c in code_of(record))

    else:

        def label(record):
            value = one(record)
            return labels.get(value, value)

        code = one

    return labelled(name, description, codes, label, code, many=many, blank=blank)


def table_rows(columns: Sequence[Column], records: Iterable) -> Iterator[list]:
    """The header of ``columns``, then one row for each record."""
    yield [column.name for column in columns]
    values = [column.value for column in columns]
    for record in records:
        yield [value(record) for value in values]


def dictionary_rows(columns: Sequence[Column]) -> Iterator[list]:
    """The data dictionary of an export: a row for each column, in the export's order
    (its name, what it holds, its type), and after each code column a row for each code
    it may hold, with its label."""
    yield DICTIONARY_HEADER
    for column in columns:
        yield [column.name, str(column.description), str(column.type), "", ""]
        for code in column.codes:
            yield [column.name, str(code.note), "", code.code, str(code.label)]
