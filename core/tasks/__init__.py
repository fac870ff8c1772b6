"""Work that runs later, off the request path: django-tasks (the backport of Django 6.0's
`django.tasks`) with its database backend (django-tasks-db), plus what those lack and we need:
retries with backoff, periodic jobs that run once per period however many workers run, a
worker heartbeat, and jobs of a killed worker put back in the queue. See README, "Tasks".

The interface (everything an app needs is imported from here):

Define a task in `<app>/tasks.py`; its arguments are JSON (ids, strings), never model rows:

    from core.tasks import background

    @background(max_attempts=5, backoff=30)
    def reminder_send(*, user_id: int) -> None:
        ...

Enqueue it where the event happens (a service):

    from core.tasks import enqueue
    enqueue(reminder_send, user_id=user.pk)

The job's row is written in the caller's transaction, so it exists exactly when that commits
(and never if it rolls back), and the id of the request that enqueued it (core.request_context)
goes with it to every log line of its run. Nothing is lost while no worker runs: the row waits.

Retries: a job that raises is tried again after `backoff` * 4 ** (attempt - 1) seconds (capped
at an hour), up to `max_attempts` tries in all; then its status is FAILED, with the exception's
traceback on the row (admin: Tasks database backend, and `careerguide_tasks_failed` in
/metrics). Raise `PermanentFailure` to fail at once (a retry cannot help). A job is tried again
as a whole, so write it to be safe to repeat (check what is already done first).

Periodic jobs: name the task in settings.PERIODIC_JOBS, e.g.

    PERIODIC_JOBS = {
        "weekly-reminders": {
            "task": "plans.tasks.reminders_send",
            "every": timedelta(weeks=1),
            # into each period: the period starts at the Unix epoch + `at` + n * `every`
            # (the epoch was a Thursday, so weeks starting Monday 09:00 UTC use
            # timedelta(days=4, hours=9)).
            "at": timedelta(days=4, hours=9),
        },
    }

A periodic task takes one keyword argument, `period_start` (an ISO 8601 string, UTC), the start
of the period it runs for. Each worker looks every few seconds; the first to insert the row
(job, period_start) into core.PeriodicRun (a unique pair) enqueues the job in the same
transaction, so it runs once per period with any number of workers and web instances. A
worker that starts mid-period runs the current period's job at once if nobody has; missed
earlier periods are not run again. When the job succeeds its PeriodicRun gets `succeeded_at`
(the last success per job: selectors.periodic_last_success, and /metrics).

Tests: the test settings use the same database backend. After the code under test has
enqueued (and its transaction committed, or the test's own transaction still open: the rows
are visible to the same connection), run what is queued in-process:

    from core.tasks import run_queue, schedule_due
    run_queue()                      # runs every job ready now, retries that come due too
                                     # when now= is given later; returns how many ran
    schedule_due(now=some_datetime)  # enqueue the periodic jobs due at that moment

`run_queue(now=...)` treats `now` as the current time for what is due (a retry's backoff).
"""

from .registry import PermanentFailure, background, enqueue
from .worker import run_queue, schedule_due

__all__ = ["PermanentFailure", "background", "enqueue", "run_queue", "schedule_due"]
