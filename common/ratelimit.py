"""A small per-client rate limit for public forms.

Only a short-lived keyed hash of the client's address is kept, in the cache: never the
address itself, and never beside what the person sent.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The client's address, trusting exactly ``NUM_PROXIES`` proxies in front of us."""
    if settings.NUM_PROXIES:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        if len(forwarded) >= settings.NUM_PROXIES:
            return forwarded[-settings.NUM_PROXIES]
    return request.META.get("REMOTE_ADDR", "")


def _key(scope: str, request) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256
    ).hexdigest()
    return f"ratelimit:{scope}:{digest}"


def allow(request, *, scope: str, limit: int, period: int) -> bool:
    """Count one attempt; False once this client made more than ``limit`` in ``period`` s."""
    key = _key(scope, request)
    if cache.add(key, 1, timeout=period):
        return limit >= 1  # this client's first attempt in the period: one round trip
    try:
        count = cache.incr(key)
    except ValueError:
        # The entry expired between add and incr: this is the first attempt of a new period.
        cache.set(key, 1, timeout=period)
        count = 1
    return count <= limit
