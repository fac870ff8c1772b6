"""The weekly plan reminder's jobs (core.tasks): every hour the periodic job looks for the
people whose reminder is due (their chosen day has reached 8:00 in their time zone) and queues
one job per person, which sends it (once per person
and week, plans.reminders.plan_reminder_send) and is retried with backoff if the mail fails."""

from core import clock
from core.tasks import background, enqueue

from . import reminders
from .reminders import plan_reminders_due


@background(max_attempts=5, backoff=60)
def plan_reminder_send(*, user_id: int) -> bool:
    """One person's reminder for the week open now (by their clock), if due and not yet sent."""
    return reminders.plan_reminder_send(user_id=user_id)


@background(max_attempts=3)
def plan_reminders_schedule(*, period_start: str) -> int:
    """The periodic job (settings.PERIODIC_JOBS "plan-reminders"): a job per person whose
    reminder is due now; how many were queued. Safe to run again: a second job for the same
    person and week sends nothing."""
    due = plan_reminders_due(now=clock.now())
    for user_id in due:
        enqueue(plan_reminder_send, user_id=user_id)
    return len(due)
