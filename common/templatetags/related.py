from django import template

from common.related import links_for

register = template.Library()


@register.simple_tag
def related_links(place, obj=None):
    """The links the apps above registered for ``place`` (``common.related``)."""
    return links_for(place, obj)
