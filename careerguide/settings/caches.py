"""The caches and where sessions live, read from the environment (REDIS_URL,
PAGES_REDIS_URL)."""

import os

# Caches: in Redis when REDIS_URL is set (shared by every app instance), otherwise in each
# process's memory. Redis is a cache, never the only copy: sessions live in the database alone,
# the version tokens that cached entries are keyed by too (core.caching), and while Redis is
# unreachable the site answers uncached (core.cache_backend). "default" holds small things
# (throttle counts); "pages" holds whole responses and can live in a Redis of its own
# (PAGES_REDIS_URL), so a flood of pages never evicts the rest.
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
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
        },
    }

# Sessions are read from the database on every request, never from a cached copy: a log-out
# deletes the row, and nothing can bring it back. With cached_db, a log-out while Redis was
# unreachable left the copy there, trusted for the session's whole life once Redis answered
# again. The price is one indexed query per request that reads the session.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
