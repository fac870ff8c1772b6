"""The six-month follow-up's jobs (core.tasks): every hour the periodic job queues one job per
follow-up with an e-mail due (the question or its one reminder), which sends it once
(services.follow_up.follow_up_send) and is retried with backoff if the mail fails."""

from core.tasks import background, enqueue

from .services import follow_up as follow_up_services


@background(max_attempts=5, backoff=60)
def follow_up_send(*, follow_up_id: int) -> str | None:
    return follow_up_services.follow_up_send(follow_up_id=follow_up_id)


@background(max_attempts=3)
def follow_ups_schedule(*, period_start: str) -> int:
    """The periodic job (settings.PERIODIC_JOBS "follow-ups"): a job per follow-up with an
    e-mail due now; how many were queued. A second job for the same one sends nothing."""
    due = follow_up_services.follow_ups_due()
    for follow_up_id in due:
        enqueue(follow_up_send, follow_up_id=follow_up_id)
    return len(due)
