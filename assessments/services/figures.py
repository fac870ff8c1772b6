"""Everyone's assessments as counted (peers.py): what assessments add to the kept counts, the
one statement that changes them, how a person's changes replace what they counted, and the
rebuild. A person counts once per quiz version, by their latest kept result
(Assessment.objects.counted())."""

import uuid
from collections import Counter
from collections.abc import Collection, Iterator
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from core import caching

from .. import peers
from ..models import Answer, Assessment, PeerCount, RoleScore
from ..selectors.figures import peers_reference_role


def peer_counts_of(assessments) -> dict[int, Counter]:
    """What the given assessments add to the kept counts, by quiz version (three queries
    whatever their number)."""
    rows = list(assessments.values_list("pk", "version_id", "top_role__slug", "language"))
    if not rows:
        return {}
    ids = [row[0] for row in rows]
    percents: dict[uuid.UUID, dict[str, int]] = {}
    for assessment_id, role, percent in RoleScore.objects.filter(assessment_id__in=ids).values_list(
        "assessment_id", "role__slug", "percent"
    ):
        percents.setdefault(assessment_id, {})[role] = percent
    choices: dict[uuid.UUID, list[int]] = {}
    for assessment_id, choice_id in Answer.objects.filter(assessment_id__in=ids).values_list(
        "assessment_id", "choice_id"
    ):
        choices.setdefault(assessment_id, []).append(choice_id)
    reference = peers_reference_role()
    by_version: dict[int, Counter] = {}
    for pk, version_id, top_role, language in rows:
        keys = peers.counted_keys(
            percents=percents.get(pk, {}),
            reference=reference,
            top_role=top_role,
            choice_ids=choices.get(pk, []),
            language=language,
        )
        by_version.setdefault(version_id, Counter()).update(keys)
    return by_version


def peer_counts_change(by_version: dict[int, Counter], *, sign: int = 1) -> None:
    """Add (or with sign=-1 take) counts in one statement: an upsert that adds to the stored
    count in the database, so two submissions at once never lose one another's count. Rows
    go in one order, so concurrent upserts lock them in the same order (no deadlock)."""
    rows = [
        (version_id, kind, key, sign * count)
        for version_id, counts in sorted(by_version.items())
        for (kind, key), count in sorted(counts.items())
        if count
    ]
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(PeerCount._meta.db_table)
    version, kind, key, count = (quote(name) for name in ("version_id", "kind", "key", "count"))
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    sql = (
        f"INSERT INTO {table} ({version}, {kind}, {key}, {count}) VALUES {values} "
        f"ON CONFLICT ({version}, {kind}, {key}) "
        f"DO UPDATE SET {count} = {table}.{count} + EXCLUDED.{count}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])
    caching.peers_changed()


def _person_counted(user_id, version_ids: Collection[int] | None) -> dict[int, Counter]:
    """What the person's counted results (on `version_ids`, or on any version) add."""
    theirs = Assessment.objects.filter(user_id=user_id)
    if version_ids is not None:
        theirs = theirs.filter(version_id__in=version_ids)
    return peer_counts_of(theirs.counted())


def _person_lock(user_id) -> None:
    """One change of a person's counted results at a time: two of their submissions at once
    would each take back the same earlier result and count twice."""
    list(get_user_model().objects.select_for_update().filter(pk=user_id).values("pk"))


@contextmanager
def peer_counts_follow(*, user_id, version_ids: Collection[int]) -> Iterator[None]:
    """Around a change of a person's kept results on `version_ids` (a submission, a claim, a
    deletion), inside its transaction: what they counted before is taken back and what they
    count after is added, in the one upsert, so they go on counting once, by their latest
    result. Nothing for an anonymous one (user_id None)."""
    if user_id is None:
        yield
        return
    _person_lock(user_id)
    before = _person_counted(user_id, version_ids)
    yield
    change = {
        version_id: Counter(counts)
        for version_id, counts in _person_counted(user_id, version_ids).items()
    }
    for version_id, counts in before.items():
        change.setdefault(version_id, Counter()).subtract(counts)
    peer_counts_change(change)


@transaction.atomic
def peer_counts_forget_user(*, user) -> None:
    """Before an account goes: what it counted stops counting (in the same transaction)."""
    _person_lock(user.pk)
    peer_counts_change(_person_counted(user.pk, None), sign=-1)


@transaction.atomic
def peer_counts_rebuild() -> dict[int, Counter]:
    """Count everyone afresh by their counted results and replace the kept counts with them
    (the `rebuild_peer_counts` command: after restoring a backup or reordering roles)."""
    # Lock the counts first, so no submission adds to them while they are rebuilt.
    list(PeerCount.objects.select_for_update().values_list("pk", flat=True))
    PeerCount.objects.all().delete()
    counted = peer_counts_of(Assessment.objects.counted())
    peer_counts_change(counted)
    caching.peers_changed()  # also when nothing is left to count
    return counted


@transaction.atomic
def peer_counts_check() -> list[dict]:
    """Count everyone afresh and compare with the kept counts; repair each that drifted (the
    nightly figures-recount job). The drifted counts, each as version, kind, key, the kept
    count and the true one (empty when none drifted)."""
    # No submission may change the counts between the two readings: on PostgreSQL a lock
    # that lets readers in and keeps writers (updates and inserts alike) waiting until this
    # commits; SQLite's write transaction already holds its whole database.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(PeerCount._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
    kept: dict[tuple[int, str, str], int] = {
        (version_id, kind, key): count
        for version_id, kind, key, count in PeerCount.objects.values_list(
            "version_id", "kind", "key", "count"
        )
    }
    true: dict[tuple[int, str, str], int] = {
        (version_id, kind, key): count
        for version_id, counts in peer_counts_of(Assessment.objects.counted()).items()
        for (kind, key), count in counts.items()
    }
    drifted = [
        {
            "version": version_id,
            "kind": kind,
            "key": key,
            "kept": kept.get((version_id, kind, key), 0),
            "true": true.get((version_id, kind, key), 0),
        }
        for version_id, kind, key in sorted(kept.keys() | true.keys())
        if kept.get((version_id, kind, key), 0) != true.get((version_id, kind, key), 0)
    ]
    if drifted:
        repair: dict[int, Counter] = {}
        for version_id, kind, key in kept.keys() | true.keys():
            change = true.get((version_id, kind, key), 0) - kept.get((version_id, kind, key), 0)
            if change:
                repair.setdefault(version_id, Counter())[(kind, key)] = change
        peer_counts_change(repair)
    return drifted
