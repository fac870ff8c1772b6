"""The one table of core's own: the version tokens of what is shared by everyone (the
catalog, everyone's counted results). core.caching reads and bumps them; no app imports it
for anything else. A person's history token is a column of their user row instead, read with
it (core.caching.versions)."""

import uuid

from django.db import models


def new_token() -> str:
    """A fresh version token: random, so no two states of anything ever share one."""
    return uuid.uuid4().hex


class CacheVersion(models.Model):
    """The token of one shared thing (`name`: "catalog" or "peers"). It changes by an UPDATE
    in the same transaction as the change it stands for, so no cache outage can lose it."""

    name = models.CharField(max_length=40, primary_key=True)
    token = models.CharField(max_length=32, default=new_token)

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"


class WorkerHeartbeat(models.Model):
    """A task worker that is (or was) running: it writes `seen_at` every few seconds
    (core.tasks.worker). A job still marked running by a worker not seen for TASKS_WORKER_LEASE
    seconds was abandoned (the worker was killed) and goes back to the queue."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class PeriodicRun(models.Model):
    """One run of a periodic job (settings.PERIODIC_JOBS) for one period. The unique pair
    (job, period_start) is what makes a job run once per period however many workers look:
    the first to insert the row enqueues the job, in the same transaction."""

    job = models.CharField(max_length=80)
    period_start = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)
    # The queued job (django_tasks_db's DBTaskResult id), and when it succeeded.
    task_id = models.UUIDField(null=True, blank=True, db_index=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "period_start"], name="periodic_run_once"),
        ]
        indexes = [models.Index(fields=["job", "succeeded_at"], name="periodic_run_success")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.period_start:%Y-%m-%d %H:%M}"
