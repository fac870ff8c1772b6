"""The task queue (core.tasks): enqueued with the transaction, run by a worker, retried with
backoff to a visible failed state, periodic jobs once per period, abandoned jobs put back."""

import datetime
import logging

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.models import PeriodicRun, WorkerHeartbeat
from core.request_context import request_id_bound, request_id_get
from core.tasks import PermanentFailure, background, enqueue, run_queue, schedule_due
from core.tasks.periodic import PeriodicJob
from core.tasks.worker import Worker, requeue_abandoned

pytestmark = pytest.mark.django_db

calls: list[dict] = []


@background(max_attempts=3, backoff=10)
def record(*, value: str) -> str:
    calls.append({"value": value, "request_id": request_id_get()})
    logging.getLogger("careerguide.tests").info("recorded %s", value)
    return value


@background(max_attempts=3, backoff=10)
def always_fails(*, value: str) -> None:
    calls.append({"value": value})
    raise ConnectionError("the mail server is away")


@background(max_attempts=5)
def fails_permanently() -> None:
    raise PermanentFailure("no such thing")


@background(max_attempts=2)
def periodic_record(*, period_start: str) -> None:
    calls.append({"period_start": period_start})


@pytest.fixture(autouse=True)
def _calls():
    calls.clear()
    yield
    calls.clear()


def test_a_job_is_queued_with_the_transaction_and_run_by_the_worker():
    with transaction.atomic():
        enqueue(record, value="kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(record, value="rolled back")
        raise RuntimeError
    assert DBTaskResult.objects.count() == 1
    assert calls == []  # nothing runs in the request
    assert run_queue() == 1
    assert calls[0]["value"] == "kept"
    assert calls[0]["request_id"].startswith("job-")  # its own id, queued outside a request
    job = DBTaskResult.objects.get()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert job.return_value == "kept"


def test_a_job_carries_the_id_of_the_request_that_queued_it(caplog):
    with request_id_bound("req-123"):
        enqueue(record, value="x")
    caplog.set_level(logging.INFO, logger="careerguide.tests")
    run_queue()
    assert calls[0]["request_id"] == "req-123"
    assert request_id_get() == ""  # bound for the job only


def test_a_failing_job_is_retried_with_backoff_then_fails_visibly():
    enqueue(always_fails, value="x")
    start = timezone.now()
    assert run_queue(now=start) == 1
    job = DBTaskResult.objects.get()
    assert job.status == TaskResultStatus.READY
    assert job.exception_class_path == "builtins.ConnectionError"
    assert job.run_after >= start + datetime.timedelta(seconds=10)
    # Not due yet: the backoff holds it back.
    assert run_queue(now=start + datetime.timedelta(seconds=5)) == 0
    assert run_queue(now=start + datetime.timedelta(seconds=11)) == 1
    job.refresh_from_db()
    assert job.status == TaskResultStatus.READY
    # The second wait is four times the first.
    assert job.run_after >= start + datetime.timedelta(seconds=11 + 40)
    assert run_queue(now=start + datetime.timedelta(minutes=5)) == 1
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED
    assert "the mail server is away" in job.traceback
    assert len(job.worker_ids) == 3 == len(calls)
    assert run_queue(now=start + datetime.timedelta(days=1)) == 0


def test_a_permanent_failure_is_not_retried():
    enqueue(fails_permanently)
    run_queue()
    job = DBTaskResult.objects.get()
    assert job.status == TaskResultStatus.FAILED
    assert job.exception_class_path.endswith("PermanentFailure")


PERIODIC = {
    "test-daily": {
        "task": "tests.core.test_tasks.periodic_record",
        "every": datetime.timedelta(days=1),
        "at": datetime.timedelta(hours=3),
    }
}


@override_settings(PERIODIC_JOBS=PERIODIC)
def test_a_periodic_job_runs_once_per_period_and_records_its_success():
    at = datetime.datetime(2026, 3, 10, 4, 0, tzinfo=datetime.UTC)
    assert schedule_due(now=at) == ["test-daily"]
    assert schedule_due(now=at + datetime.timedelta(hours=10)) == []  # same period
    run_queue(now=at)
    assert calls == [{"period_start": "2026-03-10T03:00:00+00:00"}]
    run = PeriodicRun.objects.get()
    assert run.succeeded_at is not None
    # Before 03:00 the next day it is still the same period; after, a new one.
    assert schedule_due(now=datetime.datetime(2026, 3, 11, 2, 59, tzinfo=datetime.UTC)) == []
    assert schedule_due(now=datetime.datetime(2026, 3, 11, 3, 0, tzinfo=datetime.UTC)) == [
        "test-daily"
    ]
    assert PeriodicRun.objects.count() == 2


@override_settings(PERIODIC_JOBS=PERIODIC)
def test_a_second_worker_racing_for_the_same_period_enqueues_nothing(monkeypatch):
    at = datetime.datetime(2026, 3, 10, 4, 0, tzinfo=datetime.UTC)
    schedule_due(now=at)
    # The other worker checked before this one's row was there: the unique row refuses it,
    # and its job is rolled back with it.
    monkeypatch.setattr("django.db.models.query.QuerySet.exists", lambda self: False)
    assert schedule_due(now=at) == []
    assert PeriodicRun.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_period_starts_follow_every_and_at():
    weekly = PeriodicJob(
        name="w",
        task="x",
        every=datetime.timedelta(weeks=1),
        at=datetime.timedelta(days=4, hours=9),
    )
    # Saturday 5 December 2026: the week began on Monday 30 November at 09:00.
    now = datetime.datetime(2026, 12, 5, 12, 0, tzinfo=datetime.UTC)
    assert weekly.period_start(now) == datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)


def test_a_job_of_a_killed_worker_goes_back_to_the_queue_and_runs_once():
    enqueue(record, value="once")
    now = timezone.now()
    dead = Worker(worker_id="dead")
    dead.beat()
    job = DBTaskResult.objects.get()
    job.claim("dead")  # it took the job, then was killed before finishing
    alive = Worker(worker_id="alive")
    alive.beat()
    assert requeue_abandoned(now=now) == 0  # the dead one beat just now: still in its lease
    WorkerHeartbeat.objects.filter(worker_id="dead").update(
        seen_at=now - datetime.timedelta(minutes=5)
    )
    assert requeue_abandoned(now=now) == 1
    job.refresh_from_db()
    assert job.status == TaskResultStatus.READY
    assert run_queue(worker_id="alive") == 1
    assert [call["value"] for call in calls] == ["once"]
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert job.worker_ids == ["dead", "in-process"] or job.worker_ids == ["dead", "alive"]


@override_settings(PERIODIC_JOBS=PERIODIC)
def test_the_worker_beats_schedules_and_runs_in_its_loop():
    enqueue(record, value="loop")
    worker = Worker(worker_id="w1")
    worker.beat()
    # The first round schedules today's periodic job and runs the oldest ready job.
    assert worker.tick() is True
    assert worker.tick() is True
    assert worker.tick() is False
    assert calls[0]["value"] == "loop"
    assert "period_start" in calls[1]
    assert WorkerHeartbeat.objects.filter(worker_id="w1").exists()
