"""The six-month follow-up ("which path did you take?"): its rules as pure functions, no ORM,
no Django, no I/O.

- Consent is given on a kept result with a checkbox, unticked, whose wording has a version
  (WORDINGS): what people agreed to is kept with the time they agreed. One follow-up per
  person at a time: ticking it on another result moves it there until they have been asked.
- It is due FOLLOW_UP_AFTER_DAYS (a setting, 180) after consent; then one e-mail asks which
  path they took: work in one of the catalog's roles, or neither yet; with an optional
  happiness from 1 to 5 and a private comment. At most one reminder, REMINDER_AFTER_DAYS after
  the question, if there is no answer. The links work LINKS_VALID_DAYS after the question; the
  answer can be changed until then. An unsubscribe stops the e-mails (the links still work).
- Outcomes count a person once they are "closed": answered, or asked and past the links' time
  (so a non-responder counts in the denominator only once they can no longer answer). They are
  split by the result's margin into bands: a close call (under the close-call points), up to
  WIDE_MARGIN, and WIDE_MARGIN or more.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.marks import gettext_noop

# Each wording people were shown, by version; a new wording is a new version, never an edit.
WORDINGS: dict[int, str] = {
    1: gettext_noop("E-mail me in 6 months to ask which path I took"),
}
WORDING_VERSION = max(WORDINGS)

NEITHER = "neither"
REMINDER_AFTER_DAYS = 14
LINKS_VALID_DAYS = 60
HAPPINESS_MIN, HAPPINESS_MAX = 1, 5
HAPPINESS: dict[int, str] = {
    1: gettext_noop("Not happy at all"),
    2: gettext_noop("Not very happy"),
    3: gettext_noop("Neither happy nor unhappy"),
    4: gettext_noop("Happy"),
    5: gettext_noop("Very happy"),
}
COMMENT_MAX = 500
WIDE_MARGIN = 20  # percentage points: from here on, a result was a wide lean

CLOSE, MIDDLE, WIDE = "close", "middle", "wide"
BANDS = (CLOSE, MIDDLE, WIDE)


def is_happiness(value: object) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and HAPPINESS_MIN <= value <= HAPPINESS_MAX
    )


def band(margin: int, close_below: int) -> str:
    """The margin band of a result: CLOSE under `close_below` points, MIDDLE under
    WIDE_MARGIN, WIDE from there."""
    if margin < close_below:
        return CLOSE
    return MIDDLE if margin < WIDE_MARGIN else WIDE


@dataclass(frozen=True)
class State:
    """What a follow-up's row says about it (its times)."""

    due_at: datetime
    asked_at: datetime | None = None
    reminded_at: datetime | None = None
    answered_at: datetime | None = None
    unsubscribed_at: datetime | None = None


def links_open(state: State, now: datetime) -> bool:
    """Whether its links still work: it was asked, less than LINKS_VALID_DAYS ago."""
    return state.asked_at is not None and now < state.asked_at + timedelta(days=LINKS_VALID_DAYS)


def is_closed(state: State, now: datetime) -> bool:
    """Whether it counts in the outcomes: answered, or asked and its links expired."""
    if state.asked_at is None:
        return False
    return state.answered_at is not None or not links_open(state, now)


def mail_due(state: State, now: datetime) -> str | None:
    """Which e-mail is due now: "ask", "remind" or None."""
    if state.unsubscribed_at is not None or state.answered_at is not None:
        return None
    if state.asked_at is None:
        return "ask" if now >= state.due_at else None
    if state.reminded_at is not None or not links_open(state, now):
        return None
    return "remind" if now >= state.asked_at + timedelta(days=REMINDER_AFTER_DAYS) else None
