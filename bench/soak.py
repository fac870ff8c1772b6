"""Faults and load (`make soak`), bounded in time and on loopback only.

0. The readiness watcher itself: probes that time out count as "not ready" and probing goes on
   (a watcher probes /readyz through every step below, and must be probing still at its end).
1. 60 s of mixed traffic (browse, log in, submit) at 64 connections: no 5xx or 4xx, and every
   acknowledged submission is in the database afterwards. /readyz is timed under this load.
2. PostgreSQL (the machine's cluster) restarts in the middle of the load: /readyz says 503
   while it is down, the app recovers by itself within seconds, and no acknowledged submission
   is lost.
3. Two app instances on different ports share PostgreSQL and Redis: a session started on one
   works on the other, throttling and lockout counts are shared, an editor's save shows on both.
4. Twenty concurrent identical submissions (same client_id) create exactly one assessment.
5. Redis stops for 20 s in the middle of mixed load (anonymous browsing, people logged in
   walking the assessment and their profile, anonymous people taking the assessment, API
   submissions) and comes back empty: no 5xx, nobody logged out, no anonymous progress lost,
   no acknowledged submission missing, and /readyz stays ready.

The soak runs a Redis of its own (a redis-server on a free port, no persistence), never the
machine's. SOAK_STEPS=redis,watcher (names: watcher mixed postgres instances identical redis)
runs some steps only, e.g. to work on one without restarting the machine's PostgreSQL.

Prints a summary table and exits non-zero when a check fails.
"""

import collections
import concurrent.futures
import http.client
import http.cookies
import itertools
import json
import math
import os
import random
import re
import socket
import subprocess
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.common import (
    ROOT,
    Gunicorn,
    RedisServer,
    app_environment,
    ensure_tools,
    fresh_database,
    make_person_with_assessments,
    request,
    shell,
)

DATABASE = "careerguide_soak"
PORT_A, PORT_B = 8101, 8102
MIXED_SECONDS = int(os.environ.get("SOAK_SECONDS", "60"))
RESTART_LOAD_SECONDS = int(os.environ.get("SOAK_RESTART_SECONDS", "30"))
PG_DOWN_SECONDS = 5
CONNECTIONS = 64
# Redis outage: load before the stop, the outage itself, load after Redis is back (empty).
REDIS_BEFORE_SECONDS, REDIS_DOWN_SECONDS, REDIS_AFTER_SECONDS = 12, 20, 15
# How long a readiness probe may take before it counts as "not ready", as a balancer's would.
PROBE_TIMEOUT = 5.0
PG_CLUSTER = subprocess.run(
    ["ls", "/etc/postgresql"], capture_output=True, text=True
).stdout.split()
# The app's own output (its warnings and tracebacks) goes here, not among the soak's figures.
APP_LOG = ROOT / "var" / "soak-app.log"
STEPS = ["watcher", "mixed", "postgres", "instances", "identical", "redis"]

checks: list[tuple[str, bool | None, str]] = []


def check(name: str, ok: bool, detail: str) -> None:
    checks.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)


def note(name: str, detail: str) -> None:
    """A figure worth printing that passes or fails nothing."""
    checks.append((name, None, detail))
    print(f"INFO  {name}: {detail}", flush=True)


BROWSE = ["/", "/tools/", "/roles/data-engineer/", "/compare/", "/tools/?q=stream", "/readyz"]


# --- The readiness watcher ------------------------------------------------------------------


@dataclass
class Probe:
    sent_at: float
    seconds: float
    status: int | str  # the HTTP status, "timeout", or "error (<exception>)"
    body: str = ""


class ReadyzWatcher:
    """Probes /readyz every `interval` seconds in a thread, as a load balancer would, until the
    `with` block ends. A probe that times out or fails in any other way is a "not ready" probe;
    nothing a probe meets stops the probing."""

    def __init__(self, url: str, timeout: float = PROBE_TIMEOUT, interval: float = 0.25):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port, self.path = parts.hostname or "127.0.0.1", parts.port, parts.path
        self.timeout, self.interval = timeout, interval
        self.probes: list[Probe] = []
        self.survived = False  # the thread was still probing when asked to stop
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="readyz-watcher")

    def __enter__(self) -> "ReadyzWatcher":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.survived = self._thread.is_alive()
        self._stop.set()
        self._thread.join(self.timeout + 5)

    def _run(self) -> None:
        while not self._stop.is_set():
            sent_at = time.monotonic()
            try:
                probe = self._probe(sent_at)
            except Exception as error:  # whatever it is, this probe failed; the next one runs
                probe = Probe(sent_at, time.monotonic() - sent_at, f"error ({error!r})")
            self.probes.append(probe)
            self._stop.wait(self.interval)

    def _probe(self, sent_at: float) -> Probe:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request("GET", self.path)
            response = connection.getresponse()
            body = response.read().decode(errors="replace")
            return Probe(sent_at, time.monotonic() - sent_at, response.status, body)
        except TimeoutError:
            return Probe(sent_at, time.monotonic() - sent_at, "timeout")
        except (OSError, http.client.HTTPException) as error:
            return Probe(sent_at, time.monotonic() - sent_at, f"error ({type(error).__name__})")
        finally:
            connection.close()

    def between(self, start: float, end: float) -> list[Probe]:
        return [probe for probe in self.probes if start <= probe.sent_at < end]

    def longest_gap(self) -> float:
        """The longest time between two probes being sent: a dead watcher shows here."""
        times = [probe.sent_at for probe in self.probes]
        return max((later - earlier for earlier, later in itertools.pairwise(times)), default=0.0)

    def health(self) -> tuple[bool, str]:
        timed_out = sum(probe.status == "timeout" for probe in self.probes)
        ok = self.survived and bool(self.probes)
        ok = ok and self.longest_gap() <= self.timeout + self.interval + 2
        return ok, (
            f"{len(self.probes)} probes, longest gap {self.longest_gap():.1f} s, "
            f"{timed_out} timed out, {'alive' if self.survived else 'DEAD'} at the end"
        )


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)] if ordered else float("nan")


