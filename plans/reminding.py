"""When the weekly plan reminder is due and what it holds: pure functions, no Django.

- The person chooses a weekday (ISO: 1 Monday ... 7 Sunday) and a time zone (an IANA name,
  `is_time_zone`). Every rule of days below reads the person's own clock: `local_now` turns
  the current instant into their local date and time (daylight saving time included).
- The reminder's week begins on the latest such day up to their today; it goes out from
  SEND_FROM (their time) on that day and may still go out GRACE_DAYS after it (a worker that
  was stopped catches up), never for a week that began before the reminder was switched on,
  and once per week at most (the sent rows say which weeks had one, by their local first day).
- It lists the steps due in that week (seven days from its first), the steps running late
  (their first due date passed: now due today), and the progress so far. Steps done or
  skipped are not listed. With nothing due and nothing late, nothing is sent.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from . import planning

MONDAY, SUNDAY = 1, 7
WEEKDAYS = range(MONDAY, SUNDAY + 1)
GRACE_DAYS = 2  # a reminder may go out this many days after its weekday, never later
LINKS_VALID_DAYS = 14  # the e-mail's "mark as done" links work for two weeks from its week

# The local hour from which the reminder goes out on its day: in the morning, when a person
# plans their day, rather than at midnight (when the day begins for the job) or, for anyone
# west of UTC, on the evening before.
SEND_FROM = time(8, 0)

DEFAULT_TIME_ZONE = "UTC"  # the zone of a reminder whose person never chose one
TIME_ZONE_MAX_LENGTH = 64  # the longest IANA name is 32 characters
# The world's clocks run from UTC-12 (Etc/GMT+12) to UTC+14 (Pacific/Kiritimati): at any
# instant, every local date in use lies between these two zones' dates.
EARLIEST_OFFSET, LATEST_OFFSET = timedelta(hours=-12), timedelta(hours=14)
# Names the system's zone database holds that are not zones a person lives in.
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


def send_from_shown() -> str:
    """SEND_FROM as people read it, in both our languages: "8:00"."""
    return f"{SEND_FROM.hour}:{SEND_FROM.minute:02}"


@cache
def time_zones() -> frozenset[str]:
    """The IANA time zone names a reminder may have (read once from the zone database)."""
    return frozenset(available_timezones() - _NOT_ZONES)


def is_time_zone(value: object) -> bool:
    """Whether `value` is a time zone we accept: an IANA name such as "Europe/Madrid"."""
    return isinstance(value, str) and value in time_zones()


def local_now(moment: datetime, time_zone: str) -> datetime:
    """`moment` (aware) as the clock on the wall reads it in `time_zone`."""
    return moment.astimezone(ZoneInfo(time_zone))


def is_weekday(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and MONDAY <= value <= SUNDAY


def week_of(today: date, weekday: int) -> date:
    """The latest day up to `today` that falls on `weekday` (today itself if it does)."""
    return today - timedelta(days=(today.isoweekday() - weekday) % 7)


def open_week(now: datetime, weekday: int, enabled_on: date | None) -> date | None:
    """The week a reminder may go out for at `now`, the person's local time (its first day),
    or None: before SEND_FROM on the weekday, too long after it, or the week began before
    the reminder was switched on."""
    today = now.date()
    first = week_of(today, weekday)
    if first == today and now.time() < SEND_FROM:
        return None
    if (today - first).days > GRACE_DAYS:
        return None
    if enabled_on is None or first < enabled_on:
        return None
    return first


def local_dates_anywhere(moment: datetime) -> list[date]:
    """Every date that is today somewhere on Earth at `moment` (aware): two, or three
    around noon UTC."""
    first = (moment + EARLIEST_OFFSET).astimezone(UTC).date()
    last = (moment + LATEST_OFFSET).astimezone(UTC).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def weekdays_open(moment: datetime) -> list[int]:
    """The weekdays whose week may have a reminder going out at `moment` (aware) in some
    time zone: the candidates to check one by one with `open_week`."""
    return sorted(
        {
            (day - timedelta(days=back)).isoweekday()
            for day in local_dates_anywhere(moment)
            for back in range(GRACE_DAYS + 1)
        }
    )


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
