"""Long staff tables: sorted by the column the reader picks and shown a page at a time.
The choice lives in the address (``?sort=-name&page=3`` beside any filters), so that a view
of a table can be bookmarked, shared and gone back to; links keep the other parameters."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

PER_PAGE = 50


@dataclass(frozen=True)
class Sort:
    """A column the reader may sort by: ``key`` in the address, its heading, and the
    fields (or expressions) it orders by, ascending. Nulls come last either way."""

    key: str
    label: str
    fields: tuple
    numeric: bool = False


@dataclass(frozen=True)
class Header:
    label: str
    href: str
    aria_sort: str  # "ascending", "descending" or "none", as ``aria-sort`` takes it
    numeric: bool


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: an ellipsis between page numbers
    href: str = ""
    current: bool = False


class Listing:
    """One page of a sorted table, and what its headings and pagination link to."""

    def __init__(
        self,
        query: QueryDict,
        queryset: QuerySet,
        sorts: Sequence[Sort],
        *,
        default: str,
        per_page: int = PER_PAGE,
    ):
        self.sorts = {sort.key: sort for sort in sorts}
        wanted = query.get("sort", default)
        key = wanted.removeprefix("-")
        if key not in self.sorts:
            wanted, key = default, default.removeprefix("-")
        self.key, self.descending = key, wanted.startswith("-")
        self.query = query
        ordering = []
        for field in self.sorts[key].fields:
            expression = F(field) if isinstance(field, str) else field
            ordering.append(
                expression.desc(nulls_last=True)
                if self.descending
                else expression.asc(nulls_last=True)
            )
        paginator = Paginator(queryset.order_by(*ordering, "pk"), per_page)
        self.page: Page = paginator.get_page(query.get("page"))

    def __iter__(self):
        return iter(self.page)

    def href(self, **changes) -> str:
        """This table's address with ``changes`` to its parameters (None drops one)."""
        query = self.query.copy()
        for name, value in changes.items():
            query.pop(name, None)
            if value is not None:
                query[name] = value
        return f"?{query.urlencode()}" if query else "?"

    def header(self, key: str) -> Header:
        """A sortable heading: it links to the table sorted by it (the other way if it is
        already), from the first page."""
        sort = self.sorts[key]
        if key != self.key:
            return Header(sort.label, self.href(sort=key, page=None), "none", sort.numeric)
        flipped = key if self.descending else f"-{key}"
        state = "descending" if self.descending else "ascending"
        return Header(sort.label, self.href(sort=flipped, page=None), state, sort.numeric)

    @property
    def summary(self) -> str:
        count = self.page.paginator.count
        if self.page.paginator.num_pages <= 1:
            return ""
        return _("Showing %(first)s to %(last)s of %(count)s") % {
            "first": self.page.start_index(),
            "last": self.page.end_index(),
            "count": count,
        }

    def links(self) -> list[PageLink]:
        """The page numbers to show: the first and last, two either side of this one, and
        an ellipsis for each gap (none when there is one page)."""
        paginator = self.page.paginator
        if paginator.num_pages <= 1:
            return []
        links = []
        for number in paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1):
            if number == paginator.ELLIPSIS:
                links.append(PageLink(None))
            else:
                links.append(PageLink(number, self.href(page=number), number == self.page.number))
        return links

    @property
    def previous_href(self) -> str:
        return self.href(page=self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_href(self) -> str:
        return self.href(page=self.page.next_page_number()) if self.page.has_next() else ""
