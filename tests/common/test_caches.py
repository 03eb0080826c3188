"""The shared cache on Redis (production's, and the bench's): Django's own backend, with
one Redis client kept for each connection pool rather than one made for every call."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from common import ratelimit

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_cache(settings, redis_url):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "common.caches.RedisCache",
            "LOCATION": redis_url.rsplit("/", 1)[0] + "/13",
            "KEY_PREFIX": "test-caches",
        },
    }
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


def test_a_redis_cache_url_is_served_by_the_portal_s_backend():
    shown = subprocess.run(
        [sys.executable, "-c", "from dit_portal import settings; print(settings.CACHES)"],
        cwd=ROOT,
        env={**os.environ, "CACHE_URL": "redis://127.0.0.1:6379/13", "DEBUG": "true"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "'BACKEND': 'common.caches.RedisCache'" in shown


def test_one_client_serves_every_call(redis_cache):
    redis_cache.set("seen", {"answers": [1, 2]})
    assert redis_cache.get("seen") == {"answers": [1, 2]}
    client = redis_cache._cache
    assert client.get_client() is client.get_client(write=True)


def test_a_client_s_attempts_are_counted_in_the_shared_cache(redis_cache):
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")
    other = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2")
    attempts = [ratelimit.allow(request, scope="test", limit=2, period=60) for _ in range(3)]
    assert attempts == [True, True, False]
    assert ratelimit.allow(other, scope="test", limit=2, period=60)
