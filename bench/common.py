"""What the benchmark and the soak test share: a production-like environment on this machine
(gunicorn, PostgreSQL, Redis, DEBUG off), and starting and stopping the app. Loopback only."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")

# Gunicorn on 2 cores: the work is Python (CPU-bound rendering and serialization) with short
# waits on PostgreSQL and Redis. Three processes keep both cores busy while one of them waits;
# four threads each (gthread) overlap those waits and hold keep-alive connections, which sync
# workers can't. More processes only add memory and context switches on 2 cores.
GUNICORN_WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
GUNICORN_THREADS = int(os.environ.get("BENCH_THREADS", "4"))


def app_environment(database: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
            "REDIS_URL": REDIS_URL,
            "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
            # The load comes from one address; these limits are for the internet, not for us.
            "API_THROTTLE_ANON": "1000000/minute",
            "API_THROTTLE_USER": "1000000/minute",
            "API_THROTTLE_AUTH": "1000000/minute",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def run(command, env, **kwargs):
    return subprocess.run(command, cwd=ROOT, env=env, check=True, **kwargs)


def manage(env, *args, **kwargs):
    return run([PYTHON, "manage.py", *args], env, **kwargs)


def psql(sql: str) -> None:
    subprocess.run(["psql", PG_ADMIN_URL, "-qc", sql], check=True, capture_output=True)


def ensure_tools() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: `apt-get install wrk` (make bench does it for you)")
    if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode != 0:
        sys.exit("PostgreSQL is not answering on 127.0.0.1:5432")
    if subprocess.run(["redis-cli", "-u", REDIS_URL, "ping"], capture_output=True).returncode:
        sys.exit("Redis is not answering on 127.0.0.1:6379")


def fresh_database(env, database: str) -> None:
    """An empty database with the schema, the content and static files."""
    psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{database}"')
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, capture_output=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_content", stdout=subprocess.DEVNULL)
    manage(env, "collectstatic", "--noinput", "-v0")


def shell(env, code: str) -> dict:
    """Run Python in the app's environment; the code prints one JSON object."""
    result = manage(env, "shell", "-c", code, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


class Gunicorn:
    def __init__(self, env, port: int):
        self.env, self.port = env, port
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "careerguide.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(GUNICORN_WORKERS),
                "--worker-class",
                "gthread",
                "--threads",
                str(GUNICORN_THREADS),
                "--keep-alive",
                "5",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        wait_for(f"http://127.0.0.1:{self.port}/healthz")
        return self

    def worker_pids(self) -> list[int]:
        assert self.process is not None, "gunicorn is not running"
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def request(method, url, body=None, headers=None, timeout=10):
    """(status, parsed JSON or text, response headers); never raises on an HTTP error status."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json", **(headers or {})}
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, raw, response_headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, raw, response_headers = error.code, error.read(), error.headers
    try:
        return status, json.loads(raw), response_headers
    except ValueError:
        return status, raw.decode(errors="replace"), response_headers


def make_person_with_assessments(env, username: str, count: int) -> dict:
    """A person with `count` saved assessments, a logged-in session and an API token."""
    code = f"""
import json, uuid
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from importlib import import_module
from django.conf import settings
from knox.models import AuthToken
from quizzes import selectors, services

User = get_user_model()
user = User.objects.create_user({username!r}, {username + "@example.com"!r}, "bench-password-123")
version = selectors.current_version_get()
questions = selectors.question_list(version=version)
last = None
for number in range({count}):
    answers = [(q.pk, list(q.choices.all())[(number + i) % len(q.choices.all())].pk)
               for i, q in enumerate(questions)]
    last, _ = services.assessment_submit(version=version, answers=answers,
                                         client_id=uuid.uuid4(), user=user)
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.create()
_, token = AuthToken.objects.create(user)
print(json.dumps({{
    "session": store.session_key, "token": token, "result": str(last.pk) if last else None,
    "version": version.pk,
    "answers": [{{"question": q.pk, "choice": q.choices.all()[0].pk}} for q in questions],
}}))
"""
    return shell(env, code)
