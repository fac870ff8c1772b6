"""Version tokens: the catalog's, each person's history's and everyone's counted results'.
A key built with a token is stale as soon as the token changes.

Versions are random tokens, not counters, so an evicted key never brings old entries back.
A bump happens at once (this transaction's own next read is fresh) and again once the
transaction commits: a request that read the old rows in between may have stored them under
the new token, and the second bump orphans that entry. While the cache can't be reached, no
version can be read (None).
"""

import threading
import time
import uuid
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .keys import catalog_version_key, history_version_key, peers_version_key

CATALOG_VERSION_SECONDS = 1.0  # how long a process trusts the catalog version it last read


def _version(key: str) -> str | None:
    """The token under `key`, made on first use; None while the cache can't be reached."""
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)  # add: two first readers agree on one token
        version = cache.get(key)
    return version


def read_versions(*keys: str) -> list[str | None]:
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
