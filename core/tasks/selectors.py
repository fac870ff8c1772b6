"""What an operator wants to know about the queue (/metrics, /readyz): how many jobs wait and
for how long, how many failed, whether a worker is alive, each periodic job's last success."""

import dataclasses
import datetime

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from core.models import PeriodicRun, WorkerHeartbeat


@dataclasses.dataclass(frozen=True)
class QueueState:
    queued: int  # ready to run now
    waiting: int  # ready, but not before a later time (a retry's backoff)
    running: int | None  # None: not counted (ready_only)
    failed: int | None  # failed for good, still kept (TASKS_KEEP_FAILED_DAYS)
    oldest_queued_age: float  # seconds the longest-waiting job ready now has waited (0: none)
    last_heartbeat: datetime.datetime | None  # of any worker
    workers_alive: int  # seen within TASKS_WORKER_LEASE


def queue_state_get(
    *, now: datetime.datetime | None = None, ready_only: bool = False
) -> QueueState:
    """The queue as it stands (three queries; two with `ready_only`). `ready_only` (/readyz,
    which anyone may call): the running and failed jobs are not counted (None), so only the
    ready jobs are read, through their partial index, never the finished ones the table keeps
    for days (a read of all of those on each call costs more the more there are)."""
    now = now or timezone.now()
    never = get_date_max()
    due = Q(run_after__lte=now) | Q(run_after=never)
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    figures = ready.aggregate(
        queued=Count("pk", filter=due),
        waiting=Count("pk", filter=Q(run_after__gt=now) & ~Q(run_after=never)),
        # A job waits from when it was queued, or from when its retry came due.
        oldest_new=Min("enqueued_at", filter=Q(run_after=never)),
        oldest_retry=Min("run_after", filter=Q(run_after__lte=now)),
    )
    if not ready_only:
        figures |= DBTaskResult.objects.filter(
            status__in=[TaskResultStatus.RUNNING, TaskResultStatus.FAILED]
        ).aggregate(
            running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
            failed=Count("pk", filter=Q(status=TaskResultStatus.FAILED)),
        )
    since = [value for value in (figures["oldest_new"], figures["oldest_retry"]) if value]
    oldest = max(0.0, (now - min(since)).total_seconds()) if since else 0.0
    lease = now - datetime.timedelta(seconds=settings.TASKS_WORKER_LEASE)
    workers = WorkerHeartbeat.objects.aggregate(
        last=Max("seen_at"), alive=Count("pk", filter=Q(seen_at__gte=lease))
    )
    return QueueState(
        queued=figures["queued"],
        waiting=figures["waiting"],
        running=figures.get("running"),
        failed=figures.get("failed"),
        oldest_queued_age=oldest,
        last_heartbeat=workers["last"],
        workers_alive=workers["alive"],
    )


def periodic_last_success() -> dict[str, datetime.datetime | None]:
    """Each periodic job of settings.PERIODIC_JOBS: when a run of it last succeeded (None:
    never)."""
    last = dict(
        PeriodicRun.objects.filter(succeeded_at__isnull=False)
        .values("job")
        .annotate(last=Max("succeeded_at"))
        .values_list("job", "last")
    )
    return {name: last.get(name) for name in getattr(settings, "PERIODIC_JOBS", {})}