def probe_timing(probes: list[Probe]) -> str:
    seconds = [probe.seconds for probe in probes]
    timed_out = sum(probe.status == "timeout" for probe in probes)
    return (
        f"p50 {percentile(seconds, 0.5) * 1000:.0f} ms, p99 {percentile(seconds, 0.99) * 1000:.0f} "
        f"ms, max {max(seconds, default=0) * 1000:.0f} ms over {len(probes)} probes; "
        f"{timed_out} timed out ({PROBE_TIMEOUT:.0f} s)"
    )


watchers: list[tuple[str, ReadyzWatcher]] = []


def watch(label: str, port: int = PORT_A) -> ReadyzWatcher:
    """A watcher on /readyz whose health is checked at the end of the soak."""
    watcher = ReadyzWatcher(f"http://127.0.0.1:{port}/readyz")
    watchers.append((label, watcher))
    return watcher


def readiness_watcher_survives_timeouts() -> None:
    """The watcher against a server that accepts connections and never answers, as a gunicorn
    whose every thread is busy: every probe times out, and probing goes on."""
    with socket.create_server(("127.0.0.1", 0), backlog=64) as silent:
        watcher = ReadyzWatcher(
            f"http://127.0.0.1:{silent.getsockname()[1]}/readyz", timeout=0.3, interval=0.05
        )
        with watcher:
            time.sleep(1.6)
    statuses = collections.Counter(str(probe.status) for probe in watcher.probes)
    check(
        "the readiness watcher outlives probes that time out",
        watcher.survived and len(watcher.probes) >= 3 and set(statuses) == {"timeout"},
        f"{len(watcher.probes)} probes against a silent server: {dict(statuses)}, "
        f"{'still probing' if watcher.survived else 'the watcher DIED'}",
    )


# --- The classic mixed load -----------------------------------------------------------------


def run_mixed_load(port: int, seconds: int, person: dict, label: str) -> dict:
    """CONNECTIONS threads, each with a keep-alive connection, browsing, logging in through the
    API and submitting assessments for `seconds`. Returns status counts and acknowledged ids."""
    statuses: collections.Counter = collections.Counter()
    acks: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    token_header = {"Authorization": f"Token {person['token']}"}

    def worker(number: int):
        rng = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < deadline:
            roll = rng.random()
            client_id = None
            if roll < 0.6:
                headers: dict[str, str] = {}
                method, path, body = "GET", rng.choice(BROWSE), None
            elif roll < 0.7:
                method, path = "POST", "/api/v1/auth/login/"
                body = {"username": person["logs_in_as"], "password": person["password"]}
                headers = {}
            else:
                client_id = str(uuid.uuid4())
                method, path, headers = "POST", "/api/v1/assessments/", token_header
                body = {
                    "version": person["version"],
                    "answers": person["answers"],
                    "client_id": client_id,
                }
            try:
                connection.request(
                    method,
                    path,
                    body=json.dumps(body) if body is not None else None,
                    headers={"Content-Type": "application/json", **headers},
                )
                response = connection.getresponse()
                response.read()
                status: int | str = response.status
            except (OSError, http.client.HTTPException) as error:
                status = f"error ({type(error).__name__})"
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                time.sleep(0.05)
            with lock:
                statuses[status] += 1
                if client_id and status == 201:
                    acks.append(client_id)
        connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"statuses": dict(statuses), "acks": acks}


def stored_client_ids(env, username: str) -> set[str]:
    code = f"""
import json
from assessments.models import Assessment
ids = Assessment.objects.filter(user__username={username!r}).values_list("client_id", flat=True)
print(json.dumps({{"ids": [str(i) for i in ids]}}))
"""
    return set(shell(env, code)["ids"])


