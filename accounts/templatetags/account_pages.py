"""What the portal's versions of allauth's pages need beyond allauth's own tags."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def inline_qr_code(svg: str, label: str) -> str:
    """allauth's QR code for an authenticator app, drawn in the page rather than as the
    ``data:`` image allauth offers, which the Content Security Policy refuses (images come
    from the portal only): without its XML declaration, which HTML has no place for, and
    named for screen readers."""
    start = svg.index("<svg") + len("<svg")
    # The SVG is allauth's (from the qrcode library), drawn from the portal's own URL.
    return format_html('<svg role="img" aria-label="{}"', label) + mark_safe(svg[start:])  # noqa: S308
