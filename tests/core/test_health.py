import datetime
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.models import WorkerHeartbeat
from core.tasks import enqueue, run_queue
from tests.core.test_tasks import record


def test_healthz_answers_without_the_database(client):
    # No django_db mark: any database access in the view would raise here.
    response = client.get("/healthz")
    assert response.status_code == 200


@pytest.mark.django_db
def test_readyz_checks_the_database(client):
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_reads_only_the_ready_jobs(client):
    # Anyone may call /readyz: a read of every finished job the table keeps (days of them)
    # on each call would let a stranger keep the database busy. The ready ones have an index.
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/readyz").status_code == 200

    table = DBTaskResult._meta.db_table
    reads = [query["sql"] for query in queries if table in query["sql"]]
    assert reads
    for sql in reads:
        assert f'WHERE "{table}"."status" = \'READY\'' in sql


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_is_down(client):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/readyz")
    assert response.status_code == 503


@pytest.mark.django_db
def test_readyz_reports_the_worker_and_the_queue_as_degraded_but_stays_ready(client):
    text = client.get("/readyz").content.decode()
    assert "worker: degraded (none has run)" in text
    assert "queue: ok (0 ready, oldest waiting 0 s)" in text

    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w", started_at=now, seen_at=now)
    enqueue(record, value="x")
    DBTaskResult.objects.update(enqueued_at=now - datetime.timedelta(minutes=10))
    response = client.get("/readyz")
    assert response.status_code == 200
    text = response.content.decode()
    assert "worker: ok (1 alive)" in text
    assert "queue: degraded (1 ready, oldest waiting 6" in text

    WorkerHeartbeat.objects.update(seen_at=now - datetime.timedelta(minutes=5))
    run_queue()
    response = client.get("/readyz")
    assert response.status_code == 200
    text = response.content.decode()
    assert "worker: degraded (last heartbeat 30" in text
    assert "queue: ok (0 ready" in text
