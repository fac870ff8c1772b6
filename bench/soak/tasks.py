"""The task queue under two web instances and two workers: password-reset requests answer at
once with no worker running and their e-mails go out when workers start; every e-mail is sent
exactly once; each periodic job runs once per period while workers start and stop together; a
worker killed (SIGKILL) in the middle of sending an e-mail neither loses nor doubles it."""

import concurrent.futures
import http.client
import re
import signal
import statistics
import subprocess
import time
import urllib.parse
import urllib.request
import uuid

from bench.common import PYTHON, ROOT, shell
from bench.soak.base import APP_LOG, PORT_A, PORT_B, check, note
from bench.soak.smtp_sink import SmtpSink

# A worker not seen for this long has its running job put back in the queue.
LEASE_SECONDS = 6
SLOW_SECONDS = 4.0
DRAIN_TIMEOUT = 90


def _reset(base: str, address: str) -> tuple[int, float]:
    """Ask for a password reset on the web form, as a browser does; (status, seconds). The
    CSRF cookie is Secure in production mode, so it is carried by hand over plain HTTP."""
    with urllib.request.urlopen(f"{base}/accounts/password_reset/", timeout=10) as response:
        page = response.read().decode()
        cookies = response.headers.get_all("Set-Cookie") or []
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "the reset page has no CSRF token"
    csrf = next(c.split(";", 1)[0] for c in cookies if c.startswith("csrftoken="))
    body = urllib.parse.urlencode({"email": address, "csrfmiddlewaretoken": found.group(1)})
    connection = http.client.HTTPConnection(urllib.parse.urlsplit(base).netloc, timeout=10)
    started = time.monotonic()
    connection.request(
        "POST",
        "/accounts/password_reset/",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": csrf},
    )
    status = connection.getresponse().status
    seconds = time.monotonic() - started
    connection.close()
    return status, seconds


def _people(env, count: int, tag: str) -> list[str]:
    """`count` accounts with addresses; their addresses."""
    code = f"""
import json
from django.contrib.auth import get_user_model
User = get_user_model()
emails = []
for n in range({count}):
    name = f"soak-{tag}-{{n}}"
    user = User.objects.create_user(name, name + "@example.com", "bench-password-123")
    emails.append(user.email)
print(json.dumps({{"emails": emails}}))
"""
    return shell(env, code)["emails"]


def _queue(env) -> dict:
    code = """
import json
from django.db.models import Count
from django_tasks_db.models import DBTaskResult
from core.models import PeriodicRun
by_status = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk")))
runs = list(PeriodicRun.objects.values("job", "period_start", "task_id", "succeeded_at"))
periodic_jobs = list(
    DBTaskResult.objects.filter(args_kwargs__kwargs__has_key="period_start")
    .values_list("task_path", "args_kwargs__kwargs__period_start", "status")
)
print(json.dumps({"by_status": by_status, "runs": runs, "periodic_jobs": periodic_jobs,
                  "running": list(DBTaskResult.objects.filter(status="RUNNING")
                                  .values_list("task_path", "worker_ids"))}, default=str))
"""
    return shell(env, code)


def _drain(env, timeout: float = DRAIN_TIMEOUT) -> dict:
    """Wait until no job is ready or running (a retry waiting for its time does not count)."""
    deadline = time.monotonic() + timeout
    while True:
        state = _queue(env)
        busy = state["by_status"].get("READY", 0) + state["by_status"].get("RUNNING", 0)
        if not busy or time.monotonic() > deadline:
            return state
        time.sleep(1)


class Workers:
    """Task workers of the soak (`manage.py run_worker`), by name."""

    def __init__(self, env) -> None:
        self.env = {
            **env,
            "TASKS_WORKER_LEASE": str(LEASE_SECONDS),
            "TASKS_HEARTBEAT_SECONDS": "1",
            "LOG_LEVEL": "INFO",
        }
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, *names: str) -> None:
        with APP_LOG.open("ab") as log:
            for name in names:
                self.processes[name] = subprocess.Popen(
                    [PYTHON, "manage.py", "run_worker", "--worker-id", name, "--interval", "0.2"],
                    cwd=ROOT,
                    env=self.env,
                    stdout=log,
                    stderr=log,
                )

    def stop(self, *names: str, sig: int = signal.SIGTERM) -> None:
        for name in names or list(self.processes):
            process = self.processes.pop(name, None)
            if process is not None and process.poll() is None:
                process.send_signal(sig)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def task_queue(env, app_env) -> None:
    bases = [f"http://127.0.0.1:{PORT_A}", f"http://127.0.0.1:{PORT_B}"]
    slow = f"soak-slow-{uuid.uuid4().hex[:6]}@example.com"
    with SmtpSink(slow_recipient=slow, slow_seconds=SLOW_SECONDS) as sink:
        worker_env = {
            **app_env,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
        }
        workers = Workers(worker_env)
        try:
            _no_worker_then_workers(env, bases, sink, workers)
            _exactly_once_under_load(env, bases, sink)
            _reminders_and_follow_ups_once(env, sink)
            _killed_mid_job(env, bases, sink, workers, slow)
            _periodic_once(env, workers)
        finally:
            workers.stop()


