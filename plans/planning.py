"""Learning plans: pure functions, no ORM, no Django, no I/O.

In: a role's tools (each with its catalog order, an editor's estimate of hours to a working
level and its prerequisites), the person's self-check ratings, the statuses they set on steps,
the hours a week they have, the day the plan started and today. Out: ordered, dated steps.

The rules, each in one place below:

- A tool is a step when the person rated it below KNOWN_LEVEL ("used it for real work"), or
  when they already set a status on it (a status is never dropped by a later rating).
- Order: every prerequisite of a step, direct or through other tools, comes before it; among
  the steps free to go next, the role's tool order decides (then the tool's key).
- Hours: the editor's estimate, reduced for a tool the person already knows a little
  (HOURS_FACTOR), rounded up to whole hours. A step that is done keeps the hours it counted
  when it was done, so a later change of estimate re-dates what is left, never what was done.
- Dates: the steps still to do follow one another from the plan's start or the last day a step
  was done, whichever is later, each lasting its hours at the person's pace (whole days). A
  step whose due date has passed is running late: it is now due today and pushes the rest back.
  So a step done early pulls the rest forward, and a change of pace re-dates the rest.
- Skipped steps keep their place in the order but have no dates and count no hours.
"""

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeGuard

from core.graphs import all_prerequisites
from core.marks import gettext_noop

# The self-check's five steps, with the plain meaning shown beside each.
LEVELS: dict[int, str] = {
    0: gettext_noop("Never heard of it"),
    1: gettext_noop("I know what it is for"),
    2: gettext_noop("I tried it in a tutorial"),
    3: gettext_noop("I used it for real work"),
    4: gettext_noop("I could teach it"),
}
LEVEL_MIN, LEVEL_MAX = 0, 4
KNOWN_LEVEL = 3  # rated this or above: nothing left to learn for the plan
HOURS_FACTOR = {0: 1.0, 1: 0.75, 2: 0.5}
HOURS_PER_WEEK_MIN, HOURS_PER_WEEK_MAX = 1, 60
DEFAULT_HOURS_PER_WEEK = 5


def is_whole_number(value: object) -> TypeGuard[int]:
    """An int as JSON or a form gives it: True and False are not numbers here."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_level(value: object) -> TypeGuard[int]:
    """A self-check level: a whole number from LEVEL_MIN to LEVEL_MAX."""
    return is_whole_number(value) and LEVEL_MIN <= value <= LEVEL_MAX


def is_hours_per_week(value: object) -> TypeGuard[int]:
    """A pace: whole hours a week, from HOURS_PER_WEEK_MIN to HOURS_PER_WEEK_MAX."""
    return is_whole_number(value) and HOURS_PER_WEEK_MIN <= value <= HOURS_PER_WEEK_MAX


TO_DO, IN_PROGRESS, DONE, SKIPPED = "todo", "in_progress", "done", "skipped"
STATUSES: dict[str, str] = {
    TO_DO: gettext_noop("To do"),
    IN_PROGRESS: gettext_noop("In progress"),
    DONE: gettext_noop("Done"),
    SKIPPED: gettext_noop("Skipped"),
}


@dataclass(frozen=True)
class ToolFacts:
    """What the planner needs of a tool from the catalog."""

    key: str
    order: int
    hours_to_learn: int
    prerequisites: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepState:
    """What the person set on a step: its status, and the days it started and was done."""

    status: str = TO_DO
    started_on: date | None = None
    done_on: date | None = None
    hours_done: int | None = None  # the hours it counted when it was done


@dataclass(frozen=True)
class PlannedStep:
    tool: str
    position: int  # 1, 2, ... in learning order
    status: str
    hours: int
    starts: date | None
    due: date | None
    late: bool = False  # its due date had passed before it was done: now due today


@dataclass(frozen=True)
class PlanOutline:
    steps: list[PlannedStep] = field(default_factory=list)
    hours_total: int = 0
    hours_done: int = 0
    finish: date | None = None

    @property
    def percent_done(self) -> int:
        return 0 if not self.hours_total else math.floor(100 * self.hours_done / self.hours_total)

    @property
    def steps_done(self) -> int:
        return sum(1 for step in self.steps if step.status == DONE)


def personal_hours(hours_to_learn: int, level: int) -> int:
    """The hours a tool will take this person, from the editor's estimate and their rating."""
    factor = HOURS_FACTOR.get(level, 1.0)
    return max(1, math.ceil(hours_to_learn * factor))


