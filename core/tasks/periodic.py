"""Periodic jobs (settings.PERIODIC_JOBS): which period a moment falls in, and enqueueing each
job once per period, whoever asks first."""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from core.models import PeriodicRun

from .registry import REQUEST_ID_KWARG

logger = logging.getLogger("careerguide.tasks")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@dataclasses.dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: str
    every: datetime.timedelta
    at: datetime.timedelta = datetime.timedelta(0)

    def period_start(self, now: datetime.datetime) -> datetime.datetime:
        """The start of the period `now` is in: EPOCH + at + n * every, the last one <= now."""
        periods = (now - EPOCH - self.at) // self.every
        return EPOCH + self.at + periods * self.every


def periodic_jobs() -> list[PeriodicJob]:
    """The jobs of settings.PERIODIC_JOBS."""
    return [
        PeriodicJob(
            name=name,
            task=spec["task"],
            every=spec["every"],
            at=spec.get("at", datetime.timedelta(0)),
        )
        for name, spec in getattr(settings, "PERIODIC_JOBS", {}).items()
    ]


def schedule_due(*, now: datetime.datetime) -> list[str]:
    """Enqueue each periodic job whose current period has no run yet; the names of those this
    call enqueued. Safe from any number of processes at once: the unique (job, period_start)
    row is inserted in the same transaction as the job, so exactly one of them gets it."""
    scheduled = []
    for job in periodic_jobs():
        start = job.period_start(now)
        if PeriodicRun.objects.filter(job=job.name, period_start=start).exists():
            continue
        task = import_string(job.task)
        try:
            with transaction.atomic():
                result = task.enqueue(
                    period_start=start.isoformat(),
                    **{REQUEST_ID_KWARG: f"{job.name}@{start:%Y%m%dT%H%MZ}"},
                )
                PeriodicRun.objects.create(job=job.name, period_start=start, task_id=result.id)
        except IntegrityError:
            continue  # another worker scheduled this period first
        logger.info("periodic job %s enqueued for the period from %s", job.name, start)
        scheduled.append(job.name)
    return scheduled
