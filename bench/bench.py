"""The load benchmark (`make bench`): gunicorn on PostgreSQL and Redis, each route driven by wrk
at 32 connections for a fixed time, one after the other, reported as ratios to a trivial view
measured in the same run. Loopback only; bounded in time. Writes bench/report.md."""

import json
import os
import random
import re
import statistics
import subprocess
import threading
import time
from datetime import UTC, datetime

from bench.common import (
    GUNICORN_THREADS,
    GUNICORN_WORKERS,
    ROOT,
    Gunicorn,
    app_environment,
    ensure_tools,
    fresh_database,
    make_person_with_assessments,
    rss_mb,
)

PORT = int(os.environ.get("BENCH_PORT", "8099"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "2"))
CONNECTIONS = 32
DATABASE = "careerguide_bench"

# (name, path, authentication, target ratio to the floor, what limits it)
ROUTES = [
    ("/", "/", None, 0.7, "Cached for anonymous visitors: a Redis read."),
    ("role page", "/roles/data-engineer/", None, 0.7, "Cached: a Redis read."),
    ("/tools/", "/tools/", None, 0.7, "Cached: a Redis read."),
    (
        "/tools/ filtered",
        "/tools/?role=data-engineer&q=stream",
        None,
        0.7,
        "Cached per query string: a Redis read.",
    ),
    ("/compare/", "/compare/", None, 0.7, "Cached: a Redis read."),
    ("/assessment/", "/assessment/", None, 0.7, "Cached start page: a Redis read."),
    (
        "result page",
        "/assessment/result/{result}/",
        "cookie",
        None,
        "Personal and not cached: session, user, 4 queries (scores, answers, tools) and a "
        "template with every answer; no target was set.",
    ),
    (
        "/profile/ (logged in)",
        "/profile/",
        "cookie",
        0.3,
        "Personal: session and user reads, then the page from the cache until the person's "
        "history changes (keyed per session, as it holds the CSRF token).",
    ),
    (
        "GET /api/v1/tools/",
        "/api/v1/tools/",
        None,
        0.7,
        "Cached JSON for anonymous clients: a Redis read.",
    ),
    (
        "GET /api/v1/assessments/ (token)",
        "/api/v1/assessments/",
        "token",
        0.3,
        "Knox token check (2 queries: token and user); the JSON comes from the cache until the "
        "person's history changes.",
    ),
    (
        "POST /api/v1/assessments/",
        "/api/v1/assessments/",
        "submit",
        0.15,
        "A write: token check, DRF parsing of 24 answers, ~12 queries in one transaction (bulk "
        "inserts) with a durable commit, then the result read back. CPU-bound at ~15 ms a "
        "submission on 2 cores shared with wrk.",
    ),
]


def run_wrk(url: str, seconds: int, lua: str | None, extra_env: dict) -> dict:
    command = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--latency"]
    if lua:
        command += ["-s", str(ROOT / "bench" / lua)]
    time.sleep(1)  # let the previous run's last requests drain first
    output = subprocess.run(
        [*command, url],
        capture_output=True,
        text=True,
        env={**os.environ, "BENCH_SEED": str(random.randrange(1, 2**31)), **extra_env},
        timeout=seconds + 60,
    ).stdout
    return parse_wrk(output)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _first_group(pattern: str, text: str) -> str:
    match = re.search(pattern, text, re.M)
    if match is None:
        raise RuntimeError(f"wrk printed no {pattern!r}:\n{text}")
    return match.group(1)


def parse_wrk(output: str) -> dict:
    if "Requests/sec" not in output or "99%" not in output:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    rps = float(_first_group(r"Requests/sec:\s+([\d.]+)", output))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+[a-z]+)\s*$", output, re.M))

    def ms(text):
        return _ms(_first_group(r"([\d.]+)", text), _first_group(r"[\d.]+(\w+)", text))

    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket:
        errors += sum(int(n) for n in socket.groups())
    total = int(_first_group(r"(\d+) requests in", output))
    return {
        "rps": rps,
        "p50": ms(latency["50"]),
        "p99": ms(latency["99"]),
        "errors": errors,
        "requests": total,
    }


