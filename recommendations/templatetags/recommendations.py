from django import template
from django.utils.html import format_html

from milestones import dates

register = template.Library()

TAG_COLOURS = {
    "proposed": "govuk-tag--grey",
    "accepted": "govuk-tag--blue",
    "in_progress": "govuk-tag--light-blue",
    "done": "govuk-tag--green",
    "not_taken_forward": "govuk-tag--orange",
}


@register.simple_tag
def status_tag(status: str, label: str):
    """A recommendation's status as a GOV.UK tag (its words say it; colour only helps)."""
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', TAG_COLOURS.get(status, ""), label
    )


@register.simple_tag
def precise_date(day, precision: str):
    """A date in a ``<time>`` element, at the precision it was given (a month, or a day)."""
    if day is None:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>', dates.iso(day, precision), dates.display(day, precision)
    )
