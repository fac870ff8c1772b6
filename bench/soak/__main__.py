"""`python -m bench.soak` (`make soak`): every step, a summary table, non-zero on failure."""

import os

from bench.common import (
    Gunicorn,
    RedisServer,
    app_environment,
    ensure_tools,
    fresh_database,
    make_person_with_assessments,
)
from bench.soak.base import APP_LOG, DATABASE, PORT_A, PORT_B, STEPS, check, checks, note
from bench.soak.load import (
    concurrent_identical_submissions,
    mixed_traffic,
    postgres_restart,
    two_instances,
)
from bench.soak.partition import DroppingProxy, redis_partition
from bench.soak.redis_outage import redis_outage
from bench.soak.tasks import task_queue
from bench.soak.watcher import readiness_watcher_survives_timeouts, watchers


def main() -> int:
    steps = [s.strip() for s in os.environ.get("SOAK_STEPS", ",".join(STEPS)).split(",") if s]
    unknown = set(steps) - set(STEPS)
    if unknown:
        raise SystemExit(f"SOAK_STEPS: unknown {sorted(unknown)}; steps are {STEPS}")
    ensure_tools(own_redis=True)
    with RedisServer() as redis:
        # The instances reach Redis through a proxy of ours, which the partition step makes
        # drop their traffic; everything else talks to Redis directly.
        proxy = DroppingProxy(redis.port)
        env = app_environment(DATABASE, redis.url)
        # Password resets come from this one address in the task queue's step.
        app_env = {**env, "REDIS_URL": proxy.url, "THROTTLE_PASSWORD_RESET": "1000000/hour"}
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
        with Gunicorn(app_env, PORT_A, APP_LOG), Gunicorn(app_env, PORT_B, APP_LOG):
            if "mixed" in steps:
                mixed_traffic(env, person)
            if "postgres" in steps:
                postgres_restart(env, person)
            if "instances" in steps:
                two_instances(env, person)
            if "identical" in steps:
                concurrent_identical_submissions(env, person)
            if "tasks" in steps:
                task_queue(env, app_env)
            if "partition" in steps:
                redis_partition(app_env, proxy)
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
