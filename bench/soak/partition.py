"""A network partition between the app and Redis: Redis keeps running with its data, but the
traffic to it is silently dropped (no refusal, no reset), as when a link or a firewall fails.
While it lasts people log out, delete a result and delete their account, and an editor
saves; once it ends, nothing of that may come back or stay stale on either instance."""

import http.client
import re
import socket
import threading
import time
import urllib.parse
import uuid

from bench.common import free_port, make_person_with_assessments, request, shell
from bench.soak.base import PORT_A, PORT_B, check, note

# How long after the partition ends an editor's save must show everywhere: the catalog
# version a process trusts for at most CATALOG_VERSION_SECONDS (1 s), and a margin.
EDIT_SHOWS_WITHIN_SECONDS = 3.0
PARTITION_SECONDS = 5


class DroppingProxy:
    """A TCP proxy in front of Redis that can stop forwarding without closing anything: bytes
    sent while it drops are read and thrown away, so clients wait for their timeout."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.port = free_port()
        self.dropping = threading.Event()
        self._server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _accept(self) -> None:
        while True:
            client, _ = self._server.accept()
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            except OSError:
                client.close()  # Redis is really down (the outage step): refuse, as it would
                continue
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                if not self.dropping.is_set():
                    target.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, target):
                end.close()


def _raw(method: str, url: str, *, body: str | None = None, headers: dict | None = None) -> int:
    """The status of one request as a browser's first hop sees it: redirects not followed
    (a page that sends an anonymous visitor to the log-in page answers 302, not the log-in
    page's 200)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=10)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, path, body=body, headers=headers or {})
        return connection.getresponse().status
    finally:
        connection.close()


def _form_post(url: str, fields: dict, cookies: dict) -> int:
    """A browser's form POST."""
    return _raw(
        "POST",
        url,
        body=urllib.parse.urlencode(fields),
        headers={
            "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )


# The leaver's browser keeps one CSRF cookie (a secret of 32 letters, as Django makes them), as
# a browser does: their profile page is then stored for it, and it is that stored page the
# partition must not bring back.
LEAVER_CSRF = "soakcsrf" * 4


def _log_out(base: str, session: str, csrf: str) -> int:
    """Log out as the site's navigation does: the form's CSRF token, then the POST."""
    status, page, _ = request("GET", f"{base}/profile/", headers=_cookie(session, csrf))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', str(page))
    if status != 200 or token is None:
        return status
    cookies = {"sessionid": session, "csrftoken": csrf}
    return _form_post(f"{base}/accounts/logout/", {"csrfmiddlewaretoken": token.group(1)}, cookies)


def _cookie(session: str, csrf: str | None = None) -> dict:
    csrf_cookie = f"; csrftoken={csrf}" if csrf else ""
    return {"Cookie": f"sessionid={session}{csrf_cookie}"}


def _token(token: str) -> dict:
    return {"Authorization": f"Token {token}"}


def _status(base: str, path: str, headers: dict) -> int:
    return _raw("GET", f"{base}{path}", headers=headers)


def redis_partition(env, proxy: DroppingProxy) -> None:
    """`env` reaches Redis through `proxy`, as the instances do: the editor's save is cut off
    too."""
    bases = [f"http://127.0.0.1:{port}" for port in (PORT_A, PORT_B)]
    leaver = make_person_with_assessments(env, "partition-leaver", 1)
    deleter = make_person_with_assessments(env, "partition-deleter", 2)
    departed = make_person_with_assessments(env, "partition-departed", 1)
    deleted = deleter["result"]
    # Everything the partition must not bring back is in the caches of both instances first.
    for base in bases:
        _status(base, "/profile/", _cookie(leaver["session"], LEAVER_CSRF))
        _status(base, "/profile/", _cookie(deleter["session"]))
        _status(base, f"/api/v1/assessments/{deleted}/", _token(deleter["token"]))
        _status(base, "/api/v1/assessments/", _token(deleter["token"]))
        _status(base, "/api/v1/me/", _token(departed["token"]))
        _status(base, "/tools/docker/", {})

    proxy.dropping.set()
    started = time.monotonic()
    try:
        logged_out = _log_out(bases[0], leaver["session"], LEAVER_CSRF)
        removed = request(
            "DELETE", f"{bases[1]}/api/v1/assessments/{deleted}/", headers=_token(deleter["token"])
        )[0]
        gone = request(
            "DELETE",
            f"{bases[0]}/api/v1/me/",
            {"password": "bench-password-123"},
            headers=_token(departed["token"]),
        )[0]
        marker = f"Edited during the partition {uuid.uuid4().hex[:8]}"
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
        time.sleep(max(0.0, PARTITION_SECONDS - (time.monotonic() - started)))
    finally:
        proxy.dropping.clear()
    note(
        "during the partition",
        f"log-out {logged_out}, result delete {removed}, account delete {gone}, an editor saved;"
        f" {time.monotonic() - started:.1f} s without Redis",
    )

    seen_at: list[float | None] = [None, None]
    restored = time.monotonic()
    while time.monotonic() - restored < EDIT_SHOWS_WITHIN_SECONDS + 2 and None in seen_at:
        for index, base in enumerate(bases):
            if seen_at[index] is None and marker in str(request("GET", f"{base}/tools/docker/")[1]):
                seen_at[index] = time.monotonic() - restored
        time.sleep(0.1)
    shown = [f"{s:.1f} s" if s is not None else "never" for s in seen_at]
    check(
        f"after a partition, an editor's save shows on both within {EDIT_SHOWS_WITHIN_SECONDS} s",
        all(s is not None and s <= EDIT_SHOWS_WITHIN_SECONDS for s in seen_at),
        f"seen on A, B after {', '.join(shown)}",
    )
    sessions = [
        _status(base, "/profile/", _cookie(leaver["session"], LEAVER_CSRF)) for base in bases
    ]
    check(
        "after a partition, a logged-out session stays logged out",
        logged_out == 302 and all(status == 302 for status in sessions),
        f"log-out {logged_out}; the old cookie's /profile/ on A, B: {sessions}",
    )
    detail = [
        _status(base, f"/api/v1/assessments/{deleted}/", _token(deleter["token"])) for base in bases
    ]
    listed = [
        deleted
        in str(request("GET", f"{base}/api/v1/assessments/", headers=_token(deleter["token"]))[1])
        for base in bases
    ]
    profile = [
        deleted in str(request("GET", f"{base}/profile/", headers=_cookie(deleter["session"]))[1])
        for base in bases
    ]
    check(
        "after a partition, a deleted result is served nowhere",
        removed == 204 and detail == [404, 404] and not any(listed) and not any(profile),
        f"delete {removed}; detail on A, B: {detail}; listed: {listed}; on the profile: {profile}",
    )
    tokens = [_status(base, "/api/v1/me/", _token(departed["token"])) for base in bases]
    pages = [_status(base, "/profile/", _cookie(departed["session"])) for base in bases]
    check(
        "after a partition, a deleted account's token and session are dead",
        gone == 204 and tokens == [401, 401] and pages == [302, 302],
        f"delete {gone}; its token's me/ on A, B: {tokens}; its session's /profile/: {pages}",
    )
