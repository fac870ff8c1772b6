"""/metrics: Prometheus' figures, only with the bearer token (a 404 otherwise and while none is
set): per-view latency histograms, database and cache figures, and the task queue's (depth,
oldest job's age, failures, workers, each periodic job's last success). Under gunicorn the
worker processes' figures are added up (multiprocess mode, gunicorn.conf.py)."""

import datetime
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.models import PeriodicRun, WorkerHeartbeat
from core.tasks import enqueue, run_queue, schedule_due
from tests.core.test_tasks import always_fails, record

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
TOKEN = "a-long-random-metrics-token-7c1f"


def _scrape(client, authorization=None):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}
    return client.get("/metrics", **headers)


def _counted(text: str, name: str, labels: str = "") -> float:
    """A counter's value; 0 when no process has counted one yet (it isn't written then)."""
    match = re.search(rf"^{re.escape(name + labels)} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def _value(text: str, name: str, labels: str = "") -> float:
    match = re.search(rf"^{re.escape(name + labels)} (\S+)$", text, re.MULTILINE)
    assert match, f"{name}{labels} not in the page"
    return float(match.group(1))


@pytest.mark.parametrize(
    ("token", "authorization"),
    [
        ("", None),
        ("", "Bearer "),  # an unset token never matches an empty one
        (TOKEN, None),
        (TOKEN, "Bearer wrong"),
        (TOKEN, f"Token {TOKEN}"),
        (TOKEN, f"Bearer {TOKEN}x"),
    ],
)
def test_metrics_are_a_404_without_the_right_bearer_token(settings, token, authorization):
    settings.METRICS_TOKEN = token
    response = _scrape(Client(), authorization)
    assert response.status_code == 404
    assert b"django_http" not in response.content


def test_metrics_show_per_view_latency_database_and_queue_figures(settings):
    settings.METRICS_TOKEN = TOKEN
    client = Client()
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    response = _scrape(client, f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    text = response.content.decode()
    assert (
        _value(
            text,
            "django_http_requests_latency_seconds_by_view_method_count",
            '{method="GET",view="healthz"}',
        )
        >= 3
    )
    assert (
        'django_http_requests_latency_seconds_by_view_method_bucket{le="0.1",method="GET",view="healthz"}'
        in text
    )
    assert "django_db_execute_total" in text
    assert "django_db_new_connections_total" in text


def test_every_answer_is_counted_by_status_view_and_method(settings):
    """One histogram and one counter per request (core.request_metrics): a 404 that resolved
    to no view, and a method nobody knows, each stay one series."""
    settings.METRICS_TOKEN = TOKEN
    client = Client()
    before = _scrape(client, f"Bearer {TOKEN}").content.decode()
    client.get("/healthz")
    client.get("/no-such-page/")
    client.generic("BREW", "/healthz")
    text = _scrape(client, f"Bearer {TOKEN}").content.decode()

    def added(labels):
        name = "django_http_responses_total_by_status_view_method_total"
        return _counted(text, name, labels) - _counted(before, name, labels)

    assert added('{method="GET",status="200",view="healthz"}') == 1
    assert added('{method="GET",status="404",view="<no view>"}') == 1
    assert added('{method="<other>",status="200",view="healthz"}') == 1
    # Only the figures read: none of django-prometheus' per-request extras.
    assert "django_http_requests_total_by_transport" not in text
    assert "django_http_responses_body_total_bytes" not in text


def test_metrics_show_the_queue(settings):
    settings.METRICS_TOKEN = TOKEN
    now = timezone.now()
    enqueue(always_fails, value="x")
    run_queue(now=now)  # tried once: waits for its retry
    enqueue(record, value="y")
    DBTaskResult.objects.filter(task_path__endswith="record").update(
        enqueued_at=now - datetime.timedelta(minutes=2)
    )
    failed = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="tests.core.test_tasks.record",
        backend_name="default",
        status=TaskResultStatus.FAILED,
    )
    assert failed.pk
    schedule_due(now=now)
    WorkerHeartbeat.objects.create(worker_id="w", started_at=now, seen_at=now)
    PeriodicRun.objects.update(succeeded_at=now)

    text = _scrape(Client(), f"Bearer {TOKEN}").content.decode()
    assert _value(text, "careerguide_tasks_queued") == 6  # `record` and 5 periodic jobs
    assert _value(text, "careerguide_tasks_waiting") == 1
    assert _value(text, "careerguide_tasks_failed") == 1
    assert 119 <= _value(text, "careerguide_tasks_oldest_queued_age_seconds") < 300
    assert _value(text, "careerguide_tasks_workers_alive") == 1
    assert _value(
        text, "careerguide_tasks_worker_last_heartbeat_timestamp_seconds"
    ) == pytest.approx(now.timestamp())
    assert _value(
        text, "careerguide_periodic_job_last_success_timestamp_seconds", '{job="figures-recount"}'
    ) == pytest.approx(now.timestamp())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


def test_under_gunicorn_the_workers_figures_are_added_up(tmp_path):
    """Two gunicorn worker processes: the requests they served together are in one scrape."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "PROMETHEUS_MULTIPROC_DIR", "DATABASE_URL"}
    }
    environment.update(
        # Debug mode serves the static files without collectstatic; the metrics are the same.
        DEBUG="1",
        REDIS_URL="redis://127.0.0.1:6379/8",
        DATABASE_URL=f"sqlite:///{tmp_path / 'metrics.sqlite3'}",
        METRICS_TOKEN=TOKEN,
        PROMETHEUS_MULTIPROC_DIR=tempfile.mkdtemp(dir=tmp_path),
        LOG_LEVEL="WARNING",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=180,
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "careerguide.wsgi",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{base}/healthz")
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        for _ in range(40):
            _get(f"{base}/healthz")
        for _ in range(5):
            _get(f"{base}/")  # a cached page: reads from Redis
        served = sorted(os.listdir(environment["PROMETHEUS_MULTIPROC_DIR"]))
        assert any(name.startswith("histogram_") for name in served)
        with pytest.raises(urllib.error.HTTPError) as refused:
            _get(f"{base}/metrics")
        assert refused.value.code == 404
        status, text = _get(f"{base}/metrics", {"Authorization": f"Bearer {TOKEN}"})
        assert status == 200
        counted = _value(
            text,
            "django_http_requests_latency_seconds_by_view_method_count",
            '{method="GET",view="healthz"}',
        )
        assert counted >= 41  # every worker's, not only the one that answered the scrape
        assert "careerguide_tasks_queued 0.0" in text
        # Each worker reads "/" from Redis once, then from its own memory (core.caching): how
        # many reads that makes depends on which worker took which request, so at least one.
        gets = _value(text, "django_cache_get_total", '{backend="redis"}')
        hits = _counted(text, "django_cache_get_hits_total", '{backend="redis"}')
        misses = _counted(text, "django_cache_get_misses_total", '{backend="redis"}')
        assert gets >= 1 and hits + misses == gets
        assert _value(text, "django_db_execute_total", '{alias="default",vendor="sqlite"}') > 0
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
