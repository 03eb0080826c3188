from django import template
from django.utils.html import format_html

from reporting import tables
from reporting.breakdowns import withheld_as

register = template.Library()


@register.filter
def in_parts(breakdown):
    """A breakdown as the tables that fit the page, a few groups each
    (``reporting.tables.in_parts``)."""
    return tables.in_parts(breakdown)


@register.simple_tag
def figure(value, threshold=None, percent=True):
    """A count from ``reporting.breakdowns``, as published: "fewer than 5" for a small
    count, "hidden" for one hidden to protect it, else the count and its percentage."""
    withheld = withheld_as(value, threshold)
    if withheld is not None:
        return withheld
    if percent and value.shown_percent is not None:
        return format_html(
            '{}&nbsp;<span class="portal-secondary-text">({}%)</span>',
            value.count,
            value.shown_percent,
        )
    return str(value.count)
