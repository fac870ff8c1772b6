"""Everything the site keeps in its cache: every key, every version read and bump, and the
response caches the views declare. No other module calls the cache API.

What is cached, and what makes it stale:

- Public pages and the catalog API, for anonymous, cookie-less GETs (`cache_public_page`):
  keyed by the catalog version, which changes whenever an editor saves a catalog or quiz row
  (`settings.CATALOG_MODELS`), so a save shows at once in the process that saved it and within
  CATALOG_VERSION_SECONDS in every other; by the site's address; and by the query parameters
  the view reads, exactly as sent (`PageKey`).
- A signed-in person's page (`cache_personal_page`: the profile, their saved results), per
  session (the page holds that session's CSRF token) and per history version, which changes
  with their assessments, read from the shared cache on every request (a deleted result is
  never served, by any process).
- A person's API answers (`cached_user_response`), per user and history version.
- Data built from the catalog, such as a quiz version's scoring table (`catalog_data`).

Every response and every piece of catalog data is kept once per language (the active one is
part of each key): a page's language comes from its address, the API's from Accept-Language.

Versions are random tokens, not counters, so an evicted key never brings old entries back.
A bump happens at once (this transaction's own next read is fresh) and again once the
transaction commits: a request that read the old rows in between may have stored them under
the new token, and the second bump orphans that entry. While the cache can't be reached, no
version can be read and nothing is cached or served from the cache: every answer is fresh.

Whole responses live in the "pages" cache, apart from the "default" one that holds version
tokens, throttle counts and session copies. Only a bounded set of pages is shared there: a
page whose key holds free text (a search) or a value no catalog row has stays in this
process's own small LRU.
"""

import hashlib
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from functools import wraps
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import translation

ENTRY_TIMEOUT = 60 * 60  # seconds a cached response or catalog table lives at most
CATALOG_VERSION_SECONDS = 1.0  # how long a process trusts the catalog version it last read
LOCAL_ENTRIES = 512  # entries kept in each process's own memory (make bench: it pays)
MAX_SHARED_PAGE_NUMBER = 100  # deeper pages of a list are cached in this process only
USER_ENTRIES_KEPT = 200  # a person's cached answers we can name, to delete with the account

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


def _pages():
    return caches["pages"]


# Keys ---------------------------------------------------------------------------------------


def catalog_version_key() -> str:
    return "catalog-version"


def history_version_key(user_id: int) -> str:
    return f"history-version:{user_id}"


def peers_version_key() -> str:
    return "peers-version"


def card_key(*, result: str, variant: str, language: str) -> str:
    return f"card:{result}:{variant}:{language}"


def user_entries_key(user_id: int) -> str:
    return f"user-entries:{user_id}"


def public_page_key(*, catalog: str, site: str, page: tuple[str, "PageKey"]) -> str:
    return f"page:{catalog}:{_digest(site, _page_digest(*page))}"


def personal_page_key(*, session_key: str, history: str, page: tuple[str, "PageKey"]) -> str:
    return f"personal:{session_key}:{history}:{_page_digest(*page)}"


def user_response_key(*, user_id: int, history: str, page: tuple[str, "PageKey"]) -> str:
    return f"user:{user_id}:{history}:{_page_digest(*page)}"


def catalog_data_key(*, name: str, catalog: str) -> str:
    return f"catalog-data:{_digest(name)}:{catalog}:{translation.get_language()}"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _page_digest(path: str, page: "PageKey") -> str:
    # The language too: the API's comes from a header, not from the path as a page's does.
    language = translation.get_language()
    return _digest(path, f"language={language}", *(f"{n}={v}" for n, v in page.params))


# Versions -----------------------------------------------------------------------------------


def _version(key: str) -> str | None:
    """The token under `key`, made on first use; None while the cache can't be reached."""
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)  # add: two first readers agree on one token
        version = cache.get(key)
    return version


def _versions(*keys: str) -> list[str | None]:
    """The tokens under several keys in one round trip (each made on first use, as _version
    does); None for each while the cache can't be reached."""
    found = cache.get_many(list(keys))
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, uuid.uuid4().hex, None)
        found.update(cache.get_many(missing))
    return [found.get(key) for key in keys]


def _forget_now_and_on_commit(key: str) -> None:
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


class _RememberedVersion:
    """The catalog version as this process last read it, trusted for CATALOG_VERSION_SECONDS:
    one shared-cache read a second instead of one a request. So an editor's save shows at
    once in the process that saved it, and in every other within that bound."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.value: str | None = None
        self.until = 0.0

    def get(self) -> str | None:
        with self.lock:
            return self.value if _clock() < self.until else None

    def set(self, value: str) -> None:
        with self.lock:
            self.value, self.until = value, _clock() + CATALOG_VERSION_SECONDS

    def forget(self) -> None:
        with self.lock:
            self.value, self.until = None, 0.0


_clock = time.monotonic
remembered_catalog_version = _RememberedVersion()


def catalog_version() -> str | None:
    """The token that changes whenever catalog or quiz content changes."""
    version = remembered_catalog_version.get()
    if version is None:
        version = _version(catalog_version_key())
        if version is not None:
            remembered_catalog_version.set(version)
    return version


def catalog_changed(**signal_kwargs: Any) -> None:
    """Make every page, API answer and table built from the catalog stale."""
    remembered_catalog_version.forget()
    _forget_now_and_on_commit(catalog_version_key())
    transaction.on_commit(remembered_catalog_version.forget)


def history_version(user_id: int) -> str | None:
    """The token that changes whenever the person's assessments change."""
    return _version(history_version_key(user_id))


