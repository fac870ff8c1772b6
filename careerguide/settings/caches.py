"""The caches and where sessions live, read from the environment (REDIS_URL,
PAGES_REDIS_URL)."""

import os

# Caches: in Redis when REDIS_URL is set (shared by every app instance), otherwise in each
# process's memory. Redis is a cache, never the only copy: sessions live in the database with
# a copy in the cache (cached_db), and while Redis is unreachable the site answers uncached
# (core.cache_backend). "default" holds small things (throttle counts, session copies; the
# version tokens that cached entries are keyed by live in the database, see core.caching);
# "pages" holds whole responses and can live in a Redis of its own (PAGES_REDIS_URL), so a
# flood of pages never evicts the rest.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
PAGES_REDIS_URL = os.environ.get("PAGES_REDIS_URL", "").strip() or REDIS_URL
REDIS_OPTIONS = {
    # Fail fast: a Redis that hangs must not hold up a request for long.
    "socket_connect_timeout": 0.5,
    "socket_timeout": 0.5,
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache_backend.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "careerguide",
            "OPTIONS": REDIS_OPTIONS,
        },
        "pages": {
            "BACKEND": "core.cache_backend.FailOpenRedisCache",
            "LOCATION": PAGES_REDIS_URL,
            "KEY_PREFIX": "careerguide-pages",
            "OPTIONS": REDIS_OPTIONS,
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
