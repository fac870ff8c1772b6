"""People's browsers for the Redis outage: cookies, the assessment's steps, and people made
for the load."""

import http.client
import http.cookies
import json
import random
import re
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.common import shell

# Far beyond any wait this load causes: a request unanswered after this is a failure.
BROWSER_TIMEOUT = 30


@dataclass
class Answer:
    status: int | str  # the HTTP status, "timeout", or "error (<exception>)"
    location: str = ""
    text: str = ""


@dataclass
class Traffic:
    """Every answer a load got: when its request was sent, by which kind of client, its status."""

    rows: list[tuple[float, str, int | str]] = field(default_factory=list)

    def add(self, sent_at: float, kind: str, status: int | str) -> None:
        self.rows.append((sent_at, kind, status))  # list.append is atomic: no lock needed


class Browser:
    """One person's browser: a keep-alive connection and the cookies the site set."""

    def __init__(
        self,
        port: int,
        traffic: Traffic,
        kind: str,
        cookies: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        keep_cookies: bool = True,
    ):
        self.port, self.traffic, self.kind = port, traffic, kind
        self.cookies = dict(cookies or {})
        self.headers = dict(headers or {})
        self.keep_cookies = keep_cookies
        self.connection: http.client.HTTPConnection | None = None

    def get(self, path: str) -> Answer:
        return self.send("GET", path)

    def post_form(self, path: str, fields: dict[str, str]) -> Answer:
        body = urllib.parse.urlencode(fields).encode()
        return self.send("POST", path, body, "application/x-www-form-urlencoded")

    def post_json(self, path: str, data: object) -> Answer:
        return self.send("POST", path, json.dumps(data).encode(), "application/json")

    def send(
        self, method: str, path: str, body: bytes | None = None, content_type: str = ""
    ) -> Answer:
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        sent_at = time.monotonic()
        answer = self._send(method, path, body, headers)
        self.traffic.add(sent_at, self.kind, answer.status)
        return answer

    def _send(self, method: str, path: str, body: bytes | None, headers: dict) -> Answer:
        for attempt in (1, 2):
            reused = self.connection is not None
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=BROWSER_TIMEOUT
                )
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode(errors="replace")
            except (ConnectionResetError, BrokenPipeError) as error:
                self.close()
                # The server closed an idle keep-alive connection: a browser sends again.
                if reused and attempt == 1:
                    continue
                return Answer(f"error ({type(error).__name__})")
            except TimeoutError:
                self.close()
                return Answer("timeout")
            except (OSError, http.client.HTTPException) as error:
                self.close()
                return Answer(f"error ({type(error).__name__})")
            if self.keep_cookies:
                self._keep(response.headers.get_all("Set-Cookie") or [])
            if response.will_close:
                self.close()
            return Answer(response.status, response.headers.get("Location", ""), text)
        raise AssertionError("unreachable")

    def _keep(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


INPUT_TAG = re.compile(r"<input\b([^>]*)>")
ATTRIBUTE = re.compile(r'([\w-]+)(?:="([^"]*)")?')
STEP_PATH = re.compile(r"^/assessment/step/(\d+)/$")
RESULT_PATH = re.compile(r"^/assessment/result/([0-9a-f-]{36})/$")


@dataclass
class StepPage:
    step: int
    page_count: int
    hidden: dict[str, str]  # the CSRF token and the fields that tie the page to the attempt
    choices: dict[str, list[str]]  # question field -> its choices
    checked: dict[str, str]  # question field -> the choice shown as given


def parse_step(text: str) -> StepPage | None:
    where = re.search(r"Page (\d+) of (\d+)", text)
    if where is None:
        return None
    page = StepPage(int(where[1]), int(where[2]), {}, {}, {})
    for tag in INPUT_TAG.findall(text):
        attributes = dict(ATTRIBUTE.findall(tag))
        name, value = attributes.get("name", ""), attributes.get("value", "")
        if attributes.get("type") == "hidden":
            page.hidden[name] = value
        elif attributes.get("type") == "radio":
            page.choices.setdefault(name, []).append(value)
            if "checked" in attributes:
                page.checked[name] = value
    return page


@dataclass
class Attempt:
    """One walk through the web assessment."""

    outcome: str  # finished, lost (progress or result gone), broken (an error), unfinished
    detail: str = ""
    result: str | None = None  # the id of the assessment the site acknowledged saving
    started_at: float = 0.0
    ended_at: float = 0.0


def take_assessment(
    browser: Browser, rng: random.Random, after_page: Callable[[int], bool]
) -> Attempt:
    """Click through the assessment page by page. `after_page(step)` waits after page `step` is
    sent, as a person reading the next page; it returns False to give up (the load is over).
    Progress is lost when a page sends the person back to an earlier one, when page 1 no
    longer shows its answers, or when their own result is not theirs to see."""
    first_answers: dict[str, str] = {}
    step = 1
    while True:
        shown = browser.get(f"/assessment/step/{step}/")
        back = STEP_PATH.match(shown.location) if shown.status == 302 else None
        if back and int(back[1]) < step:
            return Attempt("lost", f"page {step} sent them back to page {back[1]}")
        page = parse_step(shown.text) if shown.status == 200 else None
        if page is None or page.step != step:
            return Attempt("broken", f"page {step} answered {shown.status} {shown.location}")
        last = page.step == page.page_count
        if last and step > 1:
            again = browser.get("/assessment/step/1/")
            first = parse_step(again.text) if again.status == 200 else None
            if first is None:
                return Attempt("broken", f"page 1 again answered {again.status}")
            if first.checked != first_answers:
                return Attempt("lost", "page 1 no longer shows the answers given")
        answers = {name: rng.choice(values) for name, values in page.choices.items()}
        if step == 1:
            first_answers = answers
        fields = {**page.hidden, **answers, "action": "submit" if last else "next"}
        sent = browser.post_form(f"/assessment/step/{step}/", fields)
        if last:
            result = RESULT_PATH.match(sent.location) if sent.status == 302 else None
            if result is None:
                back = STEP_PATH.match(sent.location) if sent.status == 302 else None
                if back:
                    return Attempt("lost", f"the last page sent them back to page {back[1]}")
                return Attempt("broken", f"the last page answered {sent.status} {sent.location}")
            own = browser.get(sent.location)
            if own.status != 200:
                return Attempt("lost", f"their own result answered {own.status}", result[1])
            return Attempt("finished", result=result[1])
        if sent.status != 302 or sent.location != f"/assessment/step/{step + 1}/":
            return Attempt("broken", f"sending page {step} answered {sent.status}")
        if not after_page(step):
            return Attempt("unfinished")
        step += 1


def make_people(env, prefix: str, count: int) -> dict:
    """`count` people, each logged in (a session made by the app's session engine) and with an
    API token; and a full set of answers to the current quiz for API submissions."""
    code = f"""
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from knox.models import AuthToken
from assessments import selectors
from quizzes import selectors as quiz_selectors

version = quiz_selectors.current_version_get()
questions = quiz_selectors.question_list(version=version)
people = []
for number in range({count}):
    name = f"{prefix}-{{number}}"
    user = get_user_model().objects.create_user(name, f"{{name}}@example.com")  # no password
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    _, token = AuthToken.objects.create(user)
    people.append({{"username": name, "session": store.session_key, "token": token}})
print(json.dumps({{
    "people": people, "version": version.pk,
    "answers": [{{"question": q.pk, "choice": q.choices.all()[0].pk}} for q in questions],
}}))
"""
    return shell(env, code)


def stored_assessments(env) -> tuple[set[str], set[str]]:
    """The ids and client_ids of every assessment in the database."""
    code = """
import json
from assessments.models import Assessment
rows = Assessment.objects.values_list("pk", "client_id")
print(json.dumps({"ids": [str(pk) for pk, _ in rows], "client_ids": [str(c) for _, c in rows]}))
"""
    stored = shell(env, code)
    return set(stored["ids"]), set(stored["client_ids"])