class MemoryWatch(threading.Thread):
    """Samples each gunicorn worker's resident memory; keeps the peak."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.peak, self.running = server, 0.0, True

    def run(self):
        while self.running:
            for pid in self.server.worker_pids():
                self.peak = max(self.peak, rss_mb(pid))
            time.sleep(0.5)


def main() -> int:
    ensure_tools()
    env = app_environment(DATABASE)
    print(f"Preparing {DATABASE} (content, a person with 50 assessments)...", flush=True)
    fresh_database(env, DATABASE)
    person = make_person_with_assessments(env, "bench-person", 50)
    body = json.dumps(
        {"version": person["version"], "answers": person["answers"], "client_id": "CLIENT_ID"}
    )
    auth_env = {
        None: {},
        "cookie": {"BENCH_COOKIE": f"sessionid={person['session']}"},
        "token": {"BENCH_TOKEN": person["token"]},
        "submit": {"BENCH_TOKEN": person["token"], "BENCH_BODY": body},
    }
    results = []
    floor_url = f"http://127.0.0.1:{PORT}/healthz"
    with Gunicorn(env, PORT) as server:
        watch = MemoryWatch(server)
        watch.start()
        run_wrk(floor_url, WARMUP, "headers.lua", {})
        for name, path, auth, target, limit in ROUTES:
            url = f"http://127.0.0.1:{PORT}{path.format(result=person['result'])}"
            lua = "submit.lua" if auth == "submit" else "headers.lua"
            run_wrk(url, WARMUP, lua, auth_env[auth])
            # The floor is measured right before each route: the machine drifts over a run
            # (other work, CPU frequency), and a ratio of neighbours cancels most of that.
            floor = run_wrk(floor_url, DURATION, "headers.lua", {})
            measured = run_wrk(url, DURATION, lua, auth_env[auth])
            results.append(
                {"name": name, "target": target, "limit": limit, "floor": floor, **measured}
            )
            print(
                f"{name:34} {measured['rps']:9.1f} req/s  p50 {measured['p50']:7.2f} ms  "
                f"p99 {measured['p99']:7.2f} ms  errors {measured['errors']}  "
                f"floor {floor['rps']:7.1f} req/s",
                flush=True,
            )
        watch.running = False
        watch.join()
    failures = write_report(results, watch.peak)
    print((ROOT / "bench" / "report.md").read_text())
    return 1 if failures else 0


def write_report(results, peak_mb) -> list[str]:
    failures = []
    # The reference is the median of the floor runs (one before each route): robust to the odd
    # disturbed run, which a single pair would turn into a wild ratio.
    reference = statistics.median(row["floor"]["rps"] for row in results)
    lines = [
        "# Benchmark report",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` on this project's "
        f"machine (2 cores): gunicorn with {GUNICORN_WORKERS} gthread workers x "
        f"{GUNICORN_THREADS} threads, PostgreSQL and Redis on loopback, DEBUG off; wrk with "
        f"{CONNECTIONS} connections; for each route, one after the other, a {WARMUP} s warm-up, "
        f"then the floor (`/healthz`: a trivial view through the full middleware stack) for "
        f"{DURATION} s, then the route for {DURATION} s. The ratio is the route's rate over the "
        "median of those floor runs (shown first), so it holds on a faster or slower machine; "
        "the floor run beside each route is in its row.",
        "",
        "| route | req/s | p50 ms | p99 ms | errors | floor req/s | ratio | target | met | "
        "what limits it |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
        f"| floor: /healthz (median) | {reference:.0f} | | | 0 | | 1.00 | | | The full "
        "middleware stack and nothing else. |",
    ]
    for row in results:
        floor = reference
        ratio = row["rps"] / floor if floor else 0
        met = row["target"] is None or ratio >= row["target"]
        met = met and row["errors"] == 0
        if not met:
            failures.append(row["name"])
        lines.append(
            f"| {row['name']} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} | "
            f"{row['errors']} | {row['floor']['rps']:.0f} | {ratio:.2f} | {row['target'] or '-'} | "
            f"{'yes' if met else '**no**'} | {row['limit']} |"
        )
    memory_ok = peak_mb < 150
    if not memory_ok:
        failures.append("memory")
    lines += [
        "",
        f"Peak resident memory of a worker: **{peak_mb:.0f} MB** (target: under 150 MB: "
        f"{'met' if memory_ok else 'not met'}).",
        "",
        "Not met: " + ", ".join(failures) if failures else "Every target was met.",
        "",
    ]
    (ROOT / "bench" / "report.md").write_text("\n".join(lines))
    return failures


if __name__ == "__main__":
    raise SystemExit(main())