def history_changed(user_id: int | None) -> None:
    """Make what is cached about the person's history stale."""
    if user_id is not None:
        _forget_now_and_on_commit(history_version_key(user_id))


def peers_version() -> str | None:
    """The token of everyone's results as counted (assessments.peers): pages that show where a
    result stands among the others carry it in their key."""
    return _version(peers_version_key())


def peers_changed() -> None:
    """A result was kept or deleted: every page showing the figures is rebuilt (at commit)."""
    _forget_now_and_on_commit(peers_version_key())


def user_entries_forget(user_id: int) -> None:
    """Delete everything cached about a person (their account is being deleted): their
    pages and API answers, not only made stale but gone from the shared cache."""
    keys = list(_pages().get(user_entries_key(user_id)) or [])
    _pages().delete_many([*keys, user_entries_key(user_id)])
    cache.delete(history_version_key(user_id))
    transaction.on_commit(lambda: cache.delete(history_version_key(user_id)))


def _remember_user_entry(user_id: int, key: str) -> None:
    index = user_entries_key(user_id)
    keys = [*(_pages().get(index) or []), key][-USER_ENTRIES_KEPT:]
    _pages().set(index, keys, ENTRY_TIMEOUT)


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
        value = _pages().get(key)
        if value is not None:
            local_entries.set(key, value)
    return value


def _set(key: str, value: Any, *, shared: bool = True) -> None:
    if shared:
        _pages().set(key, value, ENTRY_TIMEOUT)
    local_entries.set(key, value)


def card(*, result: str, variant: str, render: Callable[[], bytes]) -> bytes:
    """A result's share card (a PNG), rendered once and kept in the shared cache only (never
    in a process's own memory, so forgetting it forgets it everywhere)."""
    key = card_key(result=result, variant=variant, language=translation.get_language())
    image = _pages().get(key)
    if image is None:
        image = render()
        _pages().set(key, image, ENTRY_TIMEOUT * 24)
    return image


def cards_forget(*, result: str, variants: Collection[str]) -> None:
    """The result's last link went (or the result did): its cards go too."""
    _pages().delete_many(
        [
            card_key(result=result, variant=variant, language=language)
            for variant in variants
            for language, _name in settings.LANGUAGES
        ]
    )


def clear_all() -> None:
    """Empty every cache and this process's LRU (tests start from nothing)."""
    for alias in settings.CACHES:
        caches[alias].clear()
    local_entries.clear()
    remembered_catalog_version.forget()


def catalog_data(*, name: str, build: Callable[[], Any], shared: bool = True) -> Any:
    """Data built from the catalog (a scoring table, the known filter values): cached per
    catalog version, else `build()` and stored (in this process only, unless `shared`)."""
    catalog = catalog_version()
    if catalog is None:
        return build()
    key = catalog_data_key(name=name, catalog=catalog)
    value = _get(key)
    if value is None:
        value = build()
        _set(key, value, shared=shared)
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
    key: str,
    render: Callable[[], HttpResponse],
    *,
    shared: bool = True,
    may_store: Callable[[], bool] = lambda: True,
    stored: Callable[[], None] = lambda: None,
) -> HttpResponse:
    """The stored response for `key`, or a fresh one from `render()`, stored when it is a
    plain 200 that sets no cookie (a cookie would be someone's)."""
    found = _get(key)
    if found is not None:
        return _replayed(found)
    response = render()
    render_now = getattr(response, "render", None)
    if callable(render_now):
        response = render_now()  # DRF and template responses render lazily
    if response.status_code == 200 and not response.cookies and may_store():
        _set(key, _stored(response), shared=shared)
        stored()
    return response


@dataclass(frozen=True)
class PageKey:
    """What a public page shows besides its path: the query parameters its view reads, as
    sent. `shared` is False when a value is free text, names nothing in the catalog or spells a
    number unusually: such a page is kept in this process only, so no one can fill the shared
    cache with made-up URLs. `cacheable` is False when the request carries a parameter the view
    doesn't read, or one twice: links on the page (pagination, "clear filters") would carry it,
    so that page is never cached at all."""

    params: tuple[tuple[str, str], ...] = ()
    shared: bool = True
    cacheable: bool = True


def no_parameters(request: HttpRequest) -> PageKey:
    """For a view that reads no query parameter."""
    return PageKey(cacheable=not request.GET)


