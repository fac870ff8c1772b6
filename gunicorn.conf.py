"""gunicorn's configuration for careerguide (read from the working directory by default, or
with `--config gunicorn.conf.py`): the metrics of all its worker processes, added up.

Each worker process counts its own requests; prometheus_client's multiprocess mode keeps the
counts in files in PROMETHEUS_MULTIPROC_DIR, which /metrics adds up. The directory must be set
before any worker imports prometheus_client (here, as the master reads this file), must belong
to this one gunicorn (two instances on one machine each need their own), and is emptied when
the master starts, so counts of an earlier run never mix in. Without the variable, a fresh
temporary directory is made."""

import glob
import os
import tempfile

if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="careerguide-metrics-")
os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)


def on_starting(server):
    """Before the first worker: leave no counts of an earlier run in the directory."""
    for path in glob.glob(os.path.join(os.environ["PROMETHEUS_MULTIPROC_DIR"], "*.db")):
        os.remove(path)


def child_exit(server, worker):
    """A worker that exits (restarted, or killed) stops counting in the live gauges; its
    counters and histograms stay in the totals."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
