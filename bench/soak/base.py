"""The soak's settings, its table of checks, and the pages everyone browses."""

import os

from bench.common import ROOT

# SOAK_DATABASE and SOAK_PORTS let two soaks on one machine keep apart.
DATABASE = os.environ.get("SOAK_DATABASE", "careerguide_soak")
PORT_A, PORT_B = (int(port) for port in os.environ.get("SOAK_PORTS", "8101,8102").split(","))
# The throttling check's two extra instances: the next two ports after PORT_B, so that moving
# SOAK_PORTS moves them too (fixed ones would meet another soak's).
PORT_C, PORT_D = PORT_B + 1, PORT_B + 2
MIXED_SECONDS = int(os.environ.get("SOAK_SECONDS", "60"))
RESTART_LOAD_SECONDS = int(os.environ.get("SOAK_RESTART_SECONDS", "30"))
PG_DOWN_SECONDS = 5
CONNECTIONS = 64
# Redis outage: load before the stop, the outage itself, load after Redis is back (empty).
REDIS_BEFORE_SECONDS, REDIS_DOWN_SECONDS, REDIS_AFTER_SECONDS = 12, 20, 15
# How long a readiness probe may take before it counts as "not ready", as a balancer's would.
PROBE_TIMEOUT = 5.0
# The app's own output (its warnings and tracebacks) goes here, not among the soak's figures.
APP_LOG = ROOT / "var" / "soak-app.log"
STEPS = [
    "watcher",
    "mixed",
    "postgres",
    "instances",
    "identical",
    "tasks",
    "partition",
    "redis",
]

checks: list[tuple[str, bool | None, str]] = []


def check(name: str, ok: bool, detail: str) -> None:
    checks.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)


def note(name: str, detail: str) -> None:
    """A figure worth printing that passes or fails nothing."""
    checks.append((name, None, detail))
    print(f"INFO  {name}: {detail}", flush=True)


BROWSE = ["/", "/tools/", "/roles/data-engineer/", "/compare/", "/tools/?q=stream", "/readyz"]
