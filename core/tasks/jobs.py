"""core's own periodic job: the queue's finished rows are kept a while for operators to read,
then deleted."""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .registry import background


@background(max_attempts=3)
def finished_jobs_prune(*, period_start: str) -> dict[str, int]:
    """Delete jobs that succeeded more than TASKS_KEEP_SUCCEEDED_DAYS ago and failed ones
    after TASKS_KEEP_FAILED_DAYS; the number of each deleted."""
    now = timezone.now()
    succeeded = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL,
        finished_at__lt=now - datetime.timedelta(days=settings.TASKS_KEEP_SUCCEEDED_DAYS),
    ).delete()[0]
    failed = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED,
        finished_at__lt=now - datetime.timedelta(days=settings.TASKS_KEEP_FAILED_DAYS),
    ).delete()[0]
    return {"succeeded": succeeded, "failed": failed}
