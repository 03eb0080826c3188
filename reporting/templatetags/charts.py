"""Bar charts drawn as inline SVG on the server: no script, no inline style, so they work
with JavaScript off and under a strict Content Security Policy. Every chart sits beside a
table with the same figures, so the chart itself is hidden from assistive technology."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()

ROW = 28
LABEL_WIDTH = 330
BAR_WIDTH = 300


def _shorten(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@register.simple_tag
def bar_chart(items):
    """``items``: (label, count, percent, suppressed) tuples. Percent sets the bar length;
    ``suppressed`` is False, or the words to show instead of the count."""
    items = list(items)
    if not items:
        return ""
    bars = []
    for index, (label, count, percent, suppressed) in enumerate(items):
        y = index * ROW
        if suppressed:
            value, width = suppressed, 0
        else:
            value = f"{count} ({percent}%)" if percent is not None else str(count)
            width = round(BAR_WIDTH * (percent or 0) / 100, 1)
        bars.append(
            (
                y + 18,
                _shorten(str(label)),
                LABEL_WIDTH,
                y + 5,
                width,
                LABEL_WIDTH + width + 6,
                y + 18,
                value,
            )
        )
    height = len(items) * ROW
    rows = format_html_join(
        "",
        '<text x="0" y="{}" class="chart-label">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="18" class="chart-bar"></rect>'
        '<text x="{}" y="{}" class="chart-value">{}</text>',
        bars,
    )
    return format_html(
        '<svg class="bar-chart" viewBox="0 0 {} {}" aria-hidden="true" focusable="false">{}</svg>',
        LABEL_WIDTH + BAR_WIDTH + 120,
        height,
        rows,
    )


@register.simple_tag
def breakdown_chart(breakdown, threshold=None):
    """The "all respondents" column of a breakdown as a bar chart."""
    return bar_chart(
        (row.label, row.total.count, row.total.shown_percent, _hidden_as(row.total, threshold))
        for row in breakdown.rows
    )


def _hidden_as(figure, threshold) -> str | bool:
    if figure.complementary:
        return _("hidden")
    if figure.suppressed:
        return _("fewer than %(n)s") % {"n": threshold}
    return False
