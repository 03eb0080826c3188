"""The shared cache on Redis (``CACHES["default"]`` wherever ``CACHE_URL`` names Redis):
Django's own backend, with one redis-py client kept for each connection pool.

Django's backend makes a new client for every call. Making one costs about half a round
trip to Redis, and a resident's step reads and writes the cache two to four times. The
client holds no connection of its own (the pool lends one for each command, and starts
afresh in a forked process)."""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
