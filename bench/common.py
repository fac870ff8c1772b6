"""What the benchmark and the soak test share: a production-like environment on this machine
(gunicorn, PostgreSQL, Redis, DEBUG off), and starting and stopping the app. Loopback only."""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# BENCH_PG_PORT: a PostgreSQL cluster of one's own (the soak restarts the one it uses).
PG_PORT = int(os.environ.get("BENCH_PG_PORT", "5432"))
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", f"postgres://postgres@127.0.0.1:{PG_PORT}/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
REDIS_SERVER = "/usr/bin/redis-server"

# Gunicorn on 2 cores: the work is Python (CPU-bound rendering and serialization) with short
# waits on PostgreSQL and Redis. Three processes keep both cores busy while one of them waits;
# four threads each (gthread) overlap those waits and hold keep-alive connections, which sync
# workers can't. More processes only add memory and context switches on 2 cores.
GUNICORN_WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
GUNICORN_THREADS = int(os.environ.get("BENCH_THREADS", "4"))


def app_environment(database: str, redis_url: str = REDIS_URL) -> dict:
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
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/{database}",
            "REDIS_URL": redis_url,
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


def ensure_tools(own_redis: bool = False) -> None:
    """wrk and PostgreSQL; then either the machine's Redis (the benchmark) or the redis-server
    program, for a run that starts a Redis of its own (the soak)."""
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: `apt-get install wrk` (make bench does it for you)")
    if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", str(PG_PORT), "-q"]).returncode:
        sys.exit(f"PostgreSQL is not answering on 127.0.0.1:{PG_PORT}")
    if own_redis:
        if not os.access(REDIS_SERVER, os.X_OK):
            sys.exit(f"{REDIS_SERVER} is missing: `apt-get install redis-server`")
    elif subprocess.run(["redis-cli", "-u", REDIS_URL, "ping"], capture_output=True).returncode:
        sys.exit(f"Redis is not answering at {REDIS_URL}")


def fresh_database(env, database: str) -> None:
    """An empty database with the schema, the content and static files."""
    psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{database}"')
    subprocess.run(
        ["redis-cli", "-u", env["REDIS_URL"], "flushdb"], check=True, capture_output=True
    )
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_content", stdout=subprocess.DEVNULL)
    manage(env, "collectstatic", "--noinput", "-v0")


def shell(env, code: str) -> dict:
    """Run Python in the app's environment; the code prints one JSON object."""
    result = manage(env, "shell", "-c", code, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


class Gunicorn:
    def __init__(self, env, port: int, log: Path | None = None):
        """`log`: a file for the app's output (appended to); by default it goes to ours."""
        self.env, self.port, self.log = env, port, log
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        # Another server on the port (another soak on this machine) would answer in its place.
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise RuntimeError(f"port {self.port} is taken by another server")
        output = None
        if self.log is not None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            output = self.log.open("ab")
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
            stdout=output,
            stderr=output,
        )
        if output is not None:
            output.close()  # the child holds its own copy
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


def free_port() -> int:
    """A loopback TCP port nothing listens on at the moment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of the caller's own on a free loopback port, never the machine's Redis.
    Nothing is persisted (no RDB snapshots, no append-only file), so after `stop()` and
    `start()` it is up again on the same port and empty, as a Redis that lost its memory."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self._directory = tempfile.TemporaryDirectory(prefix="soak-redis-")

    def start(self, timeout: float = 10) -> None:
        assert self.process is None, "this Redis is running already"
        options = {
            "port": str(self.port),
            "bind": "127.0.0.1",
            "save": "",  # no snapshots: a restart comes back empty
            "appendonly": "no",
            "dir": self._directory.name,
            "daemonize": "no",
            "loglevel": "warning",
        }
        arguments = [part for name, value in options.items() for part in (f"--{name}", value)]
        self.process = subprocess.Popen([REDIS_SERVER, *arguments], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while not self.ping():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop it (SIGTERM; it saves nothing) and wait until the port is closed."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def __enter__(self) -> "RedisServer":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self._directory.cleanup()


def cpu_seconds(pid: int) -> float:
    """The CPU time (user + system, all its threads) a process has used so far; 0 if it is
    gone. From /proc/<pid>/stat, in clock ticks (fields 14 and 15)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return 0.0
    # The command name (field 2) is in parentheses and may hold spaces: count after it.
    fields = stat[stat.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


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
        except (OSError, http.client.HTTPException):  # URLError and timeouts are OSErrors
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


def make_submitters(env, count: int) -> list[str]:
    """API tokens of `count` new people: the submission route sends each request as one of
    them, as many people submit at once on a live site (one person's 32 at once would queue
    on their own row, which keeps them counted once)."""
    code = f"""
import json
from django.contrib.auth import get_user_model
from knox.models import AuthToken
User = get_user_model()
tokens = []
for number in range({count}):
    user = User.objects.create_user(f"bench-submitter-{{number}}", None, "bench-password-123")
    tokens.append(AuthToken.objects.create(user)[1])
print(json.dumps({{"tokens": tokens}}))
"""
    return shell(env, code)["tokens"]


def make_person_with_assessments(env, username: str, count: int) -> dict:
    """A person with `count` saved assessments, a logged-in session and an API token."""
    code = f"""
import json, uuid
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from importlib import import_module
from django.conf import settings
from knox.models import AuthToken
from assessments.services.assessment import assessment_submit
from quizzes import selectors as quiz_selectors

User = get_user_model()
user = User.objects.create_user({username!r}, {username + "@example.com"!r}, "bench-password-123")
version = quiz_selectors.current_version_get()
questions = quiz_selectors.question_list(version=version)
last = None
for number in range({count}):
    answers = [(q.pk, list(q.choices.all())[(number + i) % len(q.choices.all())].pk)
               for i, q in enumerate(questions)]
    last, _ = assessment_submit(version=version, answers=answers,
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
