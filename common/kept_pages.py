"""Parts of public pages kept ready-rendered in each web process's own memory.

A part is kept under a key naming everything it depends on that can change (a revision
token read from the database on every request, the language) together with the moment
until which it holds, for parts that change with the time of day. It is rendered again
when its key changes or that moment passes. The "pages" cache is per process by design:
a revision read from the database is what keeps processes consistent, and a restart after
a deployment starts each one empty, so changed templates are never served stale.
"""

import datetime
import functools
import hashlib
import math
import pickle
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag


def fragment(key: str, render: Callable[[], tuple[str, datetime.datetime | None]]) -> str:
    """The HTML kept under ``key``, or what ``render()`` returns as (html, valid until);
    None for HTML that depends on nothing but its key, kept until memory runs short."""
    return kept(key, render)[0]


def kept(key: str, render: Callable[[], tuple[str, datetime.datetime | None]]):
    """As ``fragment``, with the moment the HTML holds until (None: while its key holds)."""
    store = caches["pages"]
    now = timezone.now()
    entry = store.get(key)
    if entry is not None:
        html, made_at, valid_until = entry
        if made_at <= now < valid_until:
            return html, None if valid_until == FOREVER else valid_until
    html, valid_until = render()
    _keep(store, key, html, now, valid_until)
    return html, valid_until


FOREVER = datetime.datetime.max.replace(tzinfo=datetime.UTC)


def made_from(key: str, value, render: Callable[[], str]) -> str:
    """HTML made from ``value`` alone (figures, say), kept under ``key`` with a digest of
    the value: rendered again only when the value differs, whatever changed it. One entry
    per key, replaced, so values that keep changing do not crowd out the other pages."""
    store = caches["pages"]
    made = digest(value)
    entry = store.get(key)
    if entry is not None and entry[0] == made:
        return entry[1]
    html = render()
    store.set(key, (made, html), None)
    return html


def digest(value) -> str:
    """The same value gives the same digest, whatever read it; a changed one, another.
    Cheaper than rendering by far."""
    return hashlib.sha256(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()[:32]


def _keep(store, key, value, now, valid_until):
    if valid_until is None:
        store.set(key, (value, now, FOREVER), None)
    else:
        seconds = math.ceil((valid_until - now).total_seconds())
        store.set(key, (value, now, valid_until), timeout=max(seconds, 1))


@functools.cache
def release() -> str:
    """What the portal's own templates, styles, scripts and translations hold, digested once
    a process: a deployment that changes any of them changes every page's ETag."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for folder in ("templates", "static/css", "static/js", "locale"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix != ".po":
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def page(request, key: str, content: Callable[[], tuple[str, datetime.datetime | None]], render):
    """A public page whose only changing part is the HTML ``content()`` kept under ``key``
    (see ``kept``), rendered around it by ``render(html)``.

    For a visitor who is not signed in and has no message waiting, the whole page is kept
    too, under the key, the address and the portal's release, with an ETag naming them and
    the moment the content holds until: a repeat visit that sends the ETag back is answered
    ``304 Not Modified`` without the page being rendered again, and any other visit from the
    page kept. A page that set a cookie or used a CSRF token is never kept. Signed-in
    visitors' pages are rendered for them each time (their header names them), and so is
    every page with DEBUG on (`make run`), where templates are edited while it runs, and an
    address with a query string (each would be kept apart, crowding out the rest)."""
    if request.method not in ("GET", "HEAD") or settings.DEBUG or request.GET or _personal(request):
        return render(kept(key, content)[0])
    store = caches["pages"]
    now = timezone.now()
    page_key = f"page:{key}:{request.path}:{release()}"
    entry = store.get(page_key)
    if entry is not None and entry[1] <= now < entry[2]:
        (body, content_type, etag), valid_until = entry[0], entry[2]
        response = get_conditional_response(request, etag=etag) or HttpResponse(
            body, content_type=content_type
        )
    else:
        html, valid_until = kept(key, content)
        response = render(html)
        holds = (valid_until or FOREVER).isoformat()
        etag = quote_etag(hashlib.sha256(f"{page_key}:{holds}".encode()).hexdigest()[:32])
        if response.status_code != 200 or _made_personal(request):
            return response
        _keep(store, page_key, (response.content, response["Content-Type"], etag), now, valid_until)
        response = get_conditional_response(request, etag=etag) or response
    response["ETag"] = etag
    # Kept by browsers, asked about again each time: a 304 costs the server almost nothing.
    patch_cache_control(response, no_cache=True)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def _personal(request) -> bool:
    return request.user.is_authenticated or len(messages.get_messages(request)) > 0


def _made_personal(request) -> bool:
    """Whether rendering the page tied it to this visitor (a CSRF token, a session write)."""
    session = getattr(request, "session", None)
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")) or bool(
        session is not None and session.modified
    )
