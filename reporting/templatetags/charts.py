"""Bar charts drawn as inline SVG on the server: no script, no inline style, so they work
with JavaScript off and under a strict Content Security Policy. Every chart sits beside a
table with the same figures, so the chart itself is hidden from assistive technology.

Nothing is told by colour alone: every bar has its label and its figure written beside it,
and labels are wrapped, never cut short."""

import textwrap

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from reporting.breakdowns import in_words, ordered_rows, withheld_as

register = template.Library()

LINE = 16  # height of a line of 13px text
GAP = 8
LABEL_WIDTH = 300
LABEL_CHARS = 44  # what fits in LABEL_WIDTH at 13px
BAR_WIDTH = 300
VALUE_WIDTH = 150
WIDTH = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
HEADING_CHARS = 100


def _text(x: float, y: float, lines: list[str], css: str) -> SafeString:
    """Lines of text as one <text> element, each line a <tspan>."""
    spans = format_html_join(
        "",
        '<tspan x="{}" dy="{}">{}</tspan>',
        ((x, 0 if i == 0 else LINE, line) for i, line in enumerate(lines)),
    )
    return format_html('<text x="{}" y="{}" class="{}">{}</text>', x, y, css, spans)


def _bar(y: float, label: str, value: str, percent: float | None, css: str) -> tuple[list, int]:
    """One bar with its label at the left and its figure at its end; and its height."""
    lines = textwrap.wrap(str(label), LABEL_CHARS) or [""]
    width = round(BAR_WIDTH * (percent or 0) / 100, 1)
    parts = [
        _text(0, y + 13, lines, "chart-label"),
        format_html(
            '<rect x="{}" y="{}" width="{}" height="18" class="{}"></rect>',
            LABEL_WIDTH,
            y + 1,
            width,
            css,
        ),
        _text(LABEL_WIDTH + width + 6, y + 15, [value], "chart-value"),
    ]
    return parts, max(len(lines) * LINE, 20) + GAP


def _svg(parts: list, height: int) -> SafeString:
    return format_html(
        '<svg class="bar-chart" viewBox="0 0 {} {}" aria-hidden="true" focusable="false">{}</svg>',
        WIDTH,
        height,
        format_html_join("", "{}", ((part,) for part in parts)),
    )


@register.simple_tag
def bar_chart(items):
    """``items``: (label, count, percent, suppressed) tuples, drawn in the order given.
    Percent sets the bar length; ``suppressed`` is False, or the words to show instead of
    the count."""
    parts, y = [], 0
    for label, count, percent, suppressed in items:
        if suppressed:
            value, percent = suppressed, None
        else:
            value = f"{count} ({percent}%)" if percent is not None else str(count)
        bar, height = _bar(y, label, value, percent, "chart-bar")
        parts += bar
        y += height
    return _svg(parts, y) if parts else ""


def _shown(figure, threshold) -> tuple[str, float | None]:
    """What a reader may see of a figure: its words and the length of its bar."""
    hidden = withheld_as(figure, threshold) is not None
    return in_words(figure, threshold), None if hidden else figure.shown_percent


@register.simple_tag
def breakdown_chart(breakdown, threshold=None):
    """Small multiples: for each answer (most given first), a bar for all respondents and
    one for each group, as the percentage of that group who gave it, so the groups can be
    compared on one scale."""
    parts, y = [], 0
    for row in ordered_rows(breakdown, threshold):
        heading = textwrap.wrap(str(row.label), HEADING_CHARS) or [""]
        parts.append(_text(0, y + 14, heading, "chart-heading"))
        y += len(heading) * LINE + GAP
        bars = [(_("All respondents"), row.total, "chart-bar chart-bar-all")]
        bars += [
            (label, cell, "chart-bar")
            for (_key, label), cell in zip(breakdown.columns, row.cells, strict=True)
        ]
        for label, figure, css in bars:
            value, percent = _shown(figure, threshold)
            bar, height = _bar(y, label, value, percent, css)
            parts += bar
            y += height
        y += GAP * 2
    return _svg(parts, y) if parts else ""
