"""The load benchmark (`make bench`): gunicorn on PostgreSQL and Redis, each route driven by wrk
at 32 connections for a fixed time, one after the other, reported as ratios to a trivial view
measured in the same run. Loopback only; bounded in time. Writes bench/report.md."""

import json
import os
import random
import re
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
    ("floor: /healthz", "/healthz", None, None, "The full middleware stack and nothing else."),
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
        "Personal: session from Redis, 5 queries and a template render.",
    ),
    (
        "/profile/ (logged in)",
        "/profile/",
        "cookie",
        0.3,
        "Personal: session, 5 queries (page of 10 with scores, chart) and the SVG chart render.",
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
        "Knox token check (2 queries), 5 queries for a page of 20, DRF serialization.",
    ),
    (
        "POST /api/v1/assessments/",
        "/api/v1/assessments/",
        "submit",
        0.15,
        "A write transaction: about 15 queries (bulk inserts), commit and fsync, DRF parsing.",
    ),
    (
        "floor again: /healthz",
        "/healthz",
        None,
        None,
        "Measured last as well: the floor is the mean of both runs, so drift shows.",
    ),
]


def run_wrk(url: str, seconds: int, lua: str | None, extra_env: dict) -> dict:
    command = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--latency"]
    if lua:
        command += ["-s", str(ROOT / "bench" / lua)]
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


def parse_wrk(output: str) -> dict:
    if "Requests/sec" not in output or "99%" not in output:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+[a-z]+)\s*$", output, re.M))

    def ms(text):
        number, unit = re.match(r"([\d.]+)(\w+)", text).groups()
        return _ms(number, unit)

    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket:
        errors += sum(int(n) for n in socket.groups())
    total = int(re.search(r"(\d+) requests in", output).group(1))
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
    with Gunicorn(env, PORT) as server:
        watch = MemoryWatch(server)
        watch.start()
        for name, path, auth, target, limit in ROUTES:
            url = f"http://127.0.0.1:{PORT}{path.format(result=person['result'])}"
            lua = "submit.lua" if auth == "submit" else "headers.lua"
            run_wrk(url, WARMUP, lua, auth_env[auth])
            measured = run_wrk(url, DURATION, lua, auth_env[auth])
            results.append({"name": name, "target": target, "limit": limit, **measured})
            print(
                f"{name:34} {measured['rps']:9.1f} req/s  p50 {measured['p50']:7.2f} ms  "
                f"p99 {measured['p99']:7.2f} ms  errors {measured['errors']}",
                flush=True,
            )
        watch.running = False
        watch.join()
    floor = (results[0]["rps"] + results[-1]["rps"]) / 2
    failures = write_report(results, floor, watch.peak)
    print((ROOT / "bench" / "report.md").read_text())
    return 1 if failures else 0


def write_report(results, floor, peak_mb) -> list[str]:
    failures = []
    lines = [
        "# Benchmark report",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` on this project's "
        f"machine (2 cores): gunicorn with {GUNICORN_WORKERS} gthread workers x "
        f"{GUNICORN_THREADS} threads, PostgreSQL and Redis on loopback, DEBUG off; wrk with "
        f"{CONNECTIONS} connections, {WARMUP} s warm-up then {DURATION} s per route, one route "
        "after the other. Ratios are to the floor (a trivial view through the full middleware "
        "stack, measured first and last; the mean of the two) in the same run, so they hold on "
        "a faster or slower machine.",
        "",
        "| route | req/s | p50 ms | p99 ms | errors | ratio to floor | target | met | "
        "what limits it |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for row in results:
        ratio = row["rps"] / floor if floor else 0
        met = row["target"] is None or ratio >= row["target"]
        met = met and row["errors"] == 0
        if not met:
            failures.append(row["name"])
        lines.append(
            f"| {row['name']} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} | "
            f"{row['errors']} | {ratio:.2f} | {row['target'] or '-'} | "
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
