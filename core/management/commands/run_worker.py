import logging
import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader

from core.tasks.worker import Worker, run_queue, schedule_due


class Command(BaseCommand):
    help = (
        "Run a task worker: it sends the e-mails, runs the periodic jobs (settings."
        "PERIODIC_JOBS) once per period and retries failed jobs with backoff. Run as many as "
        "you like, on any machine that reaches the database. SIGINT or SIGTERM stops it after "
        "the job in hand."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when the queue is empty (default 1).",
        )
        parser.add_argument("--worker-id", default="", help="A unique name (default: made up).")
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Schedule what is due, run every job ready now, then exit.",
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            default=False,
            help="Restart when the code changes (development; `make run` uses it).",
        )

    def handle(self, *args, interval, worker_id, batch, reload, **options):
        if not logging.getLogger("careerguide.tasks").isEnabledFor(logging.INFO):
            logging.getLogger("careerguide.tasks").setLevel(logging.INFO)
        worker = Worker(worker_id=worker_id, interval=interval)
        if batch:
            worker.beat()
            schedule_due()
            ran = run_queue(worker_id=worker.worker_id)
            self.stdout.write(f"{ran} job(s) run")
            return
        if reload and settings.DEBUG:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.install_signals()
            run_with_reloader(worker.run)
        else:
            worker.install_signals()
            worker.run()
