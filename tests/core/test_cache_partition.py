"""The database is the authority: a change made while Redis can't be reached (but keeps its
data) is never served stale once Redis answers again, and without Redis every process sees
every change (an editor's within CATALOG_VERSION_SECONDS)."""

import signal
import socket
import subprocess
import time
import uuid

import pytest
from django.test import Client

from assessments.services.assessment import assessment_submit
from core import cache_backend, caching
from core.caching import versions
from roles.models import Tool
from tests.core.helpers import token_of
from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import answers_leaning_to

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def partitioned_redis(settings):
    """A redis-server of this test's own; `pause()` makes it unreachable while it keeps its
    data (SIGSTOP: connections hang until the client's timeout), `resume()` brings it back."""
    port = _free_port()
    command = ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    for _ in range(50):
        if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout:
            break
        time.sleep(0.1)
    else:
        raise RuntimeError("redis-server did not start")
    settings.CACHES = {
        alias: {
            "BACKEND": "core.cache_backend.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": alias,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
        for alias in ("default", "pages")
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    cache_backend.outage.until.clear()

    def pause():
        process.send_signal(signal.SIGSTOP)

    def resume():
        process.send_signal(signal.SIGCONT)
        cache_backend.outage.until.clear()  # as after RETRY_AFTER_SECONDS

    def keys(pattern: str) -> list[str]:
        found = subprocess.run(
            ["redis-cli", "-p", str(port), "--scan", "--pattern", pattern],
            capture_output=True,
            text=True,
        )
        return found.stdout.split()

    yield {"pause": pause, "resume": resume, "keys": keys, "port": port}
    process.send_signal(signal.SIGCONT)
    process.terminate()
    process.wait(timeout=10)
    cache_backend.outage.until.clear()


@pytest.fixture
def later(monkeypatch):
    """`later()` moves this process's clock past the time it trusts a version it read."""
    offset = {"seconds": 0.0}
    monkeypatch.setattr(versions, "_clock", lambda: time.monotonic() + offset["seconds"])

    def move():
        offset["seconds"] += versions.CATALOG_VERSION_SECONDS + 0.01

    return move


def _submit(version, person, leaning):
    return assessment_submit(
        version=version,
        answers=answers_leaning_to(version, [leaning]).items(),
        client_id=uuid.uuid4(),
        user=person,
    )[0]


def test_changes_made_while_redis_is_partitioned_are_never_served_stale(
    site_content, version, partitioned_redis, later, django_capture_on_commit_callbacks
):
    person = UserFactory()
    kept = _submit(version, person, site_content.mlops.slug)
    gone = _submit(version, person, site_content.data.slug)
    web = Client()
    web.post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})
    api = Client(HTTP_AUTHORIZATION=f"Token {token_of(person)}")
    feedback_url = f"/api/v1/assessments/{kept.pk}/feedback/"
    api.put(feedback_url, {"feels_right": True, "comment": "first"}, "application/json")
    tool = Tool.objects.get(pk=site_content.tools["docker"].pk)
    anonymous = Client()

    def seen():
        return {
            "list": api.get("/api/v1/assessments/").json()["count"],
            "gone": api.get(f"/api/v1/assessments/{gone.pk}/").status_code,
            "feedback": api.get(f"/api/v1/assessments/{kept.pk}/").json()["feedback"],
            "profile": web.get("/profile/").content.decode().count('class="history-row"'),
            "tool": "Fresh words" in anonymous.get(tool.get_absolute_url()).content.decode(),
        }

    before = seen()
    assert before == seen()  # the second time from the caches
    assert before["list"] == 2 and before["gone"] == 200 and before["profile"] == 2
    assert before["feedback"]["comment"] == "first" and not before["tool"]

    partitioned_redis["pause"]()
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"/api/v1/assessments/{gone.pk}/").status_code == 204
    with django_capture_on_commit_callbacks(execute=True):
        api.put(feedback_url, {"feels_right": False, "comment": "second"}, "application/json")
    with django_capture_on_commit_callbacks(execute=True):
        tool.summary = "Fresh words from an editor."
        tool.save()
    partitioned_redis["resume"]()
    later()  # every other process has read the versions again by now

    after = seen()
    assert after["list"] == 1
    assert after["gone"] == 404
    assert after["profile"] == 1
    assert after["feedback"]["comment"] == "second"
    assert after["tool"]


