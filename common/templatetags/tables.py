"""Headings and pagination of a ``common.tables.Listing``, in GOV.UK markup."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/sortable_header.html")
def sortable_header(listing, key):
    """A ``<th>`` that sorts the table by ``key``, saying how it is sorted now."""
    return {"header": listing.header(key)}


@register.inclusion_tag("includes/pagination.html")
def pagination(listing):
    """GOV.UK pagination for the listing's pages (nothing when there is only one)."""
    return {"listing": listing, "links": listing.links()}
