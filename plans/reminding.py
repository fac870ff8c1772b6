"""When the weekly plan reminder is due and what it holds: pure functions, no Django.

- The person chooses a weekday (ISO: 1 Monday ... 7 Sunday). The reminder's week begins on the
  latest such day up to today; it may still go out GRACE_DAYS after that day (a worker that was
  stopped catches up), never for a week that began before the reminder was switched on, and
  once per week at most (the sent rows say which weeks had one).
- It lists the steps due in that week (seven days from its first), the steps running late
  (their first due date passed: now due today), and the progress so far. Steps done or
  skipped are not listed. With nothing due and nothing late, nothing is sent.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from . import planning

MONDAY, SUNDAY = 1, 7
WEEKDAYS = range(MONDAY, SUNDAY + 1)
GRACE_DAYS = 2  # a reminder may go out this many days after its weekday, never later
LINKS_VALID_DAYS = 14  # the e-mail's "mark as done" links work for two weeks from its week


def is_weekday(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and MONDAY <= value <= SUNDAY


def week_of(today: date, weekday: int) -> date:
    """The latest day up to `today` that falls on `weekday` (today itself if it does)."""
    return today - timedelta(days=(today.isoweekday() - weekday) % 7)


def open_week(today: date, weekday: int, enabled_on: date | None) -> date | None:
    """The week a reminder may go out for today (its first day), or None: too long after the
    weekday, or the week began before the reminder was switched on."""
    first = week_of(today, weekday)
    if (today - first).days > GRACE_DAYS:
        return None
    if enabled_on is None or first < enabled_on:
        return None
    return first


def weekdays_open(today: date) -> list[int]:
    """The weekdays whose week may have a reminder going out today."""
    return sorted({(today - timedelta(days=back)).isoweekday() for back in range(GRACE_DAYS + 1)})


@dataclass(frozen=True)
class WeekSteps:
    due: list[planning.PlannedStep]
    late: list[planning.PlannedStep]

    @property
    def anything(self) -> bool:
        return bool(self.due or self.late)


OPEN = {planning.TO_DO, planning.IN_PROGRESS}


def week_steps(steps: Sequence[planning.PlannedStep], first: date) -> WeekSteps:
    """The steps due in the week from `first` (seven days) and the ones running late, from a
    plan worked out for the day the reminder is sent."""
    last = first + timedelta(days=6)
    late = [step for step in steps if step.status in OPEN and step.late]
    due = [
        step
        for step in steps
        if step.status in OPEN
        and not step.late
        and step.due is not None
        and first <= step.due <= last
    ]
    return WeekSteps(due=due, late=late)


def link_valid(today: date, first: date) -> bool:
    """Whether a "mark as done" link of the reminder for the week from `first` still works."""
    return today <= first + timedelta(days=LINKS_VALID_DAYS)
