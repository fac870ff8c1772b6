"""Faults and load (`make soak`), bounded in time and on loopback only.

0. The readiness watcher itself: probes that time out count as "not ready" and probing goes on
   (a watcher probes /readyz through every step below, and must be probing still at its end).
1. 60 s of mixed traffic (browse, log in, submit) at 64 connections: no 5xx or 4xx, and every
   acknowledged submission is in the database afterwards. /readyz is timed under this load.
2. PostgreSQL (the machine's cluster) restarts in the middle of the load: /readyz says 503
   while it is down, the app recovers by itself within seconds, and no acknowledged submission
   is lost.
3. Two app instances on different ports share PostgreSQL and Redis: a session started on one
   works on the other, throttling and lockout counts are shared, an editor's save shows on both
   within CATALOG_VERSION_SECONDS.
4. Twenty concurrent identical submissions (same client_id) create exactly one assessment.
5. The task queue with two instances and two workers (a mail server of our own): password
   resets answer at once with no worker running, and their e-mails go out once workers start;
   120 resets over both instances give every e-mail exactly once; a worker killed (SIGKILL)
   while sending an e-mail neither loses nor doubles it (another worker sends it once the
   killed one's lease runs out); each periodic job runs once per period while both workers
   start together three times.
6. Redis stops for 20 s in the middle of mixed load (anonymous browsing, people logged in
   walking the assessment and their profile, anonymous people taking the assessment, API
   submissions) and comes back empty: no 5xx, nobody logged out, no anonymous progress lost,
   no acknowledged submission missing, and /readyz stays ready.

The soak runs a Redis of its own (a redis-server on a free port, no persistence), never the
machine's. SOAK_STEPS=redis,watcher (names: watcher mixed postgres instances identical tasks
partition redis) runs some steps only, e.g. to work on one without restarting the machine's
PostgreSQL; SOAK_DATABASE and SOAK_PORTS (two, comma-separated) move it off careerguide_soak
and ports 8101,8102 (the throttling check takes the two ports after the second).
SOAK_PG_CLUSTER ("15 soak", pg_ctlcluster's version and name) with BENCH_PG_PORT runs it all
on a cluster of one's own, and restarts that one, not the machine's:
`pg_createcluster 15 soak --port 5441 --start` (with the main cluster's pg_hba.conf).

Prints a summary table and exits non-zero when a check fails.
"""
