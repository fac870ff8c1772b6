"""Faults and load (`make soak`), bounded in time and on loopback only.

1. 60 s of mixed traffic (browse, log in, submit) at 64 connections: no 5xx, and every
   acknowledged submission is in the database afterwards.
2. PostgreSQL restarts in the middle of the load: requests fail only while it is down (503 from
   /readyz), the app recovers by itself within seconds, and no acknowledged submission is lost.
3. Two app instances on different ports share PostgreSQL and Redis: a session started on one
   works on the other, throttling and lockout counts are shared, an editor's save shows on both.
4. Twenty concurrent identical submissions (same client_id) create exactly one assessment.

Prints a summary table and exits non-zero when a check fails.
"""

import collections
import concurrent.futures
import http.client
import json
import os
import random
import subprocess
import threading
import time
import uuid

from bench.common import (
    REDIS_URL,
    Gunicorn,
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
CONNECTIONS = 64
PG_CLUSTER = subprocess.run(
    ["ls", "/etc/postgresql"], capture_output=True, text=True
).stdout.split()

checks: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str) -> None:
    checks.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)


BROWSE = ["/", "/tools/", "/roles/data-engineer/", "/compare/", "/tools/?q=stream", "/readyz"]


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
                body = {"username": person["username"], "password": person["password"]}
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
            except (OSError, http.client.HTTPException):
                status = "connection error"
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
from quizzes.models import Assessment
ids = Assessment.objects.filter(user__username={username!r}).values_list("client_id", flat=True)
print(json.dumps({{"ids": [str(i) for i in ids]}}))
"""
    return set(shell(env, code)["ids"])


def five_xx(statuses: dict) -> int:
    return sum(count for status, count in statuses.items() if str(status).startswith("5"))


def mixed_traffic(env, person):
    result = run_mixed_load(PORT_A, MIXED_SECONDS, person, "mixed")
    stored = stored_client_ids(env, person["username"])
    lost = [ack for ack in result["acks"] if ack not in stored]
    total = sum(result["statuses"].values())
    check(
        "mixed traffic, no 5xx",
        five_xx(result["statuses"]) == 0 and total > 0,
        f"{total} requests in {MIXED_SECONDS} s at {CONNECTIONS} connections, "
        f"statuses {result['statuses']}",
    )
    check(
        "every acknowledged submission stored",
        not lost and len(result["acks"]) > 0,
        f"{len(result['acks'])} acknowledged, {len(lost)} missing",
    )


def postgres_restart(env, person):
    ready_log: list[tuple[float, int]] = []
    stop = threading.Event()

    def watch_readyz():
        while not stop.is_set():
            sent_at = time.monotonic()
            status, _, _ = request("GET", f"http://127.0.0.1:{PORT_A}/readyz", timeout=3)
            ready_log.append((sent_at, status))
            time.sleep(0.25)

    watcher = threading.Thread(target=watch_readyz, daemon=True)
    watcher.start()
    load = concurrent.futures.ThreadPoolExecutor(1).submit(
        run_mixed_load, PORT_A, RESTART_LOAD_SECONDS, person, "restart"
    )
    time.sleep(RESTART_LOAD_SECONDS / 3)
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", PG_CLUSTER[0], "main", "stop", "-m", "fast"],
        check=True,
    )
    stopped_at = time.monotonic()
    time.sleep(3)
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", PG_CLUSTER[0], "main", "start"], check=True
    )
    up_at = time.monotonic()
    result = load.result()
    time.sleep(2)
    stop.set()
    watcher.join()

    # Probes sent well inside the outage (stop had returned, start not yet begun).
    during = [status for at, status in ready_log if stopped_at + 0.2 < at < up_at - 3.2]
    after = [(at, status) for at, status in ready_log if at > up_at]
    recovered_at = next((at for at, status in after if status == 200), None)
    check(
        "readyz is 503 while PostgreSQL is down",
        bool(during) and all(status == 503 for status in during),
        f"{len(during)} probes while down: {sorted(set(during))}",
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
        not lost,
        f"{len(result['acks'])} acknowledged, {len(lost)} missing; statuses {result['statuses']}",
    )
    status, _, _ = request("GET", f"http://127.0.0.1:{PORT_A}/tools/")
    check("pages work again after the restart", status == 200, f"/tools/ answered {status}")


def forget_throttle_counts() -> None:
    """The earlier steps' anonymous calls count too; start this check from zero."""
    keys = subprocess.run(
        ["redis-cli", "-u", REDIS_URL, "--scan", "--pattern", "*throttle_*"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if keys:
        subprocess.run(
            ["redis-cli", "-u", REDIS_URL, "del", *keys], check=True, capture_output=True
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
    forget_throttle_counts()
    limited_env = {**env, "API_THROTTLE_ANON": "6/minute"}
    with Gunicorn(limited_env, 8103), Gunicorn(limited_env, 8104):
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
from quizzes.models import Assessment
print(json.dumps({{"count": Assessment.objects.filter(client_id={client_id!r}).count()}}))
""",
    )["count"]
    check(
        "twenty concurrent identical submissions make one assessment",
        count == 1 and len(ids) == 1 and statuses.count(201) == 1,
        f"rows {count}, distinct ids {len(ids)}, statuses {statuses}",
    )


def main() -> int:
    ensure_tools()
    env = app_environment(DATABASE)
    print(f"Preparing {DATABASE}...", flush=True)
    fresh_database(env, DATABASE)
    person = make_person_with_assessments(env, "soak-person", 0)
    person.update(username="soak-person", password="bench-password-123")
    with Gunicorn(env, PORT_A), Gunicorn(env, PORT_B):
        mixed_traffic(env, person)
        postgres_restart(env, person)
        two_instances(env, person)
        concurrent_identical_submissions(env, person)

    width = max(len(name) for name, _, _ in checks)
    print("\n" + "check".ljust(width) + "  result  detail")
    for name, ok, detail in checks:
        print(f"{name.ljust(width)}  {'pass' if ok else 'FAIL':6}  {detail}")
    failed = [name for name, ok, _ in checks if not ok]
    print(f"\n{len(checks) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
