"""The worker: claims ready jobs one at a time (SELECT ... FOR UPDATE SKIP LOCKED on
PostgreSQL, an exclusive transaction on SQLite), runs them, retries failures with backoff, puts
back the jobs of workers that stopped beating, schedules periodic jobs and beats its heart."""

import datetime
import logging
import os
import signal
import socket
import sys
import threading
import traceback
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Q
from django.db.utils import OperationalError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from core.models import PeriodicRun, WorkerHeartbeat
from core.request_context import request_id_bound

from .periodic import schedule_due as _schedule_due
from .registry import (
    FORGOTTEN,
    REQUEST_ID_KWARG,
    PermanentFailure,
    retry_policy,
    secret_kwargs,
)

logger = logging.getLogger("careerguide.tasks")


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now if now is not None else timezone.now()


def schedule_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue the periodic jobs due at `now` (default: the current time)."""
    return _schedule_due(now=_now(now))


def _claim(worker_id: str, now: datetime.datetime) -> DBTaskResult | None:
    """Take the next ready job for `worker_id` (marked running, committed), or None."""
    ready = DBTaskResult.objects.filter(
        Q(run_after__lte=now) | Q(run_after=get_date_max()), status=TaskResultStatus.READY
    )
    try:
        with exclusive_transaction(DBTaskResult.objects.db):
            # In the model's order: priority, then run_after, then enqueued_at.
            job = ready.select_for_update(skip_locked=True).first()
            if job is not None:
                job.claim(worker_id)
            return job
    except OperationalError as error:
        if is_locked_database_exception(error):
            return None  # SQLite: another writer holds the lock; try again next round
        raise


def _forget_secrets(job: DBTaskResult) -> None:
    """Overwrite the job's secret arguments (background's `secret`): it is done with them."""
    kwargs = job.args_kwargs["kwargs"]
    names = [name for name in secret_kwargs(job.task_path) if name in kwargs]
    if names:
        kwargs.update(dict.fromkeys(names, FORGOTTEN))
        job.save(update_fields=["args_kwargs"])


def _succeeded(job: DBTaskResult, return_value: Any) -> None:
    job.set_successful(return_value)
    _forget_secrets(job)
    PeriodicRun.objects.filter(task_id=job.id).update(succeeded_at=job.finished_at)


def _failed(
    job: DBTaskResult, error: BaseException, now: datetime.datetime, *, at_once: bool = False
) -> None:
    """Try the job again later (`at_once`: now), or mark it failed for good after its last
    try."""
    attempt = len(job.worker_ids)
    policy = retry_policy(job.task_path)
    if isinstance(error, PermanentFailure) or attempt >= policy.max_attempts:
        job.set_failed(error)
        _forget_secrets(job)
        logger.error(
            "job %s (%s) failed for good after %d tries: %r",
            job.id,
            job.task_path,
            attempt,
            error,
        )
        return
    delay = 0.0 if at_once else policy.delay(attempt)
    job.status = TaskResultStatus.READY
    job.run_after = now + datetime.timedelta(seconds=delay)
    job.exception_class_path = f"{type(error).__module__}.{type(error).__qualname__}"
    job.traceback = "".join(traceback.format_exception(error))
    job.save(update_fields=["status", "run_after", "exception_class_path", "traceback"])
    logger.warning(
        "job %s (%s) failed on try %d of %d, tried again in %.0f s: %r",
        job.id,
        job.task_path,
        attempt,
        policy.max_attempts,
        delay,
        error,
    )


def run_job(job: DBTaskResult, *, now: datetime.datetime | None = None) -> bool:
    """Run one claimed job and record how it went; whether it succeeded. Every line logged
    meanwhile carries the id of the request that queued it (or the job's own)."""
    request_id = job.args_kwargs["kwargs"].get(REQUEST_ID_KWARG) or f"job-{job.id}"
    with request_id_bound(request_id):
        try:
            task = job.task
            value = task.call(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])
        except Exception as error:
            _failed(job, error, _now(now))
            return False
        _succeeded(job, value)
        return True


