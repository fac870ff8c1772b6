"""Whole-response caching for what is the same for everyone: catalog pages and catalog API.

Only requests without a session cookie or an Authorization header are served from (or stored in)
the cache, so nothing personal (a username in the menu, a flash message) is ever shared. Keys
carry the catalog's version, which changes whenever an editor saves, so a save shows at once.
"""

import hashlib
import threading
import uuid
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

CATALOG_VERSION_KEY = "catalog-version"
PAGE_TIMEOUT = 60 * 60
LOCAL_PAGES = 512


class LocalPages:
    """A small in-process LRU in front of the shared cache. Its keys carry a version read
    from the shared cache on every request, so an entry is never served once it is stale;
    it only saves fetching (and unpickling) the same page from Redis again and again."""

    def __init__(self, size: int):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def set(self, key, value) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


local_pages = LocalPages(LOCAL_PAGES)


def cached_get(key: str):
    value = local_pages.get(key)
    if value is None:
        value = cache.get(key)
        if value is not None:
            local_pages.set(key, value)
    return value


def cached_set(key: str, value) -> None:
    cache.set(key, value, PAGE_TIMEOUT)
    local_pages.set(key, value)


def catalog_version() -> str:
    version = cache.get(CATALOG_VERSION_KEY)
    if version is None:
        cache.add(CATALOG_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(CATALOG_VERSION_KEY, "")
    return version


def catalog_changed(**kwargs) -> None:
    """A new version (not a counter: an evicted key must never bring old pages back)."""
    cache.set(CATALOG_VERSION_KEY, uuid.uuid4().hex, None)


def watch_for_catalog_changes(*models) -> None:
    for model in models:
        post_save.connect(catalog_changed, sender=model, dispatch_uid=f"catalog-save-{model}")
        post_delete.connect(catalog_changed, sender=model, dispatch_uid=f"catalog-del-{model}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                catalog_changed, sender=field.remote_field.through, dispatch_uid=f"m2m-{field}"
            )


def _is_anonymous_and_cookieless(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _path_hash(request) -> str:
    return hashlib.sha256(request.get_full_path().encode()).hexdigest()


def _cached_or_rendered(key, render, may_store=lambda: True):
    """The stored response for `key`, or a fresh one from `render()`, stored when it is a plain
    200 that sets no cookie (a cookie would be someone's)."""
    stored = cached_get(key)
    if stored is not None:
        content, content_type = stored
        return HttpResponse(content, content_type=content_type)
    response = render()
    if callable(getattr(response, "render", None)):
        response = response.render()  # DRF and template responses render lazily
    if response.status_code == 200 and not response.cookies and may_store():
        cached_set(key, (response.content, response["Content-Type"]))
    return response


def cache_personal_response(version_of):
    """Cache a logged-in person's page per session and per `version_of(request)`, a token that
    changes whenever what the page shows changes. Per session, because the page carries that
    session's CSRF token; never while a flash message is waiting to be shown."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            session = request.session
            if (
                request.method != "GET"
                or not request.user.is_authenticated
                or session.session_key is None
                or "_messages" in session
            ):
                return view(request, *args, **kwargs)
            key = f"personal:{session.session_key}:{version_of(request)}:{_path_hash(request)}"
            return _cached_or_rendered(
                key,
                lambda: view(request, *args, **kwargs),
                # A message added while rendering belongs to this one response only.
                may_store=lambda: "_messages" not in session,
            )

        return wrapper

    return decorator


def cache_public_response(view):
    """Serve the view's response from the cache for anonymous, cookie-less GETs."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _is_anonymous_and_cookieless(request):
            return view(request, *args, **kwargs)
        key = f"page:{catalog_version()}:{_path_hash(request)}"
        return _cached_or_rendered(key, lambda: view(request, *args, **kwargs))

    return wrapper
