"""Redis as a cache that may go away.

Everything in Redis can be rebuilt (pages, cards, throttle counts; sessions and the version
tokens entries are keyed by live in the database), so while Redis can't be reached the site
answers uncached rather than failing: reads miss, writes are dropped, and a warning is logged.
After a failure the backend leaves Redis alone for a moment instead of paying a connection
error per call.
"""

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django_prometheus.cache.metrics import (
    django_cache_get_fail_total,
    django_cache_get_total,
    django_cache_hits_total,
    django_cache_misses_total,
)
from redis.exceptions import RedisError

logger = logging.getLogger("careerguide.cache")

RETRY_AFTER_SECONDS = 2.0


class _Outage:
    """When each Redis server last failed, shared by every thread of the process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.until: dict[str, float] = {}

    def is_on(self, location: str) -> bool:
        return time.monotonic() < self.until.get(location, 0.0)

    def begin(self, location: str, error: Exception) -> None:
        with self.lock:
            already = self.is_on(location)
            self.until[location] = time.monotonic() + RETRY_AFTER_SECONDS
        if not already:
            logger.warning(
                "cache unreachable (%s): serving uncached, rate limits open for now", error
            )


outage = _Outage()


class ReusedClients(RedisCacheClient):
    """Django's client makes a new redis-py client object on every call (half the cost of a
    read, measured by make bench); a redis-py client is thread-safe, so keep one per pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClients
        self.location = server if isinstance(server, str) else ",".join(server)

    def _call(self, name: str, default: Any, *args: Any, always_try: bool = False) -> Any:
        location = self.location
        # A delete is always tried: skipping one would leave a stale copy (a session that was
        # logged out, a version that should have changed) once Redis answers again.
        if outage.is_on(location) and not always_try:
            return default
        try:
            return getattr(super(), name)(*args)
        except RedisError as error:
            outage.begin(location, error)
            return default

    def is_reachable(self) -> bool:
        """Whether Redis answers now (for /readyz)."""
        try:
            return bool(self._cache.get_client(None).ping())
        except RedisError as error:
            outage.begin(self.location, error)
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        # django-prometheus' cache figures (/metrics), as its own Redis backend counts them;
        # a read skipped or failed while Redis is away counts as a failure.
        django_cache_get_total.labels(backend="redis").inc()
        missing = object()
        value = self._call("get", missing, key, missing, version)
        if value is missing:
            if outage.is_on(self.location):
                django_cache_get_fail_total.labels(backend="redis").inc()
            else:
                django_cache_misses_total.labels(backend="redis").inc()
            return default
        django_cache_hits_total.labels(backend="redis").inc()
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version, always_try=True)

    def get_many(self, keys, version=None):
        keys = list(keys)
        found = self._call("get_many", None, keys, version)
        django_cache_get_total.labels(backend="redis").inc(len(keys))
        if found is None:
            if keys:
                django_cache_get_fail_total.labels(backend="redis").inc(len(keys))
            return {}
        django_cache_hits_total.labels(backend="redis").inc(len(found))
        django_cache_misses_total.labels(backend="redis").inc(len(keys) - len(found))
        return found

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        # Raising ValueError is what a cache does for a missing key; callers handle it.
        result = self._call("incr", None, key, delta, version)
        if result is None:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version, always_try=True)

    def clear(self):
        return self._call("clear", None, always_try=True)