def days_for(hours: int, hours_per_week: int) -> int:
    """Whole days that `hours` take at `hours_per_week`, at least one."""
    return max(1, math.ceil(hours * 7 / hours_per_week))


def is_step(level: int, state: StepState | None) -> bool:
    """A tool belongs in the plan when there is something left to learn or a status was set."""
    return level < KNOWN_LEVEL or (state is not None and state.status != TO_DO)


def learning_order(tools: Sequence[ToolFacts], keys: Iterable[str]) -> list[str]:
    """`keys` ordered so that every prerequisite (direct or through tools outside `keys`)
    comes first; ties by the tools' order, then key. A cycle, which editors can't save, is
    broken by that same order rather than losing steps."""
    facts = {tool.key: tool for tool in tools}
    requires = {tool.key: tool.prerequisites for tool in tools}
    chosen = [key for key in dict.fromkeys(keys) if key in facts]
    chosen_set = set(chosen)
    needs = {key: all_prerequisites(requires, key) & chosen_set - {key} for key in chosen}

    def rank(key: str) -> tuple[int, str]:
        return (facts[key].order, key)

    ordered: list[str] = []
    placed: set[str] = set()
    ready = [rank(key) for key in chosen if not needs[key]]
    heapq.heapify(ready)
    waiting = {key for key in chosen if needs[key]}
    while len(ordered) < len(chosen):
        if not ready:  # only a cycle is left: take its first tool by order
            key = min(waiting, key=rank)
            waiting.discard(key)
            heapq.heappush(ready, rank(key))
        _, key = heapq.heappop(ready)
        ordered.append(key)
        placed.add(key)
        for other in sorted(waiting, key=rank):
            if needs[other] <= placed:
                waiting.discard(other)
                heapq.heappush(ready, rank(other))
    return ordered


def plan_build(
    *,
    tools: Sequence[ToolFacts],
    ratings: Mapping[str, int],
    states: Mapping[str, StepState],
    hours_per_week: int,
    started_on: date,
    today: date,
    links: Sequence[ToolFacts] = (),
) -> PlanOutline:
    """The plan's ordered, dated steps. `tools` are the role's; unrated tools count as level 0.
    `links` are the catalog's other tools: never steps, but a prerequisite that passes through
    one of them (the role's B needs another role's X, which needs the role's A) still orders
    the steps."""
    facts = {tool.key: tool for tool in tools}
    keys = [tool.key for tool in tools if is_step(ratings.get(tool.key, 0), states.get(tool.key))]
    order = learning_order([*links, *tools], keys)

    done_days = [
        state.done_on
        for key, state in states.items()
        if key in order and state.status == DONE and state.done_on is not None
    ]
    cursor = max([started_on, *done_days])
    steps: list[PlannedStep] = []
    hours_total = hours_done = 0
    for position, key in enumerate(order, 1):
        state = states.get(key) or StepState()
        hours = personal_hours(facts[key].hours_to_learn, ratings.get(key, 0))
        if state.status == DONE:
            hours = state.hours_done if state.hours_done is not None else hours
            done_on = state.done_on or today
            starts = min(state.started_on or done_on, done_on)
            steps.append(PlannedStep(key, position, DONE, hours, starts, done_on))
            hours_total += hours
            hours_done += hours
        elif state.status == SKIPPED:
            steps.append(PlannedStep(key, position, SKIPPED, hours, None, None))
        else:
            due = cursor + timedelta(days=days_for(hours, hours_per_week))
            late = due < today
            due = max(due, today)
            steps.append(PlannedStep(key, position, state.status, hours, cursor, due, late))
            cursor = due
            hours_total += hours
    dated = [step.due for step in steps if step.due is not None]
    return PlanOutline(
        steps=steps,
        hours_total=hours_total,
        hours_done=hours_done,
        finish=max(dated) if dated else None,
    )


def hours_done_over_time(changes: Iterable[tuple[date, str, int]]) -> list[tuple[date, int]]:
    """From dated status changes (day, tool, hours it counts as done after the change: 0 unless
    done), the total hours done at the end of each day that had a change, oldest first."""
    counted: dict[str, int] = {}
    totals: dict[date, int] = {}
    for day, tool, hours in sorted(changes, key=lambda change: change[0]):
        counted[tool] = hours
        totals[day] = sum(counted.values())
    return sorted(totals.items())
