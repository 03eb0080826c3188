"""The one CSV writer: every CSV the portal produces is streamed through it.

A spreadsheet reads a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula, so such a cell is written with a leading ``'`` (OWASP's advice):
typed answers, organisation names and staff's own labels never run. The file starts with a
byte-order mark so that spreadsheet programs read it as UTF-8.
"""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

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
