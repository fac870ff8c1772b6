"""What runs beside the web pages, read from the environment: e-mail, the task queue and its
periodic jobs, /metrics, the admin's second factor, and the logs."""

import os
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int

# E-mail: printed to the console unless EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "careerguide <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Tasks (core.tasks, README "Tasks"): jobs are rows in the database, run by `manage.py
# run_worker` processes (`make worker`; `make run` starts one beside the web server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker writes its heartbeat this often; a job whose worker has not been seen for the lease
# is put back in the queue (the worker was killed), and /readyz reports the queue degraded.
TASKS_HEARTBEAT_SECONDS = env_int("TASKS_HEARTBEAT_SECONDS", 5)
TASKS_WORKER_LEASE = env_int("TASKS_WORKER_LEASE", 60)
# /readyz says the queue is degraded once a ready job has waited this long (seconds).
TASKS_QUEUE_AGE_DEGRADED = env_int("TASKS_QUEUE_AGE_DEGRADED", 300)
# How long finished jobs stay in the queue's table (the daily finished-jobs-prune).
TASKS_KEEP_SUCCEEDED_DAYS = env_int("TASKS_KEEP_SUCCEEDED_DAYS", 7)
TASKS_KEEP_FAILED_DAYS = env_int("TASKS_KEEP_FAILED_DAYS", 30)
# Jobs that run once per period (core.tasks.periodic): the period is `every`, and it starts at
# the Unix epoch + `at` + a whole number of periods (UTC).
PERIODIC_JOBS: dict[str, dict] = {
    "auth-records-prune": {
        "task": "careerguide.accounts.tasks.auth_records_prune",
        "every": timedelta(days=1),
        "at": timedelta(hours=3),
    },
    "figures-recount": {
        "task": "assessments.tasks.figures_recount",
        "every": timedelta(days=1),
        "at": timedelta(hours=4),
    },
    "finished-jobs-prune": {
        "task": "core.tasks.jobs.finished_jobs_prune",
        "every": timedelta(days=1),
        "at": timedelta(hours=2, minutes=30),
    },
    # Hourly, because each person's morning comes at a different hour: a reminder goes out in
    # the first run after 8:00 on the chosen day in the person's own time zone, and a worker
    # that was stopped catches up for two days; each person gets one a week at most
    # (plans.reminding, plans.reminders).
    "plan-reminders": {
        "task": "plans.tasks.plan_reminders_schedule",
        "every": timedelta(hours=1),
        "at": timedelta(minutes=5),
    },
    # The six-month follow-ups and their one reminder, within the hour they come due.
    "follow-ups": {
        "task": "assessments.tasks.follow_ups_schedule",
        "every": timedelta(hours=1),
        "at": timedelta(minutes=35),
    },
}

# /metrics (Prometheus) answers only to `Authorization: Bearer <METRICS_TOKEN>`, and is a 404
# to anything else, and to everyone while it is unset.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "").strip()
# django-prometheus would read the migrations table as every process starts; we don't need it.
PROMETHEUS_EXPORT_MIGRATIONS = False
PROMETHEUS_METRIC_NAMESPACE = ""

# The admin's second factor (careerguide.accounts.two_factor): the name authenticator apps show.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "careerguide")

# Every line carries the id of its request or job (core.log_format); LOG_FORMAT=json writes one
# JSON object per line instead of plain text.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain").strip().lower()
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT must be plain or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.log_format.RequestIdFilter"},
        # The tokens in e-mailed and shared addresses are written as "[hidden]".
        "secret_paths": {"()": "core.log_format.SecretPathFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.log_format.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "secret_paths"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
