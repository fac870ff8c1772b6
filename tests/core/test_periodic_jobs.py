"""The periodic jobs of settings.PERIODIC_JOBS: each runs once per period, however many
workers schedule it, and records its success; the daily prune of log-in records; the nightly
recount of the figures, which repairs drift and reports it."""

import datetime
import logging

import pytest
from axes.models import AccessLog
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from assessments import peers
from assessments.models import PeerCount
from core.models import PeriodicRun
from core.tasks import run_queue, schedule_due
from core.tasks.worker import Worker
from tests.assessments.helpers import DATA, MLOPS, submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NIGHT = datetime.datetime(2026, 12, 5, 4, 30, tzinfo=datetime.UTC)


def test_every_job_is_scheduled_once_per_day_by_two_workers_and_records_its_success():
    first, second = Worker(worker_id="one"), Worker(worker_id="two")
    first.beat()
    second.beat()
    assert sorted(schedule_due(now=NIGHT)) == [
        "auth-records-prune",
        "figures-recount",
        "finished-jobs-prune",
        "follow-ups",  # hourly, as the plan reminders (nothing is due: they queue nothing)
        "plan-reminders",
    ]
    assert schedule_due(now=NIGHT + datetime.timedelta(minutes=1)) == []
    assert run_queue(now=NIGHT) == 5
    assert run_queue(now=NIGHT) == 0
    runs = PeriodicRun.objects.all()
    assert len(runs) == 5
    assert all(run.succeeded_at is not None for run in runs)
    # The next day's runs: one more of each.
    assert len(schedule_due(now=NIGHT + datetime.timedelta(days=1))) == 5
    assert PeriodicRun.objects.count() == 10


def test_the_daily_prune_deletes_old_log_in_records_and_expired_sessions(settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    person = UserFactory()
    log = AccessLog.objects.create(
        username=person.username,
        ip_address="203.0.113.5",
        user_agent="",
        http_accept="",
        path_info="/accounts/login/",
    )
    AccessLog.objects.filter(pk=log.pk).update(
        attempt_time=timezone.now() - datetime.timedelta(days=31)
    )
    Session.objects.create(
        session_key="x" * 32,
        session_data="",
        expire_date=timezone.now() - datetime.timedelta(days=1),
    )
    schedule_due(now=timezone.now())
    run_queue()
    assert not AccessLog.objects.exists()
    assert not Session.objects.exists()
    job = DBTaskResult.objects.get(task_path="careerguide.accounts.tasks.auth_records_prune")
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert job.return_value["access logs"] == 1


def _counts():
    return {
        (row.version_id, row.kind, row.key): row.count for row in PeerCount.objects.exclude(count=0)
    }


def test_the_nightly_recount_repairs_drift_and_reports_it(version, caplog):
    for _ in range(3):
        submit(version, UserFactory(), (MLOPS,))
    submit(version, UserFactory(), (DATA,))
    right = _counts()
    # Drift: a count lost one, another gained two, a third is missing altogether.
    people = PeerCount.objects.get(version=version, kind=peers.PEOPLE, key="")
    PeerCount.objects.filter(pk=people.pk).update(count=people.count - 1)
    PeerCount.objects.filter(version=version, kind=peers.TOP_ROLE, key=MLOPS).update(count=5)
    PeerCount.objects.filter(version=version, kind=peers.TOP_ROLE, key=DATA).delete()
    caplog.set_level(logging.INFO, logger="careerguide.figures")

    schedule_due(now=NIGHT)
    run_queue(now=NIGHT)

    assert _counts() == right
    job = DBTaskResult.objects.get(task_path="assessments.tasks.figures_recount")
    assert job.return_value["drifted"] == 3
    reported = {
        (row["kind"], row["key"], row["kept"], row["true"]) for row in job.return_value["rows"]
    }
    assert (peers.PEOPLE, "", 3, 4) in reported
    assert (peers.TOP_ROLE, MLOPS, 5, 3) in reported
    assert (peers.TOP_ROLE, DATA, 0, 1) in reported
    assert "3 kept count(s) had drifted and were repaired" in caplog.text

    # The next night finds nothing to repair.
    schedule_due(now=NIGHT + datetime.timedelta(days=1))
    run_queue(now=NIGHT + datetime.timedelta(days=1))
    latest = DBTaskResult.objects.filter(task_path="assessments.tasks.figures_recount").order_by(
        "-enqueued_at"
    )[0]
    assert latest.return_value == {"drifted": 0, "rows": []}
    assert _counts() == right
