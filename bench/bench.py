"""The load benchmark (`make bench`): gunicorn on PostgreSQL and Redis, each route driven by wrk
at 32 connections for a fixed time, one after the other, reported as ratios to a trivial view
measured in the same run: requests per second, and the app workers' CPU milliseconds per
request (their user + system time over the measured run, divided by the requests wrk
completed), which holds better than req/s on a machine shared with other work. Loopback only;
bounded in time. Writes bench/report.md."""

import http.client
import http.cookies
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import threading
import time
import urllib.parse
from datetime import UTC, datetime

from bench.common import (
    GUNICORN_THREADS,
    GUNICORN_WORKERS,
    ROOT,
    Gunicorn,
    app_environment,
    cpu_seconds,
    ensure_tools,
    fresh_database,
    make_person_with_assessments,
    make_submitters,
    rss_mb,
)

PORT = int(os.environ.get("BENCH_PORT", "8099"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "2"))
CONNECTIONS = 32
SUBMITTERS = 4 * CONNECTIONS  # people sending the submissions, so few requests meet on one
# BENCH_ROUTES="profile,token": only the routes whose names hold one of these (to work on one).
ONLY = [part.strip() for part in os.environ.get("BENCH_ROUTES", "").split(",") if part.strip()]
DATABASE = os.environ.get("BENCH_DATABASE", "careerguide_bench")

# Issue 12's targets, as ratios to the floor (met by either req/s or CPU ms per request). The
# "what limits it" notes come from the run's figures and a cProfile of each route on this stack.
CATALOG_TARGET = 0.9
CATALOG_LIMIT = (
    'Cached: the page from this process\'s memory (an LRU in front of the shared "pages" '
    "cache) under the catalog version, which is read from Redis at most once a second per "
    "process: no query, and no Redis read on most requests. What is left over the floor is "
    "the response's size (KB) for the worker to send and for wrk to read on the same two cores."
)
PERSONAL_PAGE = (
    "Cached for its owner per session until their history changes (the profile also by day "
    "and catalog version). Every request still reads the session (its Redis copy), the user "
    "(1 query: about 0.4-0.5 ms of psycopg and ORM compiling, a third of the request in the "
    "in-process profile) and the history version (a Redis read, about 0.15-0.2 ms), then "
    "replays the page from memory. Those three reads alone put a signed-in page near 1.3-1.5 "
    "ms, a ratio of about 0.3-0.35."
)
RESULT_PAGE = (
    PERSONAL_PAGE
    + " Its key also holds the version of everyone's counted results (read in the same Redis "
    "round trip as the history version), so anyone's submission renders it once more."
)

# (name, path, authentication, target ratio to the floor, what limits it)
ROUTES = [
    ("/", "/", None, CATALOG_TARGET, CATALOG_LIMIT),
    ("role page", "/roles/data-engineer/", None, CATALOG_TARGET, CATALOG_LIMIT),
    ("/tools/", "/tools/", None, CATALOG_TARGET, CATALOG_LIMIT),
    (
        "/tools/ filtered",
        "/tools/?role=data-engineer&q=stream",
        None,
        CATALOG_TARGET,
        "Per query string; a search is kept in this process only. " + CATALOG_LIMIT,
    ),
    ("/compare/", "/compare/", None, CATALOG_TARGET, CATALOG_LIMIT),
    ("/assessment/", "/assessment/", None, CATALOG_TARGET, CATALOG_LIMIT),
    (
        "GET /api/v1/tools/",
        "/api/v1/tools/",
        None,
        CATALOG_TARGET,
        "JSON for anonymous clients; DRF is not entered on a hit. " + CATALOG_LIMIT,
    ),
    (
        "page of questions (anonymous, page 2)",
        "/assessment/step/2/",
        "attempt",
        0.3,
        "Not cached whole (it holds the person's answers and the CSRF token). Its six rendered "
        "questions are kept per version, page and answers so far, so a fresh page builds no "
        "form; what is left is the session (its Redis copy), the base template with its "
        "navigation (nine URL reversals) and the CSRF token.",
    ),
    (
        "result page (owner, logged in)",
        "/assessment/result/{result}/",
        "cookie",
        0.5,
        RESULT_PAGE,
    ),
    ("/profile/ (logged in)", "/profile/", "cookie", 0.5, PERSONAL_PAGE),
    (
        "GET /api/v1/assessments/ (token)",
        "/api/v1/assessments/",
        "token",
        0.5,
        "The token check, 1 query (the token with its user): about half the request in the "
        "in-process profile; DRF's per-user throttle (a Redis read and a write): about a quarter; "
        "the history version (a Redis read); then the JSON from memory until the person's "
        "history changes.",
    ),
    (
        "POST /api/v1/assessments/",
        "/api/v1/assessments/",
        "submit",
        0.15,
        "A new write each time, by one of 128 people: the token check and throttle, DRF "
        "validating 24 answers, about "
        "20 statements in one transaction (bulk inserts, one upsert of everyone's counts, a "
        "durable commit), then the result read back with its scores, reasons, tools and "
        "everyone's figures, and serialized. The ORM building and running those statements is "
        "most of its CPU; PostgreSQL's own work, not counted, shares the same two cores.",
    ),
]


