"""Everyone's assessments as counted (peers.py): what assessments add to the kept counts, the
one statement that changes them, and their rebuild."""

import uuid
from collections import Counter

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


@transaction.atomic
def peer_counts_forget_user(*, user) -> None:
    """Before an account goes: its results stop counting (in the same transaction)."""
    peer_counts_change(peer_counts_of(Assessment.objects.filter(user=user)), sign=-1)


@transaction.atomic
def peer_counts_rebuild() -> dict[int, Counter]:
    """Count everyone's kept results afresh and replace the kept counts with them (for the
    `rebuild_peer_counts` command: after restoring a backup or reordering roles)."""
    # Lock the counts first, so no submission adds to them while they are rebuilt.
    list(PeerCount.objects.select_for_update().values_list("pk", flat=True))
    PeerCount.objects.all().delete()
    counted = peer_counts_of(Assessment.objects.filter(user__isnull=False))
    peer_counts_change(counted)
    caching.peers_changed()  # also when nothing is left to count
    return counted
