"""Redis is a cache: while it is unreachable or restarting everything still answers, nobody
is logged out and no anonymous answer is lost."""

import subprocess

import pytest
from django.test import Client

from tests.core.helpers import token_of
from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import answers_leaning_to, take_assessment

pytestmark = pytest.mark.django_db


# Redis is a cache: while it is unreachable everything still answers -------------------------

UNREACHABLE_REDIS = {
    alias: {
        "BACKEND": "core.cache_backend.FailOpenRedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    for alias in ("default", "pages")
}


@pytest.fixture
def redis_down(settings):
    from core import cache_backend

    settings.CACHES = UNREACHABLE_REDIS
    cache_backend.outage.until.clear()
    yield
    cache_backend.outage.until.clear()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/tools/",
        "/tools/?q=stream",
        "/compare/",
        "/assessment/",
        "/api/v1/tools/",
        "/api/v1/roles/",
    ],
)
def test_public_pages_answer_while_redis_is_down(site_content, redis_down, path):
    assert Client().get(path).status_code == 200


def test_people_stay_logged_in_and_keep_their_answers_while_redis_is_down(
    site_content, version, redis_down
):
    person = UserFactory()
    web = Client()
    assert (
        web.post(
            "/accounts/login/", {"username": person.username, "password": TEST_PASSWORD}
        ).status_code
        == 302
    )
    assert web.get("/profile/").status_code == 200
    response = take_assessment(web, answers_leaning_to(version, [site_content.data.slug]))
    assert response.status_code == 302 and "/assessment/result/" in response.url
    assert web.get(response.url).status_code == 200

    api = Client(HTTP_AUTHORIZATION=f"Token {token_of(person)}")
    assert api.get("/api/v1/assessments/").json()["count"] == 1


def test_readyz_says_redis_is_degraded_but_stays_ready(site_content, redis_down):
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert "redis: degraded" in response.content.decode()


@pytest.fixture
def own_redis(settings):
    """A redis-server of this test's own, on a free port, with nothing kept on disk."""
    import socket
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"]

    def start():
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        for _ in range(50):
            if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout:
                return process
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    from core import cache_backend

    settings.CACHES = {
        alias: {
            "BACKEND": "core.cache_backend.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": alias,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
        for alias in ("default", "pages")
    }
    server = {"process": start()}

    def stop():
        server["process"].terminate()
        server["process"].wait(timeout=10)

    def restart_empty():
        stop()
        server["process"] = start()
        cache_backend.outage.until.clear()  # as after RETRY_AFTER_SECONDS

    yield {"stop": stop, "restart_empty": restart_empty}
    if server["process"].poll() is None:
        stop()
    cache_backend.outage.until.clear()


def test_a_redis_restart_loses_no_session_and_no_anonymous_answers(
    site_content, version, own_redis
):
    person = UserFactory()
    member = Client()
    member.post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})
    anonymous = Client()
    answers = answers_leaning_to(version, [site_content.mlops.slug])
    first_page = anonymous.get("/assessment/step/1/").context["form"]
    anonymous.post(
        "/assessment/step/1/",
        {
            "version": version.pk,
            "client_id": first_page["client_id"].value(),
            "action": "next",
            **{first_page.field_name(q): answers[q.pk] for q in first_page.questions},
        },
    )

    own_redis["stop"]()
    assert member.get("/profile/").status_code == 200
    assert anonymous.get("/assessment/step/2/").status_code == 200
    own_redis["restart_empty"]()

    assert member.get("/profile/").status_code == 200  # not sent to the log-in page
    page_two = anonymous.get("/assessment/step/2/")
    assert page_two.status_code == 200  # not sent back to page 1: its answers are kept
    assert page_two.context["step"] == 2


def test_a_log_out_during_a_redis_hiccup_still_ends_the_session(site_content, own_redis, settings):
    from core import cache_backend

    person = UserFactory()
    web = Client()
    web.post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})
    assert web.get("/profile/").status_code == 200
    cookie = web.cookies["sessionid"].value
    location = settings.CACHES["default"]["LOCATION"]
    cache_backend.outage.begin(location, RuntimeError("a moment's hiccup"))

    web.post("/accounts/logout/")

    cache_backend.outage.until.clear()
    stale = Client()
    stale.cookies["sessionid"] = cookie
    assert stale.get("/profile/").status_code == 302


# A log-out while Redis is unreachable (but keeps its data) ends the session for good --------


class _Link:
    """A TCP proxy in front of a Redis that can stop forwarding: while cut, bytes either way are
    dropped (a partition: requests time out, Redis keeps all it holds); restored, it forwards
    again on fresh connections."""

    def __init__(self, upstream_port: int):
        import socket
        import threading

        self.upstream_port = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.is_cut = threading.Event()
        self.sockets: list = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import socket
        import threading

        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            self.sockets += [client, upstream]
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source, target) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            if not self.is_cut.is_set():
                try:
                    target.sendall(data)
                except OSError:
                    return

    def cut(self) -> None:
        self.is_cut.set()

    def restore(self) -> None:
        from core import cache_backend

        sockets, self.sockets = self.sockets, []
        for connection in sockets:  # out of step after dropped bytes: start afresh
            connection.close()
        self.is_cut.clear()
        cache_backend.outage.until.clear()  # as after RETRY_AFTER_SECONDS

    def close(self) -> None:
        self.listener.close()
        for connection in self.sockets:
            connection.close()


@pytest.fixture
def partitioned_redis(own_redis, settings):
    """own_redis behind a link the test can cut and restore."""
    upstream_port = int(settings.CACHES["default"]["LOCATION"].rsplit(":", 1)[1].split("/")[0])
    link = _Link(upstream_port)
    settings.CACHES = {
        alias: {**config, "LOCATION": f"redis://127.0.0.1:{link.port}/0"}
        for alias, config in settings.CACHES.items()
    }
    yield link
    link.close()


def test_a_log_out_while_redis_is_unreachable_ends_the_session_for_good(
    site_content, partitioned_redis
):
    from django.contrib.sessions.models import Session

    person = UserFactory()
    web = Client()
    web.post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})
    assert web.get("/profile/").status_code == 200
    cookie = web.cookies["sessionid"].value

    partitioned_redis.cut()
    assert web.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=cookie).exists()
    partitioned_redis.restore()

    stale = Client()
    stale.cookies["sessionid"] = cookie
    assert stale.get("/profile/").status_code == 302  # to the log-in page
    assert stale.get("/api/v1/me/").status_code in (401, 403)


def test_a_token_revoked_while_redis_is_unreachable_stays_revoked(site_content, partitioned_redis):
    from knox.models import AuthToken

    person = UserFactory()
    token = token_of(person)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").status_code == 200
    assert api.get("/api/v1/assessments/").status_code == 200

    partitioned_redis.cut()
    assert api.post("/api/v1/auth/logout/").status_code == 204
    assert not AuthToken.objects.filter(user=person).exists()
    partitioned_redis.restore()

    assert api.get("/api/v1/me/").status_code == 401
    assert api.get("/api/v1/assessments/").status_code == 401