_PLAIN_NUMBER = re.compile(r"[1-9][0-9]{0,5}")


def page_params(
    request: HttpRequest,
    *,
    known: Mapping[str, Collection[str]] | None = None,
    numbers: Mapping[str, int] | None = None,
    free_text: Collection[str] = (),
) -> PageKey:
    """A PageKey from the parameters a view reads: `known` ones must hold one of the given
    values, `numbers` a plain whole number up to the given maximum, `free_text` be empty, for
    the page to be shared."""
    known, numbers = known or {}, numbers or {}
    read = {*known, *numbers, *free_text}
    cacheable = all(name in read and len(request.GET.getlist(name)) == 1 for name in request.GET)
    params, shared = [], True
    for name in sorted(read):
        value = request.GET.get(name, "")
        params.append((name, value))
        if not value:
            continue
        if name in known:
            shared = shared and value in known[name]
        elif name in numbers:
            shared = shared and bool(_PLAIN_NUMBER.fullmatch(value)) and int(value) <= numbers[name]
        else:
            shared = False
    return PageKey(params=tuple(params), shared=shared, cacheable=cacheable)


# `numbers` for a paginated page, and for a paginated API list (whose page size a client may
# lower, never raise).
PAGE_NUMBER = {"page": MAX_SHARED_PAGE_NUMBER}


def api_list_numbers() -> dict[str, int]:
    return {**PAGE_NUMBER, "page_size": settings.API_PAGE_SIZE}


def _site(request: HttpRequest) -> str | None:
    """The address a page's absolute links are built from, if it may be cached: the request's
    own scheme and host, which must be the configured SITE_URL when there is one (a made-up
    Host header never reaches the cache)."""
    site = f"{request.scheme}://{request.get_host()}"
    if settings.SITE_URL and site != settings.SITE_URL:
        return None
    return site


def _asks_for_indent(request: HttpRequest) -> bool:
    return "indent" in request.META.get("HTTP_ACCEPT", "")


def _is_cookieless_get(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def cache_public_page(key: Callable[[HttpRequest], PageKey] = no_parameters):
    """For a view whose answer is the same for everyone: served from the cache for anonymous,
    cookie-less GETs (nothing personal, such as a name in the menu, can be shared). `key`
    names the query parameters the view reads (see PageKey)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _is_cookieless_get(request):
                return view(request, *args, **kwargs)
            site = _site(request)
            catalog = catalog_version()
            page = key(request)
            # DRF renders `Accept: application/json; indent=8` as asked: not for everyone.
            if site is None or catalog is None or not page.cacheable or _asks_for_indent(request):
                return view(request, *args, **kwargs)
            cache_key = public_page_key(catalog=catalog, site=site, page=(request.path, page))
            return _cached_or_rendered(
                cache_key, lambda: view(request, *args, **kwargs), shared=page.shared
            )

        return wrapper

    return decorator


def cache_personal_page(
    key: Callable[[HttpRequest], PageKey] = no_parameters, *, with_peers: bool = False
):
    """For a signed-in person's page that changes only with their history: cached per session
    (it carries that session's CSRF token), never while a flash message waits to be shown.
    `key` names the query parameters the view reads; a page that is not `shared` is not
    cached at all. `with_peers`: the page also shows everyone's counted results, so their
    version is part of its key (read in the same round trip as the history's)."""

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
            user_id = request.user.pk
            page = key(request)
            if with_peers:
                history, peers = _versions(history_version_key(user_id), peers_version_key())
                if peers is None:
                    return view(request, *args, **kwargs)
                page = replace(page, params=(*page.params, ("peers", peers)))
            else:
                history = history_version(user_id)
            if history is None or not page.shared or not page.cacheable:
                return view(request, *args, **kwargs)
            cache_key = personal_page_key(
                session_key=session.session_key, history=history, page=(request.path, page)
            )
            return _cached_or_rendered(
                cache_key,
                lambda: view(request, *args, **kwargs),
                # A message added while rendering belongs to this one response only.
                may_store=lambda: "_messages" not in session,
                stored=lambda: _remember_user_entry(user_id, cache_key),
            )

        return wrapper

    return decorator


def cached_user_response(
    *, user_id: int, path: str, page: PageKey, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """An API answer about the person's own history (at `path`, with the query parameters in
    `page`), cached until that history changes."""
    history = history_version(user_id)
    if history is None or not page.shared or not page.cacheable:
        return render()
    key = user_response_key(user_id=user_id, history=history, page=(path, page))
    return _cached_or_rendered(key, render, stored=lambda: _remember_user_entry(user_id, key))


def redis_state() -> str:
    """ "ok" or "degraded" (Redis doesn't answer), or "not used" (caches in process memory)."""
    is_reachable = getattr(cache, "is_reachable", None)
    if not callable(is_reachable):
        return "not used"
    return "ok" if is_reachable() else "degraded"
