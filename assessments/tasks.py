"""assessments' jobs (core.tasks, run by the task worker): the nightly recount of the figures,
and the six-month follow-up's: every hour the periodic job queues one job per follow-up with an
e-mail due (the question or its one reminder), which sends it once
(services.follow_up.follow_up_send) and is retried with backoff if the mail fails."""

import logging

from core.tasks import background, enqueue

from .services import follow_up as follow_up_services
from .services.figures import peer_counts_check

logger = logging.getLogger("careerguide.figures")


@background(max_attempts=3, backoff=300)
def figures_recount(*, period_start: str) -> dict:
    """Nightly: recount everyone's figures, repair the kept counts that drifted and report
    them (a warning in the log, and the job's return value in the admin)."""
    drifted = peer_counts_check()
    if drifted:
        logger.warning(
            "figures recount: %d kept count(s) had drifted and were repaired: %s",
            len(drifted),
            "; ".join(
                f"version {row['version']} {row['kind']} {row['key']!r}: "
                f"kept {row['kept']}, true {row['true']}"
                for row in drifted[:20]
            ),
        )
    else:
        logger.info("figures recount: every kept count was right")
    return {"drifted": len(drifted), "rows": drifted[:100]}


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
