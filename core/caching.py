"""Everything the site keeps in its cache: every key, every version read and bump, and the
response caches the views declare. No other module calls the cache API.

What is cached, and what makes it stale:

- Public pages and the catalog API, for anonymous, cookie-less GETs (`cache_public_page`):
  keyed by the catalog version, which changes whenever an editor saves a catalog or quiz row
  (`settings.CATALOG_MODELS`), so a save shows at once.
- A signed-in person's page (`cache_personal_page`), per session (the page holds that
  session's CSRF token) and per history version, which changes with their assessments.
- A person's API answers (`cached_user_response`), per user and history version.
- A quiz version's scoring data (`scoring_data`), per catalog version.

Versions are random tokens, not counters, so an evicted key never brings old entries back.
A bump happens at once (this transaction's own next read is fresh) and again once the
transaction commits: a request that read the old rows in between may have stored them under
the new token, and the second bump orphans that entry.
"""

import hashlib
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse

ENTRY_TIMEOUT = 60 * 60  # seconds a cached response or scoring table lives at most
LOCAL_ENTRIES = 512  # responses kept in each process's own memory

# Headers a view sets that a replayed response must carry too (cookies never: they'd be
# someone's). Middleware headers (CSP, X-Frame-Options...) are added on every response anyway.
REPLAYED_HEADERS = (
    "Content-Type",
    "Cache-Control",
    "Expires",
    "Vary",
    "Content-Language",
    "Content-Disposition",
)


# Keys ---------------------------------------------------------------------------------------


def catalog_version_key() -> str:
    return "catalog-version"


def history_version_key(user_id: int) -> str:
    return f"history-version:{user_id}"


def public_page_key(*, catalog: str, path: str) -> str:
    return f"page:{catalog}:{_digest(path)}"


def personal_page_key(*, session_key: str, history: str, path: str) -> str:
    return f"personal:{session_key}:{history}:{_digest(path)}"


def user_response_key(*, user_id: int, history: str, path: str) -> str:
    return f"user:{user_id}:{history}:{_digest(path)}"


def scoring_key(*, version_id: int, catalog: str) -> str:
    return f"scoring:{version_id}:{catalog}"


def _digest(path: str) -> str:
    return hashlib.sha256(path.encode()).hexdigest()


# Versions -----------------------------------------------------------------------------------


def _version(key: str) -> str:
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)  # add: two first readers agree on one token
        version = cache.get(key, "")
    return version


def _forget_now_and_on_commit(key: str) -> None:
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def catalog_version() -> str:
    """The token that changes whenever catalog or quiz content changes."""
    return _version(catalog_version_key())


def catalog_changed(**signal_kwargs: Any) -> None:
    """Make every page, API answer and scoring table built from the catalog stale."""
    _forget_now_and_on_commit(catalog_version_key())


def history_version(user_id: int) -> str:
    """The token that changes whenever the person's assessments change."""
    return _version(history_version_key(user_id))


def history_changed(user_id: int | None) -> None:
    """Make what is cached about the person's history stale."""
    if user_id is not None:
        _forget_now_and_on_commit(history_version_key(user_id))


def watch_catalog_models() -> None:
    """Connect catalog_changed to every save and delete of the models in
    settings.CATALOG_MODELS (the one list of what counts as catalog content)."""
    for label in settings.CATALOG_MODELS:
        model = apps.get_model(label)
        post_save.connect(catalog_changed, sender=model, dispatch_uid=f"catalog-save-{label}")
        post_delete.connect(catalog_changed, sender=model, dispatch_uid=f"catalog-delete-{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(catalog_changed, sender=through, dispatch_uid=f"catalog-{field}")


# Entries: an in-process LRU in front of the shared cache ------------------------------------


class LocalEntries:
    """A small LRU in each process. Every key it holds carries a version token read from the
    shared cache on each request, so it never serves a stale entry; it saves fetching and
    unpickling the same response from Redis again and again."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[str, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def set(self, key: str, value: Any) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


local_entries = LocalEntries(LOCAL_ENTRIES)


def _get(key: str) -> Any:
    value = local_entries.get(key)
    if value is None:
        value = cache.get(key)
        if value is not None:
            local_entries.set(key, value)
    return value


def _set(key: str, value: Any) -> None:
    cache.set(key, value, ENTRY_TIMEOUT)
    local_entries.set(key, value)


def clear_all() -> None:
    """Empty the shared cache and this process's LRU (tests start from nothing)."""
    cache.clear()
    local_entries.clear()


def scoring_data(*, version_id: int, build: Callable[[], Any]) -> Any:
    """A quiz version's scoring data: cached per catalog version, else `build()` and stored."""
    key = scoring_key(version_id=version_id, catalog=catalog_version())
    value = _get(key)
    if value is None:
        value = build()
        _set(key, value)
    return value


# Responses ----------------------------------------------------------------------------------


def _stored(response: HttpResponse) -> tuple[bytes, dict[str, str]]:
    headers = {name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)}
    return response.content, headers


def _replayed(stored: tuple[bytes, dict[str, str]]) -> HttpResponse:
    content, headers = stored
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response


def _cached_or_rendered(
    key: str, render: Callable[[], HttpResponse], may_store: Callable[[], bool] = lambda: True
) -> HttpResponse:
    """The stored response for `key`, or a fresh one from `render()`, stored when it is a
    plain 200 that sets no cookie (a cookie would be someone's)."""
    stored = _get(key)
    if stored is not None:
        return _replayed(stored)
    response = render()
    render_now = getattr(response, "render", None)
    if callable(render_now):
        response = render_now()  # DRF and template responses render lazily
    if response.status_code == 200 and not response.cookies and may_store():
        _set(key, _stored(response))
    return response


def _is_cookieless_get(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def cache_public_page(view):
    """A view whose answer is the same for everyone: served from the cache for anonymous,
    cookie-less GETs (nothing personal, such as a name in the menu, can be shared)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _is_cookieless_get(request):
            return view(request, *args, **kwargs)
        key = public_page_key(catalog=catalog_version(), path=request.get_full_path())
        return _cached_or_rendered(key, lambda: view(request, *args, **kwargs))

    return wrapper


def cache_personal_page(view):
    """A signed-in person's page that changes only with their history: cached per session
    (it carries that session's CSRF token), never while a flash message waits to be shown."""

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
        key = personal_page_key(
            session_key=session.session_key,
            history=history_version(request.user.pk),
            path=request.get_full_path(),
        )
        return _cached_or_rendered(
            key,
            lambda: view(request, *args, **kwargs),
            # A message added while rendering belongs to this one response only.
            may_store=lambda: "_messages" not in session,
        )

    return wrapper


def cached_user_response(
    *, user_id: int, path: str, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """An API answer about the person's own history, cached until that history changes."""
    key = user_response_key(user_id=user_id, history=history_version(user_id), path=path)
    return _cached_or_rendered(key, render)