def requeue_abandoned(*, now: datetime.datetime | None = None) -> int:
    """Put back in the queue the jobs marked running by a worker that has not beaten its heart
    for TASKS_WORKER_LEASE seconds (killed, or its machine lost): the try counts, and a job
    out of tries is failed. How many were put back or failed."""
    now = _now(now)
    stale_before = now - datetime.timedelta(seconds=settings.TASKS_WORKER_LEASE)
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=stale_before).values_list(
            "worker_id", flat=True
        )
    )
    count = 0
    for job in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        if job.worker_ids and job.worker_ids[-1] in alive:
            continue
        with exclusive_transaction(DBTaskResult.objects.db):
            locked = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=job.pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if locked is None or locked.worker_ids != job.worker_ids:
                continue
            lost = RuntimeError(f"worker {job.worker_ids[-1:]} stopped while running this job")
            _failed(locked, lost, now, at_once=True)
        count += 1
    return count


def run_queue(*, now: datetime.datetime | None = None, worker_id: str = "in-process") -> int:
    """Run every job that is ready at `now`, here and now (tests, `run_worker --batch`); the
    number of jobs run. A retry due later than `now` waits."""
    ran = 0
    while (job := _claim(worker_id, _now(now))) is not None:
        run_job(job, now=now)
        ran += 1
    return ran


class Worker:
    """`manage.py run_worker`: loops until SIGINT/SIGTERM, finishing the job in hand first."""

    def __init__(self, *, worker_id: str = "", interval: float = 1.0):
        self.worker_id = worker_id or f"{socket.gethostname()[:40]}-{get_random_string(12)}"
        self.interval = interval
        self.stopping = threading.Event()
        self.busy = False
        self.loop_thread: threading.Thread | None = None

    def beat(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"seen_at": now, "hostname": socket.gethostname()[:255], "pid": os.getpid()},
            create_defaults={
                "seen_at": now,
                "started_at": now,
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
            },
        )

    def _beat_forever(self) -> None:
        # Its own thread (and database connection), so a long job keeps its worker alive.
        while not self.stopping.wait(settings.TASKS_HEARTBEAT_SECONDS):
            try:
                self.beat()
            except Exception:
                logger.warning("worker %s: heartbeat not written", self.worker_id, exc_info=True)
            finally:
                connection.close()

    def stop(self, signum: int, frame: Any) -> None:
        logger.info("worker %s: stopping after the job in hand", self.worker_id)
        self.stopping.set()
        loop = self.loop_thread
        if loop is not None and loop is not threading.current_thread():
            # Under the autoreloader the loop runs in a thread of its own: let it finish its
            # job, then leave (the reloader's own loop never would).
            loop.join(timeout=settings.TASKS_WORKER_LEASE)
            sys.exit(0)

    def install_signals(self) -> None:
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGTERM, self.stop)

    def tick(self) -> bool:
        """One round: schedule, put back abandoned jobs, run one job; whether one ran."""
        schedule_due()
        requeue_abandoned()
        job = _claim(self.worker_id, timezone.now())
        if job is None:
            return False
        self.busy = True
        try:
            run_job(job)
        finally:
            self.busy = False
        return True

    def run(self) -> None:
        """Loop until stopped (install_signals first, from the main thread)."""
        self.loop_thread = threading.current_thread()
        self.beat()
        # Heartbeats older than a day are of workers long gone.
        WorkerHeartbeat.objects.filter(
            seen_at__lt=timezone.now() - datetime.timedelta(days=1)
        ).delete()
        logger.info("worker %s started (pid %s)", self.worker_id, os.getpid())
        beating = threading.Thread(target=self._beat_forever, daemon=True)
        beating.start()
        while not self.stopping.is_set():
            # As Django does around a request: drop a connection that broke or aged out.
            close_old_connections()
            try:
                ran = self.tick()
            except OperationalError:
                # The database went away (a restart): wait and try again, as the web does.
                logger.warning("worker %s: the database is not answering", self.worker_id)
                ran = False
            if not ran:
                self.stopping.wait(self.interval)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        logger.info("worker %s stopped", self.worker_id)
