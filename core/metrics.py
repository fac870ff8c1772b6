"""/metrics in Prometheus' format: django-prometheus' request, database and cache figures
(added up over gunicorn's worker processes in multiprocess mode; gunicorn.conf.py) and the
task queue's, read from the database when scraped."""

import hmac
import os

import prometheus_client
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from .tasks.selectors import periodic_last_success, queue_state_get


def bearer_token_matches(request, token: str) -> bool:
    """Whether the request's `Authorization: Bearer <token>` is `token` (compared in constant
    time); never when `token` is empty."""
    if not token:
        return False
    scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


class QueueCollector(Collector):
    def collect(self):
        state = queue_state_get()
        for name, help_text, value in [
            ("careerguide_tasks_queued", "Jobs ready to run now.", state.queued),
            (
                "careerguide_tasks_waiting",
                "Jobs waiting for a later time (a retry's backoff).",
                state.waiting,
            ),
            ("careerguide_tasks_running", "Jobs a worker is running.", state.running),
            (
                "careerguide_tasks_failed",
                "Jobs that failed for good after their last try (kept for a while).",
                state.failed,
            ),
            (
                "careerguide_tasks_oldest_queued_age_seconds",
                "How long the longest-waiting job ready to run has waited.",
                state.oldest_queued_age,
            ),
            (
                "careerguide_tasks_workers_alive",
                "Workers whose heartbeat is within TASKS_WORKER_LEASE.",
                state.workers_alive,
            ),
        ]:
            yield GaugeMetricFamily(name, help_text, value=value)
        heartbeat = GaugeMetricFamily(
            "careerguide_tasks_worker_last_heartbeat_timestamp_seconds",
            "When any worker last wrote its heartbeat (Unix time; absent: never).",
        )
        if state.last_heartbeat is not None:
            heartbeat.add_metric([], state.last_heartbeat.timestamp())
        yield heartbeat
        success = GaugeMetricFamily(
            "careerguide_periodic_job_last_success_timestamp_seconds",
            "When each periodic job last succeeded (Unix time; 0: never).",
            labels=["job"],
        )
        for job, at in sorted(periodic_last_success().items()):
            success.add_metric([job], at.timestamp() if at else 0.0)
        yield success


def metrics_page() -> bytes:
    """Every figure, as Prometheus reads them."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = prometheus_client.REGISTRY
    queue = prometheus_client.CollectorRegistry()
    queue.register(QueueCollector())
    return prometheus_client.generate_latest(registry) + prometheus_client.generate_latest(queue)
