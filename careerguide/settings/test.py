"""Settings for the test suite: the base settings with fast, quiet and local parts."""

import os

# The suite runs with the development defaults, as manage.py does (tests of the production
# configuration start a process with their own environment).
os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: F403

# Hashing passwords properly is slow on purpose; tests don't need that.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the finders, as in development: tests don't run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# A file, not SQLite's shared in-memory database: that one locks whole tables and ignores the
# busy timeout, so tests of concurrent requests (and the browser tests' live server) would fail.
if DATABASES["default"]["ENGINE"].endswith(".sqlite3"):  # noqa: F405
    # One file per test run, so two runs side by side never share (and break) a database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}  # noqa: F405
