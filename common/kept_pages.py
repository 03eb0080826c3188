"""Public pages, and parts of them, kept ready-rendered in each web process's own memory.

A page or part is kept under a key naming everything it depends on that can change (the
public pages' revision, ``common.revisions``, read from the database at most once a second;
the language; a version or a digest of what it shows) together with the moment until which
it holds, for what changes with the time of day. It is rendered again when its key changes
or that moment passes. The "pages" cache is per process by design: a revision read from the
database is what keeps processes consistent, and a restart after a deployment starts each
one empty, so changed templates are never served stale.
"""

import datetime
import functools
import hashlib
import math
import pickle
import secrets
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.translation import get_language

from . import revisions


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


def changes_at(provider: Callable[[datetime.datetime], datetime.datetime | None]):
    """Register when the pages kept whole next change with no one editing anything
    (``provider(now)``, None for never): a questionnaire opening or closing, a meeting
    starting, a date passing (in an AppConfig.ready)."""
    _CHANGES_AT.append(provider)
    return provider


_CHANGES_AT: list[Callable[[datetime.datetime], datetime.datetime | None]] = []


def next_change(now: datetime.datetime) -> datetime.datetime:
    """The soonest moment after ``now`` at which a page kept whole may change by itself."""
    moments = [provider(now) for provider in _CHANGES_AT]
    return min([FOREVER, *(moment for moment in moments if moment is not None)])


# Stands in a page kept whole for the CSRF token of each visitor it is served to: the
# page's forms work for everyone, each with their own token. Random in each process, as
# the pages kept are.
CSRF_HOLE = f"csrf{secrets.token_hex(16)}"


