"""What the gates need to know about the URLconf: every named URL pattern of the portal."""

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            if namespace and inner:
                inner = f"{namespace}:{inner}"
            yield from _walk(pattern.url_patterns, inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def url_names() -> list[str]:
    """Every named URL of the portal, in URLconf order, each once."""
    return list(dict.fromkeys(_walk(get_resolver().url_patterns)))
