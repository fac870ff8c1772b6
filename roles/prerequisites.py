"""The one rule on tool prerequisites: they never go round in a circle (a tool that requires
itself is the smallest circle). The admin and the content loader both ask here, so a circle is
found the same way and named in the same words wherever it is refused.
"""

from collections.abc import Iterable

from django.db import connection

from core.graphs import find_cycle

from .models import Tool


def prerequisite_cycle(
    *,
    tool_pk: int | None = None,
    tool_name: str = "",
    prerequisite_pks: Iterable[int] = (),
    lock: bool = False,
) -> list[str] | None:
    """The names of the tools along a prerequisite cycle, as [a, b, ..., a], or None.

    The graph is every tool's prerequisites as saved, with tool `tool_pk`'s replaced by
    `prerequisite_pks` (and its name by `tool_name`) when it is given: the graph as it would be
    after saving an edit of that tool. The search starts from it, so the cycle reads from it.
    With `lock`, inside a transaction, the tools are locked first (on PostgreSQL), so two
    editors saving at once can't each add half of a cycle: the second waits for the first to
    commit and then sees its prerequisites.
    """
    if lock and connection.in_atomic_block:
        list(Tool.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    names: dict[int, str] = {}
    requires: dict[int, list[int]] = {}
    if tool_pk is not None:
        names[tool_pk] = tool_name
        requires[tool_pk] = list(prerequisite_pks)
    for pk, name in Tool.objects.order_by("order", "name", "pk").values_list("pk", "name"):
        names.setdefault(pk, name)
        requires.setdefault(pk, [])
    through = Tool.prerequisites.through
    for from_pk, to_pk in through.objects.order_by("pk").values_list("from_tool_id", "to_tool_id"):
        if from_pk != tool_pk:
            requires[from_pk].append(to_pk)
    cycle = find_cycle(requires)
    return None if cycle is None else [names[pk] for pk in cycle]


def cycle_message(cycle: list[str]) -> str:
    """What an editor reads about a cycle, naming its tools in order."""
    if len(cycle) == 2:
        return f"A tool can't require itself: take {cycle[0]} out of its prerequisites."
    path = " -> ".join(cycle)
    return (
        f"These prerequisites would go round in a circle ({path}), so no learning plan "
        "could put them in order. Take one of them out."
    )
