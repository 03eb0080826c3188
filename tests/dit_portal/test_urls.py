"""The root URLconf lists the apps by how often their pages are asked for (``dit_portal/
urls.py``), which is safe only while no two apps' addresses can match the same path: each
app's start with path segments of its own."""

from django.urls import get_resolver, resolve
from django.urls.resolvers import URLResolver


def _segments_by_app() -> dict[tuple[str, str], set[str]]:
    """(first segment, second for staff/ pages): the apps whose patterns start so."""
    found: dict[tuple[str, str], set[str]] = {}
    for top in get_resolver().url_patterns:
        if not isinstance(top, URLResolver):
            continue
        app = top.urlconf_name if isinstance(top.urlconf_name, str) else repr(top.pattern)
        for pattern in top.url_patterns:
            parts = f"{top.pattern}{pattern.pattern}".split("/")
            second = parts[1] if parts[0] == "staff" and len(parts) > 1 else ""
            found.setdefault((parts[0], second), set()).add(getattr(app, "__name__", str(app)))
    return found


def test_no_two_apps_share_where_their_addresses_start():
    shared = {start: apps for start, apps in _segments_by_app().items() if len(apps) > 1}
    # The resident consultation pages (in every language) and recommendations' "you said,
    # we did" share consultation/ and "" only: checked below by resolving.
    assert set(shared) <= {("consultation", ""), ("", "")}


def test_the_pages_that_share_a_start_resolve_to_their_own_views():
    assert resolve("/consultation/have-your-say/you-said-we-did/").namespace == "recommendations"
    assert resolve("/consultation/have-your-say/").namespace == "consultation"
    assert resolve("/").url_name == "home"
