"""Version tokens: the catalog's, everyone's counted results' (peers) and each person's
history's. A key built with a token is stale as soon as the token changes.

The database is the authority: every token lives there. The catalog's and a person's change
by an UPDATE in the same transaction as the change they stand for, so a bump can't be lost (to
a Redis outage or partition, or to a process that doesn't hear of it) and no other request sees
it before the change commits. The peers' changes just after the commit, in its own statement
(see _PeersBumpAfterCommit): every submission changes it, and holding its row until commit
would queue all submissions behind one another.

A request reads a token before the rows it shows, so whatever is stored under a token is at
least as new as the token: a cached copy can be older than the database only under a token
that is no longer current, which nobody reads again. Redis (or a process's memory) holds only
entries keyed by tokens.

- The catalog's and the peers' (core.models.CacheVersion) are read in one query at most once
  per CATALOG_VERSION_SECONDS in each process: a change shows at once in the process that
  made it and within that time in every other, on every instance.
- A person's is a column of their user row (`history_version`), which the request loaded
  anyway to know who is asking: reading it costs no query, and it is always current.

Versions are random tokens, not counters, so a database restored from a backup never brings
old entries back.
"""

import logging
import threading
import time
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.models import CacheVersion, new_token

logger = logging.getLogger(__name__)
CATALOG_VERSION_SECONDS = 1.0  # how long a process trusts the shared tokens it last read
SHARED_VERSIONS = ("catalog", "peers")


class _RememberedVersions:
    """The shared tokens as this process last read them, trusted for CATALOG_VERSION_SECONDS:
    one query a second instead of one a request."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.values: dict[str, str] = {}
        self.until = 0.0

    def get(self, name: str) -> str | None:
        with self.lock:
            return self.values.get(name) if _clock() < self.until else None

    def last_known(self) -> dict[str, str]:
        """The tokens as last read, however long ago ({} once forgotten)."""
        with self.lock:
            return dict(self.values)

    def set(self, values: dict[str, str]) -> None:
        with self.lock:
            self.values, self.until = dict(values), _clock() + CATALOG_VERSION_SECONDS

    def forget(self) -> None:
        with self.lock:
            self.values, self.until = {}, 0.0


_clock = time.monotonic
remembered_versions = _RememberedVersions()


class _Bumped:
    """A shared token changed in the current transaction. It waits among the transaction's
    on-commit callbacks, which a rollback discards together with the UPDATE; once the
    transaction commits, this process reads the new tokens. Until then the tokens this
    transaction reads are kept here, never in the process's memory, where other threads would
    find them before the change they stand for is visible to them."""

    def __init__(self, name: str, token: str) -> None:
        self.name = name
        self.token = token  # what the UPDATE set: this transaction reads it without a query
        self.read = False  # a token was read after this bump
        self.values: dict[str, str] | None = None  # the others, if read from the database

    def __call__(self) -> None:
        remembered_versions.forget()


def _bumps_in_this_transaction() -> list[_Bumped]:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return []
    return [func for _ids, func, *_rest in connection.run_on_commit if isinstance(func, _Bumped)]


def _read_shared() -> dict[str, str]:
    values = dict(CacheVersion.objects.values_list("name", "token"))
    for name in SHARED_VERSIONS:
        if name not in values:  # made on first use
            values[name] = CacheVersion.objects.get_or_create(name=name)[0].token
    return values


def _shared_version(name: str) -> str:
    bumps = _bumps_in_this_transaction()
    if bumps:
        latest = bumps[-1]
        latest.read = True
        for bump in reversed(bumps):
            if bump.name == name:  # this transaction set it: no query
                return bump.token
        # Not changed in this transaction: the process's copy is as good here as anywhere
        # (the rows this transaction reads are at least as new); else the database's.
        value = remembered_versions.get(name)
        if value is None:
            if latest.values is None:
                latest.values = _read_shared()
            value = latest.values[name]
        return value
    value = remembered_versions.get(name)
    if value is None:
        values = _read_shared_or_last_known()
        remembered_versions.set(values)
        value = values[name]
    return value


def _read_shared_or_last_known() -> dict[str, str]:
    """The shared tokens from the database; while it can't be reached, the ones this process
    read last, so that pages cached under them go on being served (the database going away
    changes no content) instead of failing with it. Tried again every
    CATALOG_VERSION_SECONDS."""
    try:
        return _read_shared()
    except DatabaseError:
        last_known = remembered_versions.last_known()
        if set(SHARED_VERSIONS) <= last_known.keys():
            logger.warning("Cache versions unreadable; serving under the last known ones.")
            return last_known
        raise


def _bump_shared(name: str) -> None:
    # One UPDATE until the token is next read: an editor's save of a quiz version sends a
    # signal per weight, and no one can have seen the tokens in between.
    unread = []
    for bump in reversed(_bumps_in_this_transaction()):
        if bump.read:
            break
        unread.append(bump.name)
    if name in unread:
        return
    token = new_token()
    if not CacheVersion.objects.filter(name=name).update(token=token):
        CacheVersion.objects.update_or_create(name=name, defaults={"token": token})
    transaction.on_commit(_Bumped(name, token))


def catalog_version() -> str:
    """The token that changes whenever catalog or quiz content changes."""
    return _shared_version("catalog")


def catalog_changed(**signal_kwargs: Any) -> None:
    """Make every page, API answer and table built from the catalog stale."""
    _bump_shared("catalog")


def peers_version() -> str:
    """The token of everyone's results as counted (assessments.peers): pages that show where a
    result stands among the others carry it in their key."""
    return _shared_version("peers")


class _PeersBumpAfterCommit:
    """The peers' token changes once the transaction that kept or deleted results commits, in
    a statement of its own. Bumping it inside the transaction, as the catalog's is, would
    make every submission on every instance queue on that one row until the submission
    commits (make bench of 5 December: 25 submissions a second instead of 45). Bumping after
    the commit keeps the rule that matters: whatever is stored under a token is at least as
    new as the token, since anyone who reads the old token in between reads rows at least as
    new as it. What is lost is only the figures' freshness if the process dies between the
    commit and this statement; they then follow within the page TTL."""

    def __call__(self) -> None:
        _bump_peers_now()


def _bump_peers_now() -> None:
    token = new_token()
    if not CacheVersion.objects.filter(name="peers").update(token=token):
        CacheVersion.objects.update_or_create(name="peers", defaults={"token": token})
    remembered_versions.forget()
    # Run after a commit there is no transaction open; inside one (a test's, whose own
    # transaction never commits) its read copies are stale too.
    for bump in _bumps_in_this_transaction():
        bump.values = None


def peers_changed() -> None:
    """A result was kept or deleted: every page showing the figures is rebuilt once that
    change commits."""
    # Outside a transaction on_commit runs it at once. A transaction calls this once per
    # change of the counts (one upsert), at most twice, so no two bumps are worth merging.
    transaction.on_commit(_PeersBumpAfterCommit())


def history_version(user: Any) -> str | None:
    """The token that changes whenever the person's assessments change, as loaded with the
    user row at the start of the request (None for a user without one)."""
    return getattr(user, "history_version", None) or None


def history_changed(user_id: int | None) -> None:
    """Make what is cached about the person's history stale."""
    if user_id is not None:
        get_user_model()._default_manager.filter(pk=user_id).update(history_version=new_token())


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