def test_an_account_deleted_while_redis_is_partitioned_leaves_nothing_reachable(
    site_content, version, partitioned_redis, django_capture_on_commit_callbacks
):
    person = UserFactory()
    _submit(version, person, site_content.mlops.slug)
    web = Client()
    web.post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})
    token = token_of(person)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    web.get("/profile/")
    api.get("/api/v1/assessments/")
    cookie = web.cookies["sessionid"].value

    partitioned_redis["pause"]()
    with django_capture_on_commit_callbacks(execute=True):
        assert web.post("/profile/delete/", {"password": TEST_PASSWORD}).status_code == 302
    partitioned_redis["resume"]()

    stale = Client()
    stale.cookies["sessionid"] = cookie
    assert stale.get("/profile/").status_code == 302
    api_after = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_after.get("/api/v1/assessments/").status_code == 401
    # What the lost delete left in Redis can't be named by any request and expires.
    for key in partitioned_redis["keys"](f"pages:*:user:{person.pk}:*"):
        ttl = subprocess.run(
            ["redis-cli", "-p", str(partitioned_redis["port"]), "ttl", key],
            capture_output=True,
            text=True,
        )
        assert 0 < int(ttl.stdout) <= caching.ENTRY_TIMEOUT


# Without Redis: each process's memory, one behaviour for all of them ------------------------


class _Process:
    """What one process of the site keeps in its own memory: its local-memory caches (without
    REDIS_URL), its LRU of entries and the versions it remembers."""

    def __init__(self, name: str):
        self.caches = {
            alias: {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": f"{name}-{alias}",
            }
            for alias in ("default", "pages")
        }
        self.entries = caching.LocalEntries(caching.LOCAL_ENTRIES)
        self.remembered = type(versions.remembered_versions)()


@pytest.fixture
def processes(settings, monkeypatch):
    from core.caching import entries

    def become(process: _Process):
        settings.CACHES = process.caches
        monkeypatch.setattr(entries, "local_entries", process.entries)
        monkeypatch.setattr(versions, "remembered_versions", process.remembered)
        monkeypatch.setattr(entries, "remembered_versions", process.remembered)

    return {"a": _Process("a"), "b": _Process("b"), "become": become}


@pytest.mark.django_db(transaction=True)  # committed, as in a process of its own
def test_without_redis_a_change_made_in_one_process_is_seen_by_the_others(
    site_content, version, processes, later
):
    person = UserFactory()
    gone = _submit(version, person, site_content.data.slug)
    api = Client(HTTP_AUTHORIZATION=f"Token {token_of(person)}")
    tool = Tool.objects.get(pk=site_content.tools["docker"].pk)
    url = tool.get_absolute_url()

    processes["become"](processes["b"])
    assert api.get("/api/v1/assessments/").json()["count"] == 1
    assert api.get(f"/api/v1/assessments/{gone.pk}/").status_code == 200
    assert "Fresh words" not in Client().get(url).content.decode()

    processes["become"](processes["a"])
    assert api.delete(f"/api/v1/assessments/{gone.pk}/").status_code == 204
    tool.summary = "Fresh words from an editor."
    tool.save()
    assert "Fresh words" in Client().get(url).content.decode()  # at once where it was saved

    processes["become"](processes["b"])
    assert api.get("/api/v1/assessments/").json()["count"] == 0  # at once
    assert api.get(f"/api/v1/assessments/{gone.pk}/").status_code == 404
    assert "Fresh words" not in Client().get(url).content.decode()  # trusted for a second
    later()
    assert "Fresh words" in Client().get(url).content.decode()  # within the second
