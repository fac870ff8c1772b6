"""assessments' periodic jobs (settings.PERIODIC_JOBS, run by the task worker)."""

import logging

from core.tasks import background

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
