"""Parts of public pages kept ready-rendered in each web process's own memory.

A part is kept under a key naming everything it depends on that can change (a revision
token read from the database on every request, the language) together with the moment
until which it holds, for parts that change with the time of day. It is rendered again
when its key changes or that moment passes. The "pages" cache is per process by design:
a revision read from the database is what keeps processes consistent, and a restart after
a deployment starts each one empty, so changed templates are never served stale.
"""

import datetime
import math
from collections.abc import Callable

from django.core.cache import caches
from django.utils import timezone


def fragment(key: str, render: Callable[[], tuple[str, datetime.datetime | None]]) -> str:
    """The HTML kept under ``key``, or what ``render()`` returns as (html, valid until);
    None for HTML that depends on nothing but its key, kept until memory runs short."""
    store = caches["pages"]
    now = timezone.now()
    kept = store.get(key)
    if kept is not None:
        html, made_at, valid_until = kept
        # made_at guards against clocks set back (and tests that travel in time).
        if made_at <= now < valid_until:
            return html
    html, valid_until = render()
    if valid_until is None:
        store.set(key, (html, now, datetime.datetime.max.replace(tzinfo=datetime.UTC)), None)
    else:
        seconds = math.ceil((valid_until - now).total_seconds())
        store.set(key, (html, now, valid_until), timeout=max(seconds, 1))
    return html
