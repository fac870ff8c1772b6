"""Mixed load, a PostgreSQL restart under it, two instances side by side, and twenty identical
submissions at once."""

import collections
import concurrent.futures
import http.client
import http.cookies
import json
import os
import random
import subprocess
import threading
import time
import uuid

from bench.common import Gunicorn, request, shell
from bench.soak.base import (
    APP_LOG,
    BROWSE,
    CONNECTIONS,
    MIXED_SECONDS,
    PG_DOWN_SECONDS,
    PORT_A,
    PORT_B,
    PORT_C,
    PORT_D,
    RESTART_LOAD_SECONDS,
    check,
    note,
)
from bench.soak.watcher import probe_timing, watch

# The PostgreSQL cluster postgres_restart stops and starts (pg_ctlcluster's version and name):
# the machine's by default; SOAK_PG_CLUSTER="15 mine" with BENCH_PG_PORT restarts one's own,
# so that others' work on the machine's cluster goes on.
PG_CLUSTER = os.environ.get("SOAK_PG_CLUSTER", "").split() or [
    *subprocess.run(["ls", "/etc/postgresql"], capture_output=True, text=True).stdout.split()[:1],
    "main",
]
# core.caching.CATALOG_VERSION_SECONDS: how long another process may show the catalog as it
# was before an editor's save (this module runs without Django set up, so it is spelled here).
EDIT_SHOWS_WITHIN = 1.0


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
        pg_ctl = ["pg_ctlcluster", "--skip-systemctl-redirect", *PG_CLUSTER]
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
    with Gunicorn(limited_env, PORT_C, APP_LOG), Gunicorn(limited_env, PORT_D, APP_LOG):
        codes = [
            request(
                "GET", f"http://127.0.0.1:{port}/api/v1/roles/", headers={"Cookie": "sessionid=x"}
            )[0]
            for port in (PORT_C, PORT_D) * 4
        ]
    check(
        "throttling counts are shared",
        codes.count(429) >= 1 and codes.index(429) >= 6,
        f"8 anonymous API calls alternating two instances limited to 6/minute: {codes}",
    )

    # An editor's save shows on both instances within CATALOG_VERSION_SECONDS (core.caching:
    # each process trusts the catalog version it read for that long), plus a request's time.
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
    saved_at, seen = time.monotonic(), [False, False]
    while not all(seen) and time.monotonic() < saved_at + EDIT_SHOWS_WITHIN + 0.5:
        seen = [marker in request("GET", f"{base}/tools/docker/")[1] for base in (a, b)]
        if not all(seen):
            time.sleep(0.1)
    waited = time.monotonic() - saved_at
    check(
        f"an editor's save shows on both instances within {EDIT_SHOWS_WITHIN:g} s",
        all(seen),
        f"seen on A, B: {seen} after {waited:.2f} s",
    )


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
