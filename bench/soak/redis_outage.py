"""Redis stops in the middle of mixed load and comes back empty: everyone keeps being served."""

import collections
import math
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.common import RedisServer
from bench.soak.base import (
    BROWSE,
    PORT_A,
    REDIS_AFTER_SECONDS,
    REDIS_BEFORE_SECONDS,
    REDIS_DOWN_SECONDS,
    check,
    note,
)
from bench.soak.browsers import (
    Attempt,
    Browser,
    Traffic,
    make_people,
    stored_assessments,
    take_assessment,
)
from bench.soak.watcher import probe_timing, watch

SIGNED_IN_PEOPLE, API_PEOPLE = 12, 8
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