def run_wrk(
    url: str, seconds: int, lua: str | None, extra_env: dict, server: Gunicorn | None = None
) -> dict:
    """wrk's figures for `url`; with `server`, also its workers' CPU ms per request over the
    run (their CPU time sampled right before and right after wrk, over the requests done)."""
    command = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--latency"]
    if lua:
        command += ["-s", str(ROOT / "bench" / lua)]
    time.sleep(1)  # let the previous run's last requests drain first
    pids = server.worker_pids() if server else []
    before = worker_cpu(pids)
    output = subprocess.run(
        [*command, url],
        capture_output=True,
        text=True,
        env={**os.environ, "BENCH_SEED": str(random.randrange(1, 2**31)), **extra_env},
        timeout=seconds + 60,
    ).stdout
    after = worker_cpu(pids)
    result = parse_wrk(output)
    if server is not None:
        if server.worker_pids() != pids:
            raise RuntimeError(f"a gunicorn worker was replaced during the run of {url}")
        result["cpu_ms"] = (after - before) * 1000 / max(result["requests"], 1)
    return result


def worker_cpu(pids: list[int]) -> float:
    """The CPU seconds (user + system) the gunicorn workers have used so far, together."""
    return sum(cpu_seconds(pid) for pid in pids)


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
    read = re.search(r"requests in [\d.]+\w+, ([\d.]+)([KMGT]?B) read", output)
    units = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}
    read_bytes = float(read.group(1)) * units[read.group(2)] if read else 0.0
    return {
        "rps": rps,
        "p50": ms(latency["50"]),
        "p99": ms(latency["99"]),
        "errors": errors,
        "requests": total,
        "kb": read_bytes / 1024 / max(total, 1),  # a response, headers included
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


INPUT_TAG = re.compile(r"<input\b([^>]*)>")
ATTRIBUTE = re.compile(r'([\w-]+)(?:="([^"]*)")?')
SECOND_PAGE = "/assessment/step/2/"


def _browse(
    port: int, method: str, path: str, cookies: dict[str, str], form: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """One request as a browser sends it, keeping the cookies the site sets in `cookies`:
    (status, Location, body)."""
    headers = {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
            jar.load(header)
            cookies.update({name: morsel.value for name, morsel in jar.items()})
        return response.status, response.headers.get("Location", ""), text
    finally:
        connection.close()


def anonymous_mid_attempt(port: int) -> str:
    """The Cookie header of an anonymous person who has answered the first page of questions
    (in the browser, as anyone does: page 1 shown, its first choices sent) and is now on page
    2: their session, which holds the answers so far, and the CSRF cookie."""
    cookies: dict[str, str] = {}
    status, _, text = _browse(port, "GET", "/assessment/step/1/", cookies)
    if status != 200:
        raise RuntimeError(f"/assessment/step/1/ answered {status}")
    form = {"action": "next"}
    for tag in INPUT_TAG.findall(text):
        attributes = dict(ATTRIBUTE.findall(tag))
        name, value = attributes.get("name", ""), attributes.get("value", "")
        if attributes.get("type") == "hidden":
            form[name] = value
        elif attributes.get("type") == "radio":
            form.setdefault(name, value)  # the first choice of each question
    status, location, _ = _browse(port, "POST", "/assessment/step/1/", cookies, form)
    if (status, location) != (302, SECOND_PAGE):
        raise RuntimeError(f"sending page 1 answered {status} {location}")
    status, _, text = _browse(port, "GET", SECOND_PAGE, cookies)
    if status != 200 or "Page 2 of" not in text or "sessionid" not in cookies:
        raise RuntimeError(f"{SECOND_PAGE} answered {status} after page 1 was sent")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


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
        # A browser keeps its CSRF cookie from its first page on; the person's cached pages
        # are kept per that cookie (a page's forms carry its token).
        "cookie": {
            "BENCH_COOKIE": f"sessionid={person['session']}; csrftoken={secrets.token_hex(16)}"
        },
        "token": {"BENCH_TOKEN": person["token"]},
        "submit": {"BENCH_TOKENS": ",".join(make_submitters(env, SUBMITTERS)), "BENCH_BODY": body},
    }
    results = []
    floor_url = f"http://127.0.0.1:{PORT}/healthz"
    with Gunicorn(env, PORT) as server:
        auth_env["attempt"] = {"BENCH_COOKIE": anonymous_mid_attempt(PORT)}
        watch = MemoryWatch(server)
        watch.start()
        run_wrk(floor_url, WARMUP, "headers.lua", {})
        for name, path, auth, target, limit in ROUTES:
            if ONLY and not any(part in name for part in ONLY):
                continue
            url = f"http://127.0.0.1:{PORT}{path.format(result=person['result'])}"
            lua = "submit.lua" if auth == "submit" else "headers.lua"
            run_wrk(url, WARMUP, lua, auth_env[auth])
            # The floor is measured right before each route: the machine drifts over a run
            # (other work, CPU frequency), and a ratio of neighbours cancels most of that.
            floor = run_wrk(floor_url, DURATION, "headers.lua", {}, server)
            measured = run_wrk(url, DURATION, lua, auth_env[auth], server)
            results.append(
                {"name": name, "target": target, "limit": limit, "floor": floor, **measured}
            )
            print(
                f"{name:38} {measured['rps']:8.1f} req/s  {measured['cpu_ms']:6.2f} CPU ms  "
                f"p50 {measured['p50']:7.2f} ms  p99 {measured['p99']:7.2f} ms  "
                f"errors {measured['errors']}  floor {floor['rps']:7.1f} req/s "
                f"{floor['cpu_ms']:5.2f} CPU ms",
                flush=True,
            )
        watch.running = False
        watch.join()
    failures = write_report(results, watch.peak)
    print((ROOT / "bench" / "report.md").read_text())
    return 1 if failures else 0


def write_report(results, peak_mb) -> list[str]:
    failures = []
    # The references are the medians of the floor runs (one before each route): robust to the
    # odd disturbed run, which a single pair would turn into a wild ratio.
    reference = statistics.median(row["floor"]["rps"] for row in results)
    reference_cpu = statistics.median(row["floor"]["cpu_ms"] for row in results)
    floor_kb = statistics.median(row["floor"]["kb"] for row in results)
    lines = [
        "# Benchmark report",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` on this project's "
        f"machine (2 cores): gunicorn with {GUNICORN_WORKERS} gthread workers x "
        f"{GUNICORN_THREADS} threads, PostgreSQL and Redis on loopback, DEBUG off; wrk with "
        f"{CONNECTIONS} connections; for each route, one after the other, a {WARMUP} s warm-up, "
        f"then the floor (`/healthz`: a trivial view through the full middleware stack) for "
        f"{DURATION} s, then the route for {DURATION} s. KB is the size of one response, "
        "headers included, as wrk read it.",
        "",
        "Two ratios to the floor, so they hold on a faster or slower machine: **ratio** is the "
        "route's requests per second over the median of the floor runs; **CPU ratio** is the "
        "floor's CPU milliseconds per request (median of the floor runs) over the route's. "
        "CPU ms per request is the gunicorn workers' user + system time (from /proc/<pid>/stat) "
        "sampled right before and right after the measured wrk run, divided by the requests wrk "
        "completed; it leaves out wrk's own work and the waits, so it holds steadier than req/s "
        "when other work shares the machine. The floor run beside each route is in its row. "
        "**A target is met when either ratio reaches it** (and the route answered no errors).",
        "",
        "| route | req/s | p50 ms | p99 ms | errors | KB | floor req/s | ratio | CPU ms/req | "
        "floor CPU ms | CPU ratio | target | met | what limits it |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- "
        "| --- |",
        f"| floor: /healthz (median) | {reference:.0f} | | | 0 | {floor_kb:.1f} | | 1.00 | "
        f"{reference_cpu:.2f} | | 1.00 | | | The full middleware stack and nothing else. |",
    ]
    misses = []
    for row in results:
        ratio = row["rps"] / reference if reference else 0
        cpu_ratio = reference_cpu / row["cpu_ms"] if row["cpu_ms"] else 0
        target = row["target"]
        met = target is None or ratio >= target or cpu_ratio >= target
        met = met and row["errors"] == 0
        if not met:
            failures.append(row["name"])
            misses.append(
                f"{row['name']} (target {target}: ratio {ratio:.2f}, CPU ratio {cpu_ratio:.2f}"
                + (f", {row['errors']} errors" if row["errors"] else "")
                + ")"
            )
        lines.append(
            f"| {row['name']} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} | "
            f"{row['errors']} | {row['kb']:.1f} | {row['floor']['rps']:.0f} | {ratio:.2f} | "
            f"{row['cpu_ms']:.2f} | "
            f"{row['floor']['cpu_ms']:.2f} | {cpu_ratio:.2f} | {target or '-'} | "
            f"{'yes' if met else '**no**'} | {row['limit']} |"
        )
    memory_ok = peak_mb < 150
    if not memory_ok:
        failures.append("memory")
        misses.append(f"memory ({peak_mb:.0f} MB)")
    lines += [
        "",
        f"Peak resident memory of a worker: **{peak_mb:.0f} MB** (target: under 150 MB: "
        f"{'met' if memory_ok else 'not met'}).",
        "",
        "Not met: " + "; ".join(misses) + "." if misses else "Every target was met.",
        "",
    ]
    (ROOT / "bench" / "report.md").write_text("\n".join(lines))
    return failures


if __name__ == "__main__":
    raise SystemExit(main())
