"""Cached entries: an in-process LRU in front of the shared "pages" cache, data built from
the catalog, share cards, and forgetting what is cached about a person."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Collection
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.utils import translation

from .keys import card_key, catalog_data_key, user_entries_key
from .versions import catalog_version, remembered_versions

# Seconds a cached response or catalog table lives at most: also the longest an entry that a
# lost delete left behind (a deleted account's pages) stays in Redis, unreachable.
ENTRY_TIMEOUT = 60 * 60
LOCAL_ENTRIES = 512  # entries kept in each process's own memory (make bench: it pays)
USER_ENTRIES_KEPT = 200  # a person's cached answers we can name, to delete with the account


def pages_cache():
    """The shared cache of whole responses and cards (apart from "default": throttle counts)."""
    return caches["pages"]


class LocalEntries:
    """A small LRU in each process. Every key it holds carries a version token from the
    database (versions), so it never serves an entry staler than those tokens allow; it saves
    fetching and unpickling the same response from Redis again and again, and keeps caching
    while Redis is away."""

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


def get_entry(key: str) -> Any:
    value = local_entries.get(key)
    if value is None:
        value = pages_cache().get(key)
        if value is not None:
            local_entries.set(key, value)
    return value


def set_entry(key: str, value: Any, *, shared: bool = True) -> None:
    if shared:
        pages_cache().set(key, value, ENTRY_TIMEOUT)
    local_entries.set(key, value)


def card(*, result: str, variant: str, render: Callable[[], bytes]) -> bytes:
    """A result's share card (a PNG), rendered once and kept in the shared cache only (never
    in a process's own memory, so forgetting it forgets it everywhere)."""
    key = card_key(result=result, variant=variant, language=translation.get_language())
    image = pages_cache().get(key)
    if image is None:
        image = render()
        pages_cache().set(key, image, ENTRY_TIMEOUT * 24)
    return image


def cards_forget(*, result: str, variants: Collection[str]) -> None:
    """The result's last link went (or the result did): its cards go too."""
    pages_cache().delete_many(
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
    remembered_versions.forget()


def catalog_data(*, name: str, build: Callable[[], Any], shared: bool = True) -> Any:
    """Data built from the catalog (a scoring table, the known filter values): cached per
    catalog version, else `build()` and stored (in this process only, unless `shared`)."""
    key = catalog_data_key(name=name, catalog=catalog_version())
    value = get_entry(key)
    if value is None:
        value = build()
        set_entry(key, value, shared=shared)
    return value


def user_entries_forget(user_id: int) -> None:
    """Delete everything cached about a person (their account is being deleted): their
    pages and API answers, gone from the shared cache while it answers. They are unreachable
    anyway once the user row is gone (every key holds its history token); a copy a lost
    delete left behind expires within ENTRY_TIMEOUT."""
    keys = list(pages_cache().get(user_entries_key(user_id)) or [])
    pages_cache().delete_many([*keys, user_entries_key(user_id)])


def remember_user_entry(user_id: int, key: str) -> None:
    index = user_entries_key(user_id)
    keys = [*(pages_cache().get(index) or []), key][-USER_ENTRIES_KEPT:]
    pages_cache().set(index, keys, ENTRY_TIMEOUT)


def redis_state() -> str:
    """ "ok" or "degraded" (Redis doesn't answer), or "not used" (caches in process memory)."""
    is_reachable = getattr(cache, "is_reachable", None)
    if not callable(is_reachable):
        return "not used"
    return "ok" if is_reachable() else "degraded"