def five_xx(statuses: dict) -> int:
    return sum(count for status, count in statuses.items() if str(status).startswith("5"))


def mixed_traffic(env, person):
    load_before = os.getloadavg()[0]  # others' work on this machine slows /readyz too
    with watch("mixed load") as watcher:
        result = run_mixed_load(PORT_A, MIXED_SECONDS, person, "mixed")
    stored = stored_client_ids(env, person["username"])
    lost = [ack for ack in result["acks"] if ack not in stored]
    total = sum(result["statuses"].values())
    # Every request here is one that succeeds: a 4xx (a token gone, a throttle) is a fault too.
    refused = sum(n for status, n in result["statuses"].items() if str(status).startswith("4"))
    check(
        "mixed traffic, no 5xx or 4xx",
        five_xx(result["statuses"]) == 0 and refused == 0 and total > 0,
        f"{total} requests in {MIXED_SECONDS} s at {CONNECTIONS} connections, "
        f"statuses {result['statuses']}",
    )
    check(
        "every acknowledged submission stored",
        not lost and len(result["acks"]) > 0,
        f"{len(result['acks'])} acknowledged, {len(lost)} missing",
    )
    note(
        f"/readyz under full load ({CONNECTIONS} connections)",
        f"{probe_timing(watcher.probes)}; {total / MIXED_SECONDS:.0f} requests/s; load average "
        f"{load_before:.1f} before the load, on {os.cpu_count()} CPUs",
    )


def postgres_restart(env, person):
    with watch("PostgreSQL restart") as watcher:
        load = concurrent.futures.ThreadPoolExecutor(1).submit(
            run_mixed_load, PORT_A, RESTART_LOAD_SECONDS, person, "restart"
        )
        time.sleep(RESTART_LOAD_SECONDS / 3)
        pg_ctl = ["pg_ctlcluster", "--skip-systemctl-redirect", PG_CLUSTER[0], "main"]
        subprocess.run([*pg_ctl, "stop", "-m", "fast"], check=True)
        stopped_at = time.monotonic()
        time.sleep(PG_DOWN_SECONDS)
        starting_at = time.monotonic()
        subprocess.run([*pg_ctl, "start"], check=True)
        up_at = time.monotonic()
        result = load.result()
        time.sleep(2)

    # Probes wholly inside the outage: sent after the stop had returned, and answered before
    # the start began (under load a probe may wait seconds for a thread, so when it was sent
    # says little). A probe that timed out is "not ready" too, as a balancer sees it; at
    # least one must say 503.
    during = [
        probe.status
        for probe in watcher.between(stopped_at + 0.2, starting_at)
        if probe.status == "timeout" or probe.sent_at + probe.seconds < starting_at
    ]
    after = [probe for probe in watcher.probes if probe.sent_at > up_at]
    recovered_at = next((probe.sent_at for probe in after if probe.status == 200), None)
    check(
        "readyz is 503 while PostgreSQL is down",
        503 in during and all(status in (503, "timeout") for status in during),
        f"{len(during)} probes while down: {dict(collections.Counter(map(str, during)))}",
    )
    check(
        "the app recovers by itself",
        recovered_at is not None and recovered_at - up_at < 10,
        f"ready again {recovered_at - up_at:.1f} s after PostgreSQL came back"
        if recovered_at
        else "never ready again",
    )
    stored = stored_client_ids(env, person["username"])
    lost = [ack for ack in result["acks"] if ack not in stored]
    check(
        "no acknowledged submission lost across the restart",
        not lost and len(result["acks"]) > 0,
        f"{len(result['acks'])} acknowledged, {len(lost)} missing; statuses {result['statuses']}",
    )
    status, _, _ = request("GET", f"http://127.0.0.1:{PORT_A}/tools/")
    check("pages work again after the restart", status == 200, f"/tools/ answered {status}")