def whole(view):
    """A public page kept whole, under the public pages' revision (``common.revisions``),
    its address, its language and the portal's release, until it may change by itself
    (``next_change``), for every visitor to whom it is the same: one who has no session
    and no message waiting, asking without a query string (each would be kept apart,
    crowding out the rest). Everyone else, and everyone with DEBUG on (`make run`, where
    templates are edited while it runs), gets the page rendered for them.

    A page with no form is sent with an ETag naming what it was made from: a repeat visit
    that sends it back is answered ``304 Not Modified``. A page with forms is kept with a
    hole for the CSRF token (``CSRF_HOLE``), filled with each visitor's own as it is sent.
    Only a 200 is kept, and never one that tied itself to its visitor as it was rendered
    (a session written, a cookie set, a CSRF token taken other than through the hole)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if _plain(request) and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return served_whole(request, lambda: view(request, *args, **kwargs))
        return view(request, *args, **kwargs)

    return wrapped


def may_keep_whole(request) -> bool:
    """For a view whose page is the same for a visitor with a session as for everyone
    unless the session holds something of theirs for it (a resident's answers to a page):
    whether the rest allows keeping it whole (``whole``): not signed in, no message waiting,
    no query string, DEBUG off."""
    return (
        _plain(request)
        and not getattr(request, "keeping_whole", False)  # ``whole`` is keeping it already
        and not request.user.is_authenticated
        and len(messages.get_messages(request)) == 0
    )


def served_whole(request, render: Callable[[], HttpResponse], *, kind: str = ""):
    """The page ``render()`` makes, kept whole as ``whole`` keeps it, and apart for each
    ``kind`` of page at the same address (the version of a questionnaire, say)."""
    store = caches["pages"]
    now = timezone.now()
    # The address whole (a page may name itself in full), the language and what it shows.
    made_from = (
        f"{revisions.of_request(request)}:{request.scheme}://{request.get_host()}"
        f"{request.path}:{get_language()}:{release()}:{kind}"
    )
    key = f"whole:{hashlib.sha256(made_from.encode()).hexdigest()}"
    entry = store.get(key)
    if entry is not None and entry[1] <= now < entry[2]:
        body, content_type, etag = entry[0]
        response = HttpResponse(body, content_type=content_type)
    else:
        holds_until = next_change(now)
        response = _rendered_to_keep(request, render)
        if response.streaming:
            return response
        if response.status_code != 200 or _made_personal(request, response):
            return _filled(request, response)
        etag = None
        if CSRF_HOLE.encode() not in response.content:
            made = f"{key}:{holds_until.isoformat()}".encode()
            etag = quote_etag(hashlib.sha256(made).hexdigest()[:32])
        content = (response.content, response["Content-Type"], etag)
        _keep(store, key, content, now, None if holds_until == FOREVER else holds_until)
    if etag is None:
        return _filled(request, response)
    response = get_conditional_response(request, etag=etag) or response
    response["ETag"] = etag
    # Kept by browsers, asked about again each time: a 304 costs the server almost nothing.
    patch_cache_control(response, no_cache=True)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def served_to_account(
    request, render: Callable[[], HttpResponse], *, shows: str, reads=(), kind: str = ""
):
    """The page ``render()`` makes for the signed-in person asking, kept for them alone as
    ``whole`` keeps public pages: under what it shows that no revision covers (``shows``:
    the version of its figures and the grouping chosen, say), the public pages' revision,
    what the account may do (the layout shows what it may open: its stamp and what was
    read under it), its address, language and the portal's release, until it may change by
    itself. One entry per account, page and ``kind`` (the grouping shown, say), replaced as
    any of that changes.

    Only for a view that has already checked the account may see it (``staff_required``),
    on every request: keeping the page saves rendering it, never the check. Rendered
    afresh with DEBUG on, for a message waiting, for a query string naming anything but
    ``reads`` (which ``shows`` must then cover), and kept only as ``whole`` keeps pages (a
    200, not tied to the request as it was rendered); never with an ETag."""
    user = request.user
    if (
        settings.DEBUG
        or request.method not in ("GET", "HEAD")
        or not set(request.GET) <= set(reads)
        or len(messages.get_messages(request)) > 0
    ):
        return render()
    store = caches["pages"]
    now = timezone.now()
    key = f"account:{user.pk}:{request.path}:{kind}"
    access = user.access
    made_from = digest(
        (
            revisions.of_request(request),
            f"{request.scheme}://{request.get_host()}",
            get_language(),
            release(),
            user.access_stamp,
            user.is_superuser,
            user.is_staff,
            # Read again at most every few minutes even under one stamp (a change made
            # around the signals): the page follows it as the access check does.
            sorted(access.group_names),
            access.has_mfa,
            sorted(access.user_permissions | access.group_permissions),
            shows,
        )
    )
    entry = store.get(key)
    if entry is not None and entry[0] == made_from and now < entry[3]:
        return _filled(request, HttpResponse(entry[1], content_type=entry[2]))
    holds_until = next_change(now)
    response = _rendered_to_keep(request, render)
    if response.streaming or response.status_code != 200 or _made_personal(request, response):
        return _filled(request, response)
    store.set(key, (made_from, response.content, response["Content-Type"], holds_until), None)
    return _filled(request, response)


def _rendered_to_keep(request, render: Callable[[], HttpResponse]) -> HttpResponse:
    """``render()``'s page, made with a hole for the CSRF token (``portal`` context)."""
    request.keeping_whole = True
    try:
        return render()
    finally:
        request.keeping_whole = False


def _plain(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not settings.DEBUG
        and not request.META.get("QUERY_STRING")
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _filled(request, response):
    """The response with the visitor's own CSRF token in its hole, if it has one."""
    if CSRF_HOLE.encode() in response.content:
        response.content = response.content.replace(CSRF_HOLE.encode(), get_token(request).encode())
    return response


def _made_personal(request, response) -> bool:
    """Whether rendering the page tied it to this visitor (a session write, a cookie set,
    a CSRF token taken but through the hole)."""
    session = getattr(request, "session", None)
    return (
        bool(response.cookies)
        or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        or bool(session is not None and session.modified)
    )