def _no_worker_then_workers(env, bases, sink, workers) -> None:
    known = _people(env, 10, "idle")
    unknown = [f"nobody-{uuid.uuid4().hex[:8]}@example.com" for _ in range(10)]
    for base in bases:
        _reset(base, "warm-up@example.com")  # each instance's first request loads the code
    # Known and unknown addresses in turn, so both meet the instances equally warm.
    interleaved = [address for pair in zip(known, unknown, strict=True) for address in pair]
    answered = {
        address: _reset(bases[(n // 2) % 2], address) for n, address in enumerate(interleaved)
    }
    answers = [answered[address] for address in known + unknown]
    statuses = {status for status, _ in answers}
    median = statistics.median(seconds for _, seconds in answers)
    check(
        "with no worker, a password reset answers at once",
        statuses == {302} and median < 0.5,
        f"statuses {sorted(statuses)}, median {median * 1000:.0f} ms, "
        f"slowest {max(seconds for _, seconds in answers) * 1000:.0f} ms",
    )
    known_ms = statistics.median(seconds for _, seconds in answers[:10]) * 1000
    unknown_ms = statistics.median(seconds for _, seconds in answers[10:]) * 1000
    note(
        "reset answer, address with an account vs without (median)",
        f"{known_ms:.1f} ms vs {unknown_ms:.1f} ms",
    )
    time.sleep(2)
    waiting = _queue(env)["by_status"].get("READY", 0)
    check(
        "with no worker nothing is sent and the jobs wait",
        not sink.accepted and waiting >= 22,
        f"{len(sink.accepted)} sent, {waiting} jobs waiting",
    )
    # Two workers start at the same moment (and race for today's periodic jobs).
    workers.start("soak-w1", "soak-w2")
    _drain(env)
    got = {address: len(sink.to(address)) for address in known + unknown}
    check(
        "once workers start, each queued e-mail goes out once",
        all(got[a] == 1 for a in known) and not any(got[a] for a in unknown),
        f"{sum(got[a] for a in known)} of {len(known)} known addresses mailed, "
        f"{sum(got[a] for a in unknown)} unknown",
    )


def _exactly_once_under_load(env, bases, sink) -> None:
    known = _people(env, 60, "load")
    unknown = [f"nobody-{uuid.uuid4().hex[:8]}@example.com" for _ in range(60)]
    addresses = [a for pair in zip(known, unknown, strict=True) for a in pair]
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        answers = list(
            pool.map(lambda pair: _reset(bases[pair[0] % 2], pair[1]), enumerate(addresses))
        )
    state = _drain(env)
    counts = [len(sink.to(address)) for address in known]
    ids = [message_id for _, message_id, _ in sink.accepted]
    check(
        "every e-mail exactly once (120 resets over two instances, two workers)",
        all(status == 302 for status, _ in answers)
        and counts == [1] * len(known)
        and not any(sink.to(address) for address in unknown)
        and len(ids) == len(set(ids)),
        f"{sum(counts)} mails to {len(known)} addresses (min {min(counts)}, max {max(counts)}), "
        f"{len(ids) - len(set(ids))} repeated Message-IDs, failed jobs "
        f"{state['by_status'].get('FAILED', 0)}",
    )


def _reminders_and_follow_ups_once(env, sink, count: int = 20) -> None:
    """People whose weekly plan reminder and six-month follow-up are due now; the periodic
    jobs of both are queued twice (as two periods' runs would) and each person's send job
    twice more, so the two workers race for every one: each person gets each e-mail once."""
    code = f"""
import json, uuid
from datetime import timedelta
from django.db import transaction
from assessments import following
from assessments.models import FollowUp
from assessments.services.assessment import assessment_submit
from assessments import tasks as assessment_tasks
from core import clock
from core.tasks import enqueue
from django.contrib.auth import get_user_model
from plans import reminding, selectors, services, tasks as plan_tasks
from plans.models import PlanReminder
from quizzes.selectors import current_version_get, question_list
User = get_user_model()
version = current_version_get()
# The quiz's own questions: a version's tie-breakers are not answered with it (refused).
answers = [(q.pk, q.choices.all()[0].pk) for q in question_list(version=version)]
role = next(slug for slug in selectors.role_names() if selectors.role_tools(slug))
today, now = clock.today(), clock.now()
yesterday = today - timedelta(days=1)
emails, reminders, follow_ups = [], [], []
for n in range({count}):
    name = f"soak-mail-{{uuid.uuid4().hex[:8]}}"
    user = User.objects.create_user(name, name + "@example.com", "bench-password-123")
    services.plan_update(user=user, today=today - timedelta(days=30), role=role,
                         hours_per_week=60)
    # Yesterday's weekday (UTC): a week still open at any hour (before 8:00 today's isn't).
    PlanReminder.objects.create(user=user, enabled=True, weekday=yesterday.isoweekday(),
                                language="en", enabled_on=yesterday, updated_at=now)
    result, _ = assessment_submit(version=version, answers=answers,
                                  client_id=uuid.uuid4(), user=user)
    follow_up = FollowUp.objects.create(
        assessment=result, user=user, consented_at=now - timedelta(days=181),
        wording_version=following.WORDING_VERSION, language="en",
        due_at=now - timedelta(minutes=1))
    emails.append(user.email)
    reminders.append(user.pk)
    follow_ups.append(follow_up.pk)
with transaction.atomic():
    for hours in (0, 1):  # two periods' runs (each period once, as the periodic check wants)
        period = (now + timedelta(hours=hours)).isoformat()
        enqueue(plan_tasks.plan_reminders_schedule, period_start=period)
        enqueue(assessment_tasks.follow_ups_schedule, period_start=period)
        for user_id in reminders:
            enqueue(plan_tasks.plan_reminder_send, user_id=user_id)
        for follow_up_id in follow_ups:
            enqueue(assessment_tasks.follow_up_send, follow_up_id=follow_up_id)
print(json.dumps({{"emails": emails}}))
"""
    emails = shell(env, code)["emails"]
    state = _drain(env)
    subjects = [[subject for _, _, subject in sink.to(address)] for address in emails]
    reminders = [sum("learning plan this week" in s for s in got) for got in subjects]
    questions = [sum(s == "Which path did you take?" for s in got) for got in subjects]
    check(
        "each plan reminder and follow-up once (jobs queued twice over, two workers)",
        reminders == [1] * len(emails) and questions == [1] * len(emails),
        f"{sum(reminders)} reminders and {sum(questions)} follow-ups to {len(emails)} people "
        f"(each: reminders {min(reminders)}-{max(reminders)}, follow-ups "
        f"{min(questions)}-{max(questions)}); failed jobs "
        f"{state['by_status'].get('FAILED', 0)}",
    )


def _killed_mid_job(env, bases, sink, workers, slow) -> None:
    _people_with(env, slow)
    _reset(bases[0], slow)
    if not sink.slow_data_received.wait(30):
        check("a worker killed mid-job", False, "the slow e-mail never reached the sink")
        return
    running = _queue(env)["running"]
    holder = next((ids[-1] for path, ids in running if path.endswith("email_deliver")), None)
    if holder not in workers.processes:
        check("a worker killed mid-job", False, f"no worker of ours holds it: {running}")
        return
    killed_at = time.monotonic()
    workers.stop(holder, sig=signal.SIGKILL)
    deadline = time.monotonic() + LEASE_SECONDS + SLOW_SECONDS + 30
    while not sink.to(slow) and time.monotonic() < deadline:
        time.sleep(0.5)
    took = time.monotonic() - killed_at
    time.sleep(SLOW_SECONDS + 2)  # room for a second copy, if one were coming
    workers.start(holder)
    state = _drain(env)
    code = f"""
import json
from django_tasks_db.models import DBTaskResult
job = DBTaskResult.objects.filter(task_path__endswith="email_deliver",
                                  args_kwargs__kwargs__to={slow!r}).get()
print(json.dumps({{"status": job.status, "workers": job.worker_ids}}))
"""
    job = shell(env, code)
    check(
        "a worker killed mid-job neither loses nor doubles it",
        len(sink.to(slow)) == 1 and job["status"] == "SUCCESSFUL" and job["workers"][0] == holder,
        f"{len(sink.to(slow))} delivered ({len(sink.abandoned)} abandoned by the killed worker) "
        f"{took:.1f} s after the kill; job {job['status']}, tried by {job['workers']}; "
        f"failed jobs {state['by_status'].get('FAILED', 0)}",
    )


def _people_with(env, address: str) -> None:
    name = address.split("@")[0]
    shell(
        env,
        "import json\nfrom django.contrib.auth import get_user_model\n"
        f"get_user_model().objects.create_user({name!r}, {address!r}, 'x-pass-123')\n"
        "print(json.dumps({}))",
    )


def _periodic_once(env, workers) -> None:
    # Stop both and start both again twice: each start races to schedule the current period.
    for _ in range(2):
        workers.stop()
        workers.start("soak-w1", "soak-w2")
        time.sleep(3)
    state = _drain(env)
    runs: dict[tuple[str, str], int] = {}
    for run in state["runs"]:
        key = (run["job"], run["period_start"])
        runs[key] = runs.get(key, 0) + 1
    jobs: dict[tuple[str, str], int] = {}
    for path, period_start, _ in state["periodic_jobs"]:
        jobs[(path, period_start)] = jobs.get((path, period_start), 0) + 1
    succeeded = all(run["succeeded_at"] for run in state["runs"])
    check(
        "each periodic job once per period (two workers, started together three times)",
        bool(runs) and set(runs.values()) == {1} and set(jobs.values()) == {1} and succeeded,
        f"{len(runs)} runs: "
        + ", ".join(sorted(job for job, _ in runs))
        + f"; {len(jobs)} jobs; all succeeded: {succeeded}",
    )
