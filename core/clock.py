"""The time as the reminders and follow-ups read it: timezone.now(), unless a test has moved it.

Code that decides when something is due (plans.reminders, assessments' follow-ups) asks this
module, never the system clock, so a test moves time forward (`clock` fixture in
tests/conftest.py) instead of sleeping. The override is process-wide, so a browser test's live
server thread sees the same moment as the test.
"""

import threading
from datetime import date, datetime, timedelta

from django.utils import timezone

_lock = threading.Lock()
_frozen: datetime | None = None


def now() -> datetime:
    """The current moment (aware, UTC), or the one a test set."""
    return _frozen or timezone.now()


def today() -> date:
    """The current day in the site's time zone (TIME_ZONE)."""
    return timezone.localtime(now()).date()


def freeze(moment: datetime) -> None:
    """Stop the clock at `moment` (aware) until it is moved again or let go. For tests."""
    if timezone.is_naive(moment):
        raise ValueError("The clock takes an aware datetime.")
    global _frozen
    with _lock:
        _frozen = moment


def advance(delta: timedelta) -> datetime:
    """Move a stopped clock forward by `delta` (stops it at the real time first). For tests."""
    global _frozen
    with _lock:
        _frozen = (_frozen or timezone.now()) + delta
        return _frozen


def release() -> None:
    """Let the clock follow the real time again."""
    global _frozen
    with _lock:
        _frozen = None
