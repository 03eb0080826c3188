from django import template
from django.utils.html import format_html

from milestones import dates

register = template.Library()


@register.simple_tag
def activity_dates(activity):
    """The activity's dates in ``<time>`` elements, each at the precision it was given."""
    start = format_html(
        '<time datetime="{}">{}</time>',
        dates.iso(activity.starts_on, activity.starts_precision),
        dates.display(activity.starts_on, activity.starts_precision),
    )
    if activity.ends_on is None:
        return start
    end = format_html(
        '<time datetime="{}">{}</time>',
        dates.iso(activity.ends_on, activity.ends_precision),
        dates.display(activity.ends_on, activity.ends_precision),
    )
    return format_html(dates.range_template(), start=start, end=end)
