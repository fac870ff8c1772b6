"""Small pure helpers for "X must come before Y" graphs (tool prerequisites).

No Django, no I/O: the admin, the content loader and the planner all ask the same questions
here, so a cycle is found the same way wherever it is refused.
"""

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

Node = TypeVar("Node", bound=Hashable)


def find_cycle(requires: Mapping[Node, Iterable[Node]]) -> list[Node] | None:
    """A cycle in `requires` (node -> the nodes it needs first) as [a, b, ..., a], or None.

    A node that requires itself is a cycle of one: [a, a]. Deterministic for a given mapping
    (nodes are visited in the mapping's order), so the message naming a cycle does not flicker.
    """
    done: set[Node] = set()
    for start in requires:
        if start in done:
            continue
        # Iterative depth-first search: `path` is the chain being explored, `on_path` its set.
        path: list[Node] = [start]
        on_path = {start}
        pending = [iter(requires.get(start, ()))]
        while pending:
            following = next(pending[-1], None)
            if following is None:
                pending.pop()
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
                continue
            if following in on_path:
                return [*path[path.index(following) :], following]
            if following not in done:
                path.append(following)
                on_path.add(following)
                pending.append(iter(requires.get(following, ())))
    return None


def all_prerequisites(requires: Mapping[Node, Iterable[Node]], node: Node) -> set[Node]:
    """Every node that `node` needs first, directly or through others (cycles tolerated)."""
    seen: set[Node] = set()
    stack = list(requires.get(node, ()))
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(requires.get(current, ()))
    seen.discard(node)
    return seen