def forget_throttle_counts(redis_url: str) -> None:
    """The earlier steps' anonymous calls count too; start this check from zero."""
    keys = subprocess.run(
        ["redis-cli", "-u", redis_url, "--scan", "--pattern", "*throttle_*"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if keys:
        subprocess.run(
            ["redis-cli", "-u", redis_url, "del", *keys], check=True, capture_output=True
        )


def two_instances(env, person):
    a, b = f"http://127.0.0.1:{PORT_A}", f"http://127.0.0.1:{PORT_B}"
    cookie = {"Cookie": f"sessionid={person['session']}"}
    status_a, _, _ = request("GET", f"{a}/profile/", headers=cookie)
    status_b, page_b, _ = request("GET", f"{b}/profile/", headers=cookie)
    check(
        "a session works on both instances",
        status_a == status_b == 200 and person["username"] in page_b,
        f"profile on A {status_a}, on B {status_b}",
    )

    # Lockout: failed log-ins spread over both instances add up to one count.
    statuses = []
    for attempt in range(6):
        base = a if attempt % 2 == 0 else b
        status, _, _ = request(
            "POST",
            f"{base}/api/v1/auth/login/",
            {"username": "lockout-target", "password": f"wrong-{attempt}"},
        )
        statuses.append(status)
    # The fifth failure reaches the limit (5) and is itself refused, as is all after it.
    check(
        "lockout counts are shared",
        statuses[:4] == [400] * 4 and statuses[4:] == [429, 429],
        f"statuses over A and B: {statuses}",
    )

    # Throttling: the API's anonymous rate is counted in Redis, across both instances. (A
    # cookie makes the request skip the page cache, which would otherwise answer first.)
    forget_throttle_counts(env["REDIS_URL"])
    limited_env = {**env, "API_THROTTLE_ANON": "6/minute"}
    with Gunicorn(limited_env, 8103, APP_LOG), Gunicorn(limited_env, 8104, APP_LOG):
        codes = [
            request(
                "GET", f"http://127.0.0.1:{port}/api/v1/roles/", headers={"Cookie": "sessionid=x"}
            )[0]
            for port in (8103, 8104) * 4
        ]
    check(
        "throttling counts are shared",
        codes.count(429) >= 1 and codes.index(429) >= 6,
        f"8 anonymous API calls alternating two instances limited to 6/minute: {codes}",
    )

    # An editor's save on one side shows on both at once.
    request("GET", f"{a}/tools/docker/")
    request("GET", f"{b}/tools/docker/")
    marker = f"Edited during the soak {uuid.uuid4().hex[:8]}"
    shell(
        env,
        f"""
import json
from roles.models import Tool
tool = Tool.objects.get(slug="docker")
tool.summary = {marker!r}
tool.save()
print(json.dumps({{}}))
""",
    )
    seen = [marker in request("GET", f"{base}/tools/docker/")[1] for base in (a, b)]
    check("an editor's save shows on both instances at once", all(seen), f"seen on A, B: {seen}")


def concurrent_identical_submissions(env, person):
    client_id = str(uuid.uuid4())
    body = {"version": person["version"], "answers": person["answers"], "client_id": client_id}
    headers = {"Authorization": f"Token {person['token']}"}
    ports = [PORT_A, PORT_B] * 10
    barrier = threading.Barrier(len(ports))

    def submit(port):
        barrier.wait()
        return request("POST", f"http://127.0.0.1:{port}/api/v1/assessments/", body, headers)

    with concurrent.futures.ThreadPoolExecutor(len(ports)) as pool:
        responses = list(pool.map(submit, ports))
    ids = {answer["id"] for status, answer, _ in responses if status in (200, 201)}
    statuses = sorted(status for status, _, _ in responses)
    count = shell(
        env,
        f"""
import json
from assessments.models import Assessment
print(json.dumps({{"count": Assessment.objects.filter(client_id={client_id!r}).count()}}))
""",
    )["count"]
    check(
        "twenty concurrent identical submissions make one assessment",
        count == 1 and len(ids) == 1 and statuses.count(201) == 1,
        f"rows {count}, distinct ids {len(ids)}, statuses {statuses}",
    )


# --- People's browsers, for the Redis outage ------------------------------------------------


@dataclass
class Answer:
    status: int | str  # the HTTP status, "timeout", or "error (<exception>)"
    location: str = ""
    text: str = ""


@dataclass
class Traffic:
    """Every answer a load got: when its request was sent, by which kind of client, its status."""

    rows: list[tuple[float, str, int | str]] = field(default_factory=list)

    def add(self, sent_at: float, kind: str, status: int | str) -> None:
        self.rows.append((sent_at, kind, status))  # list.append is atomic: no lock needed


class Browser:
    """One person's browser: a keep-alive connection and the cookies the site set."""

    def __init__(
        self,
        port: int,
        traffic: Traffic,
        kind: str,
        cookies: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        keep_cookies: bool = True,
    ):
        self.port, self.traffic, self.kind = port, traffic, kind
        self.cookies = dict(cookies or {})
        self.headers = dict(headers or {})
        self.keep_cookies = keep_cookies
        self.connection: http.client.HTTPConnection | None = None

    def get(self, path: str) -> Answer:
        return self.send("GET", path)

    def post_form(self, path: str, fields: dict[str, str]) -> Answer:
        body = urllib.parse.urlencode(fields).encode()
        return self.send("POST", path, body, "application/x-www-form-urlencoded")

    def post_json(self, path: str, data: object) -> Answer:
        return self.send("POST", path, json.dumps(data).encode(), "application/json")

    def send(
        self, method: str, path: str, body: bytes | None = None, content_type: str = ""
    ) -> Answer:
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        sent_at = time.monotonic()
        answer = self._send(method, path, body, headers)
        self.traffic.add(sent_at, self.kind, answer.status)
        return answer

    def _send(self, method: str, path: str, body: bytes | None, headers: dict) -> Answer:
        for attempt in (1, 2):
            reused = self.connection is not None
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=BROWSER_TIMEOUT
                )
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode(errors="replace")
            except (ConnectionResetError, BrokenPipeError) as error:
                self.close()
                # The server closed an idle keep-alive connection: a browser sends again.
                if reused and attempt == 1:
                    continue
                return Answer(f"error ({type(error).__name__})")
            except TimeoutError:
                self.close()
                return Answer("timeout")
            except (OSError, http.client.HTTPException) as error:
                self.close()
                return Answer(f"error ({type(error).__name__})")
            if self.keep_cookies:
                self._keep(response.headers.get_all("Set-Cookie") or [])
            if response.will_close:
                self.close()
            return Answer(response.status, response.headers.get("Location", ""), text)
        raise AssertionError("unreachable")

    def _keep(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


INPUT_TAG = re.compile(r"<input\b([^>]*)>")
ATTRIBUTE = re.compile(r'([\w-]+)(?:="([^"]*)")?')
STEP_PATH = re.compile(r"^/assessment/step/(\d+)/$")
RESULT_PATH = re.compile(r"^/assessment/result/([0-9a-f-]{36})/$")


@dataclass
class StepPage:
    step: int
    page_count: int
    hidden: dict[str, str]  # the CSRF token and the fields that tie the page to the attempt
    choices: dict[str, list[str]]  # question field -> its choices
    checked: dict[str, str]  # question field -> the choice shown as given


def parse_step(text: str) -> StepPage | None:
    where = re.search(r"Page (\d+) of (\d+)", text)
    if where is None:
        return None
    page = StepPage(int(where[1]), int(where[2]), {}, {}, {})
    for tag in INPUT_TAG.findall(text):
        attributes = dict(ATTRIBUTE.findall(tag))
        name, value = attributes.get("name", ""), attributes.get("value", "")
        if attributes.get("type") == "hidden":
            page.hidden[name] = value
        elif attributes.get("type") == "radio":
            page.choices.setdefault(name, []).append(value)
            if "checked" in attributes:
                page.checked[name] = value
    return page


@dataclass
class Attempt:
    """One walk through the web assessment."""

    outcome: str  # finished, lost (progress or result gone), broken (an error), unfinished
    detail: str = ""
    result: str | None = None  # the id of the assessment the site acknowledged saving
    started_at: float = 0.0
    ended_at: float = 0.0


def take_assessment(
    browser: Browser, rng: random.Random, after_page: Callable[[int], bool]
) -> Attempt:
    """Click through the assessment page by page. `after_page(step)` waits after page `step` is
    sent, as a person reading the next page; it returns False to give up (the load is over).
    Progress is lost when a page sends the person back to an earlier one, when page 1 no
    longer shows its answers, or when their own result is not theirs to see."""
    first_answers: dict[str, str] = {}
    step = 1
    while True:
        shown = browser.get(f"/assessment/step/{step}/")
        back = STEP_PATH.match(shown.location) if shown.status == 302 else None
        if back and int(back[1]) < step:
            return Attempt("lost", f"page {step} sent them back to page {back[1]}")
        page = parse_step(shown.text) if shown.status == 200 else None
        if page is None or page.step != step:
            return Attempt("broken", f"page {step} answered {shown.status} {shown.location}")
        last = page.step == page.page_count
        if last and step > 1:
            again = browser.get("/assessment/step/1/")
            first = parse_step(again.text) if again.status == 200 else None
            if first is None:
                return Attempt("broken", f"page 1 again answered {again.status}")
            if first.checked != first_answers:
                return Attempt("lost", "page 1 no longer shows the answers given")
        answers = {name: rng.choice(values) for name, values in page.choices.items()}
        if step == 1:
            first_answers = answers
        fields = {**page.hidden, **answers, "action": "submit" if last else "next"}
        sent = browser.post_form(f"/assessment/step/{step}/", fields)
        if last:
            result = RESULT_PATH.match(sent.location) if sent.status == 302 else None
            if result is None:
                back = STEP_PATH.match(sent.location) if sent.status == 302 else None
                if back:
                    return Attempt("lost", f"the last page sent them back to page {back[1]}")
                return Attempt("broken", f"the last page answered {sent.status} {sent.location}")
            own = browser.get(sent.location)
            if own.status != 200:
                return Attempt("lost", f"their own result answered {own.status}", result[1])
            return Attempt("finished", result=result[1])
        if sent.status != 302 or sent.location != f"/assessment/step/{step + 1}/":
            return Attempt("broken", f"sending page {step} answered {sent.status}")
        if not after_page(step):
            return Attempt("unfinished")
        step += 1


def make_people(env, prefix: str, count: int) -> dict:
    """`count` people, each logged in (a session made by the app's session engine) and with an
    API token; and a full set of answers to the current quiz for API submissions."""
    code = f"""
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from knox.models import AuthToken
from quizzes import selectors as quiz_selectors

version = quiz_selectors.current_version_get()
questions = quiz_selectors.question_list(version=version)
people = []
for number in range({count}):
    name = f"{prefix}-{{number}}"
    user = get_user_model().objects.create_user(name, f"{{name}}@example.com")  # no password
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    _, token = AuthToken.objects.create(user)
    people.append({{"username": name, "session": store.session_key, "token": token}})
print(json.dumps({{
    "people": people, "version": version.pk,
    "answers": [{{"question": q.pk, "choice": q.choices.all()[0].pk}} for q in questions],
}}))
"""
    return shell(env, code)


def stored_assessments(env) -> tuple[set[str], set[str]]:
    """The ids and client_ids of every assessment in the database."""
    code = """
import json
from assessments.models import Assessment
rows = Assessment.objects.values_list("pk", "client_id")
print(json.dumps({"ids": [str(pk) for pk, _ in rows], "client_ids": [str(c) for _, c in rows]}))
"""
    stored = shell(env, code)
    return set(stored["ids"]), set(stored["client_ids"])


# --- The Redis outage -----------------------------------------------------------------------

SIGNED_IN_PEOPLE, API_PEOPLE = 12, 8
# Far beyond any wait this load causes: a request unanswered after this is a failure.
BROWSER_TIMEOUT = 30
ANONYMOUS_BROWSERS, ANONYMOUS_TAKERS, TAKERS_ACROSS_OUTAGE = 20, 10, 4
REDIS_BROWSE = [*BROWSE, "/assessment/", "/api/v1/tools/", "/api/v1/roles/"]


@dataclass
class Outage:
    stopping_at: float = math.inf  # when the stop was asked for
    up_at: float = math.inf  # when Redis answered again (empty)
    stopped: threading.Event = field(default_factory=threading.Event)
    back: threading.Event = field(default_factory=threading.Event)

    def phase(self, at: float) -> str:
        return "before" if at < self.stopping_at else "during" if at < self.up_at else "after"


def redis_outage(env, redis: RedisServer) -> None:
    """Mixed load on instance A; Redis stops for REDIS_DOWN_SECONDS in the middle and comes
    back empty. Everyone keeps being served, logged in, with their answers."""
    made = make_people(env, "soak-redis", SIGNED_IN_PEOPLE + API_PEOPLE)
    signed_in, api_people = made["people"][:SIGNED_IN_PEOPLE], made["people"][SIGNED_IN_PEOPLE:]
    traffic, outage = Traffic(), Outage()
    started = time.monotonic()
    deadline = started + REDIS_BEFORE_SECONDS + REDIS_DOWN_SECONDS + REDIS_AFTER_SECONDS
    attempts: list[tuple[str, Attempt]] = []  # (who: anonymous / across / signed-in, attempt)
    api_acks: list[str] = []
    profiles: list[tuple[float, str, int | str]] = []  # (sent at, username, status)
    logged_out: dict[str, float] = {}  # username -> when their profile sent them to log in

    def timed(
        who: str, browser: Browser, rng: random.Random, after: Callable[[int], bool]
    ) -> Attempt:
        began = time.monotonic()
        attempt = take_assessment(browser, rng, after)
        attempt.started_at, attempt.ended_at = began, time.monotonic()
        if attempt.outcome != "unfinished":
            attempts.append((who, attempt))
        return attempt

    def reading(rng: random.Random, low: float, high: float) -> bool:
        time.sleep(rng.uniform(low, high))
        return time.monotonic() < deadline

    def browse(number: int) -> None:
        rng = random.Random(number)
        browser = Browser(PORT_A, traffic, "anonymous browsing", keep_cookies=False)
        while time.monotonic() < deadline:
            browser.get(rng.choice(REDIS_BROWSE))
        browser.close()

    def take_anonymously(number: int) -> None:
        rng = random.Random(1000 + number)
        while time.monotonic() < deadline:
            browser = Browser(PORT_A, traffic, "anonymous assessment")
            attempt = timed("anonymous", browser, rng, lambda step: reading(rng, 0.3, 2.5))
            browser.close()
            if attempt.outcome == "broken":
                time.sleep(1)  # a person who met an error page tries again, not at once

    def take_across_outage(number: int) -> None:
        """Page 1 before the stop, page 2 while Redis is down, the rest after it is back."""
        rng = random.Random(2000 + number)
        browser = Browser(PORT_A, traffic, "anonymous assessment")
        time.sleep(1 + number)

        def after(step: int) -> bool:
            event = {1: outage.stopped, 2: outage.back}.get(step)
            if event is not None:
                waited = event.wait(REDIS_BEFORE_SECONDS + REDIS_DOWN_SECONDS + 30)
                time.sleep(2 + number)
                return waited
            time.sleep(0.3)
            return True

        timed("across the outage", browser, rng, after)
        browser.close()

    def walk_signed_in(person: dict, number: int) -> None:
        rng = random.Random(3000 + number)
        browser = Browser(
            PORT_A, traffic, "signed-in person", cookies={"sessionid": person["session"]}
        )

        def visit_profile() -> None:
            sent_at = time.monotonic()
            shown = browser.get("/profile/")
            profiles.append((sent_at, person["username"], shown.status))
            if shown.status == 302 and shown.location.startswith("/accounts/login/"):
                logged_out.setdefault(person["username"], sent_at)

        def after(step: int) -> bool:
            visit_profile()
            return reading(rng, 0.2, 1.0)

        while time.monotonic() < deadline:
            visit_profile()
            timed("signed-in", browser, rng, after)
            reading(rng, 0.2, 1.0)
        browser.close()

    def submit_through_api(person: dict, number: int) -> None:
        rng = random.Random(4000 + number)
        browser = Browser(
            PORT_A, traffic, "API", headers={"Authorization": f"Token {person['token']}"}
        )
        while time.monotonic() < deadline:
            client_id = str(uuid.uuid4())
            body = {"version": made["version"], "answers": made["answers"], "client_id": client_id}
            if browser.post_json("/api/v1/assessments/", body).status in (200, 201):
                api_acks.append(client_id)
            if rng.random() < 0.3:
                browser.get("/api/v1/assessments/")
            time.sleep(rng.uniform(0, 0.3))
        browser.close()

    actors = [
        *(threading.Thread(target=browse, args=(n,)) for n in range(ANONYMOUS_BROWSERS)),
        *(threading.Thread(target=take_anonymously, args=(n,)) for n in range(ANONYMOUS_TAKERS)),
        *(
            threading.Thread(target=take_across_outage, args=(n,))
            for n in range(TAKERS_ACROSS_OUTAGE)
        ),
        *(threading.Thread(target=walk_signed_in, args=(p, n)) for n, p in enumerate(signed_in)),
        *(
            threading.Thread(target=submit_through_api, args=(p, n))
            for n, p in enumerate(api_people)
        ),
    ]
    with watch("Redis outage") as watcher:
        for actor in actors:
            actor.start()
        time.sleep(REDIS_BEFORE_SECONDS)
        outage.stopping_at = time.monotonic()
        redis.stop()
        outage.stopped.set()
        print(f"      Redis stopped at {outage.stopping_at - started:.1f} s", flush=True)
        time.sleep(REDIS_DOWN_SECONDS)
        redis.start()
        outage.up_at = time.monotonic()
        outage.back.set()
        print(f"      Redis back, empty, at {outage.up_at - started:.1f} s", flush=True)
        for actor in actors:
            actor.join()

    # Requests answered 5xx or not at all, by phase and by kind of client.
    by_phase: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    failures: collections.Counter = collections.Counter()
    for sent_at, kind, status in traffic.rows:
        by_phase[outage.phase(sent_at)][str(status)] += 1
        if not isinstance(status, int) or status >= 500:
            failures[(outage.phase(sent_at), kind, str(status))] += 1
    server_errors = sum(n for (_, _, s), n in failures.items() if s.startswith("5"))
    unanswered = sum(failures.values()) - server_errors
    during = by_phase["during"]
    check(
        "Redis outage: no 5xx",
        server_errors == 0 and unanswered == 0 and sum(during.values()) > 0,
        f"{len(traffic.rows)} requests; {server_errors} 5xx, {unanswered} unanswered; while "
        f"down {dict(during)}"
        + (f"; failures {dict(failures.most_common(6))}" if failures else ""),
    )

    checked_during = {name for at, name, _ in profiles if outage.phase(at) == "during"}
    checked_after = {name for at, name, _ in profiles if outage.phase(at) == "after"}
    profile_statuses = collections.Counter(str(status) for _, _, status in profiles)
    signed_in_lost = [a for who, a in attempts if who == "signed-in" and a.outcome == "lost"]
    check(
        "Redis outage: nobody logged out",
        not logged_out
        and len(checked_during) == len(checked_after) == SIGNED_IN_PEOPLE
        and len(profiles) > 0,
        f"{len(logged_out)} of {SIGNED_IN_PEOPLE} people logged out"
        + (
            f" (the first {min(logged_out.values()) - outage.stopping_at:+.1f} s from the stop)"
            if logged_out
            else ""
        )
        + f"; profile answers {dict(profile_statuses)}; "
        f"{len(signed_in_lost)} of their web attempts lost their progress",
    )

    anonymous = [a for who, a in attempts if who != "signed-in"]
    lost = [a for a in anonymous if a.outcome == "lost"]
    across = [a for who, a in attempts if who == "across the outage"]
    spanning = [
        a
        for a in anonymous
        if a.outcome == "finished"
        and a.started_at < outage.stopping_at
        and a.ended_at > outage.up_at
    ]
    outcomes = collections.Counter(
        f"{a.outcome} ({who})" for who, a in attempts if who != "signed-in"
    )
    reasons = collections.Counter(a.detail for a in anonymous if a.outcome in ("lost", "broken"))
    check(
        "Redis outage: no anonymous progress lost",
        not lost and any(a.outcome == "finished" for a in across),
        f"{len(lost)} of {len(anonymous)} anonymous attempts lost their answers; outcomes "
        f"{dict(outcomes)}; {len(spanning)} finished across the whole outage"
        + (f"; {dict(reasons.most_common(4))}" if reasons else ""),
    )

    ids, client_ids = stored_assessments(env)
    web_acks = [a.result for _, a in attempts if a.result]
    missing = [ack for ack in api_acks if ack not in client_ids]
    missing += [ack for ack in web_acks if ack not in ids]
    check(
        "Redis outage: every acknowledged submission stored",
        not missing and len(api_acks) > 0 and len(web_acks) > 0,
        f"{len(api_acks)} API and {len(web_acks)} web submissions acknowledged, "
        f"{len(missing)} missing",
    )

    # /readyz while Redis is down (probes sent well inside the outage): still ready. A probe
    # that timed out tells of the load, not of Redis: it is counted, and the others decide.
    down = watcher.between(outage.stopping_at + 0.5, outage.up_at - 0.5)
    answered = [probe.status for probe in down if probe.status != "timeout"]
    degraded = sum("degraded" in probe.body for probe in down)
    check(
        "Redis outage: /readyz stays ready while Redis is down",
        bool(answered) and all(status == 200 for status in answered),
        f"{len(down)} probes: {dict(collections.Counter(str(p.status) for p in down))}, "
        f"{degraded} saying 'degraded'",
    )
    for phase, start, end in (
        ("before", started, outage.stopping_at),
        ("while down", outage.stopping_at, outage.up_at),
        ("after", outage.up_at, math.inf),
    ):
        note(f"/readyz under mixed load, Redis {phase}", probe_timing(watcher.between(start, end)))


# --------------------------------------------------------------------------------------------


def main() -> int:
    steps = [s.strip() for s in os.environ.get("SOAK_STEPS", ",".join(STEPS)).split(",") if s]
    unknown = set(steps) - set(STEPS)
    if unknown:
        raise SystemExit(f"SOAK_STEPS: unknown {sorted(unknown)}; steps are {STEPS}")
    ensure_tools(own_redis=True)
    with RedisServer() as redis:
        env = app_environment(DATABASE, redis.url)
        print(f"Preparing {DATABASE}, Redis of our own at {redis.url}...", flush=True)
        fresh_database(env, DATABASE)
        APP_LOG.parent.mkdir(exist_ok=True)
        APP_LOG.write_text("")
        print(f"The app's output goes to {APP_LOG}", flush=True)
        person = make_person_with_assessments(env, "soak-person", 0)
        # The load's API log-ins are another person's: each log-in makes a token, and past
        # the per-person limit the oldest go, which would be the one the load submits with.
        make_person_with_assessments(env, "soak-login", 0)
        person.update(
            username="soak-person", password="bench-password-123", logs_in_as="soak-login"
        )
        if "watcher" in steps:
            readiness_watcher_survives_timeouts()
        with Gunicorn(env, PORT_A, APP_LOG), Gunicorn(env, PORT_B, APP_LOG):
            if "mixed" in steps:
                mixed_traffic(env, person)
            if "postgres" in steps:
                postgres_restart(env, person)
            if "instances" in steps:
                two_instances(env, person)
            if "identical" in steps:
                concurrent_identical_submissions(env, person)
            # Last: it empties Redis.
            if "redis" in steps:
                redis_outage(env, redis)
        log = APP_LOG.read_text(errors="replace")
        note(
            "the app's log",
            f"{APP_LOG}: {log.count(chr(10))} lines, {log.count('Traceback')} tracebacks",
        )
        if watchers:
            health = [(label, *watcher.health()) for label, watcher in watchers]
            check(
                "the readiness watcher probed throughout",
                all(ok for _, ok, _ in health),
                "; ".join(f"{label}: {detail}" for label, _, detail in health),
            )

    width = max(len(name) for name, _, _ in checks)
    print("\n" + "check".ljust(width) + "  result  detail")
    for name, ok, detail in checks:
        result = "info" if ok is None else "pass" if ok else "FAIL"
        print(f"{name.ljust(width)}  {result:6}  {detail}")
    failed = [name for name, ok, _ in checks if ok is False]
    passed = sum(ok is True for _, ok, _ in checks)
    print(f"\n{passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
