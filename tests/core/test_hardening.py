"""Issue 11, the findings about caches, addresses, defaults and content loading: each test
failed before its fix. HTTP-level tests go through the real middleware stack."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment
from core import caching
from core.security import client_ip
from roles.models import Role
from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import answers_leaning_to, take_assessment

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


# 2. The Host header can't poison the shared cache ------------------------------------------


def test_a_made_up_host_never_reaches_what_others_get(site_content):
    evil = Client(HTTP_HOST="127.0.0.1:6666")
    poisoned = evil.get("/api/v1/tools/?page_size=3").json()
    assert poisoned["next"].startswith("http://127.0.0.1:6666/")

    honest = Client().get("/api/v1/tools/?page_size=3").json()
    assert honest["next"].startswith("http://testserver/api/v1/tools/")


@override_settings(SITE_URL="http://testserver")
def test_with_a_site_url_only_requests_for_it_are_cached(site_content, django_assert_num_queries):
    evil = Client(HTTP_HOST="127.0.0.1:6666")
    evil.get("/api/v1/tools/?page_size=3")
    with CaptureQueriesContext(connection) as queries:
        evil.get("/api/v1/tools/?page_size=3")
    assert queries.captured_queries  # rendered again: never stored

    Client().get("/api/v1/tools/?page_size=3")
    with django_assert_num_queries(0):
        honest = Client().get("/api/v1/tools/?page_size=3").json()
    assert honest["next"].startswith("http://testserver/")


# 3. Cache keys only from what a view reads; free text stays out of the shared cache --------


def test_a_parameter_the_view_never_reads_is_never_cached(site_content):
    """Its links would carry it (pagination, "clear filters"), and its keys would be endless."""
    for url in ("/?junk=1", "/tools/?pXXX=https%3A%2F%2Fevil.example%2F", "/tools/?page=1&page=2"):
        with CaptureQueriesContext(connection) as first:
            Client().get(url)
        with CaptureQueriesContext(connection) as again:
            Client().get(url)
        assert first.captured_queries and again.captured_queries, url


def test_links_on_a_cached_list_never_carry_someone_elses_parameters(site_content):
    Client().get("/api/v1/tools/?page_size=4&pXXX=https%3A%2F%2Fevil.example%2F")
    body = Client().get("/api/v1/tools/?page_size=4").json()
    assert "evil" not in body["next"]


@pytest.mark.parametrize("page", ["01", "0001", "\u0661", "\U0001d7cf", "+1"])
def test_odd_spellings_of_a_page_number_stay_out_of_the_shared_cache(site_content, page):
    Client().get("/api/v1/tools/", {"page": page, "page_size": 3})
    caching.local_entries.clear()  # as another process would see it
    with CaptureQueriesContext(connection) as queries:
        Client().get("/api/v1/tools/", {"page": page, "page_size": 3})
    assert queries.captured_queries


def test_a_page_size_above_the_most_is_not_shared(site_content):
    Client().get("/api/v1/tools/?page_size=99")
    caching.local_entries.clear()
    with CaptureQueriesContext(connection) as queries:
        Client().get("/api/v1/tools/?page_size=99")
    assert queries.captured_queries


def test_an_indented_api_answer_is_never_served_to_others(site_content):
    Client(HTTP_ACCEPT="application/json; indent=8").get("/api/v1/tools/")
    assert "\n        " not in Client().get("/api/v1/tools/").content.decode()


def test_a_search_is_kept_in_this_process_only(site_content, django_assert_num_queries):
    Client().get("/tools/?q=stream")
    with django_assert_num_queries(0):
        Client().get("/tools/?q=stream")  # this process's LRU
    caching.local_entries.clear()  # as another process would see it
    with CaptureQueriesContext(connection) as queries:
        Client().get("/tools/?q=stream")
    assert queries.captured_queries


def test_a_known_filter_is_shared_and_an_unknown_one_is_not(
    site_content, django_assert_num_queries
):
    role = site_content.data.slug
    Client().get(f"/tools/?role={role}&page=1")
    Client().get("/tools/?role=no-such-role")
    caching.local_entries.clear()
    with django_assert_num_queries(0):
        Client().get(f"/tools/?role={role}&page=1")
    with CaptureQueriesContext(connection) as queries:
        Client().get("/tools/?role=no-such-role")
    assert queries.captured_queries


def test_a_key_holds_each_parameter_exactly_as_sent(site_content):
    """Two spellings that render differently never share an entry."""
    first = Client().get("/tools/?q=Stream").content.decode()
    second = Client().get("/tools/?q=stream").content.decode()
    assert 'value="Stream"' in first and 'value="stream"' in second


# 10. A client_id alone gives no one else's anonymous result ---------------------------------


def _walk_with_client_id(client, answers, client_id):
    """Answer every page as a browser would, but with `client_id` in each page's hidden field."""
    response = client.get("/assessment/step/1/")
    while True:
        form = response.context["form"]
        step, is_last = response.context["step"], response.context["is_last"]
        data = {
            "version": form["version"].value(),
            "client_id": client_id,
            "action": "submit" if is_last else "next",
            **{form.field_name(q): answers[q.pk] for q in form.questions},
        }
        response = client.post(f"/assessment/step/{step}/", data)
        if is_last or response.status_code != 302:
            return response
        response = client.get(response.url)


def test_someone_elses_anonymous_client_id_gives_nothing(site_content, version):
    owner = Client()
    answers = answers_leaning_to(version, [site_content.mlops.slug])
    take_assessment(owner, answers)
    result = Assessment.objects.get()

    thief = Client()
    response = _walk_with_client_id(thief, answers, str(result.client_id))

    assert response.status_code == 400  # refused on the first page it was posted with
    assert str(result.pk) not in thief.session.get("anonymous_assessments", [])
    assert thief.get(result.get_absolute_url()).status_code == 404
    assert Assessment.objects.count() == 1


def test_a_stolen_client_id_on_a_page_of_an_attempt_under_way_is_refused(site_content, version):
    take_assessment(Client(), answers_leaning_to(version, [site_content.mlops.slug]))
    result = Assessment.objects.get()
    thief = Client()
    thief.get("/assessment/step/1/")
    thief.post("/assessment/restart/")  # an attempt of the thief's own is under way
    thief.post(
        "/assessment/step/1/",
        {"version": version.pk, "client_id": str(uuid.uuid4()), "action": "back"},
    )

    response = thief.post(
        "/assessment/step/1/",
        {"version": version.pk, "client_id": str(result.client_id), "action": "next"},
    )
    assert response.status_code == 400
    assert thief.get(result.get_absolute_url()).status_code == 404


def test_the_same_browser_replaying_its_own_submission_gets_its_result(site_content, version):
    browser = Client()
    answers = answers_leaning_to(version, [site_content.data.slug])
    take_assessment(browser, answers)
    result = Assessment.objects.get()
    last = take_assessment(browser, answers, submit=False)
    form = last.context["form"]
    data = {
        "version": version.pk,
        "client_id": str(result.client_id),
        "action": "submit",
        **{form.field_name(q): answers[q.pk] for q in form.questions},
    }
    response = browser.post(f"/assessment/step/{last.context['step']}/", data)
    assert response.status_code == 302 and response.url == result.get_absolute_url()
    assert Assessment.objects.count() == 1


# 11. Deleting an account deletes what the cache holds about it ------------------------------


def test_deleting_an_account_removes_its_cached_pages_and_history(site_content, version):
    person = UserFactory()
    web = Client()
    web.force_login(person)
    take_assessment(web, answers_leaning_to(version, [site_content.mlops.slug]))
    web.get("/profile/")
    api = Client(HTTP_AUTHORIZATION=f"Token {_token(person)}")
    api.get("/api/v1/assessments/")
    keys = caching.pages_cache().get(caching.user_entries_key(person.pk))
    assert keys and all(caching.pages_cache().get(key) is not None for key in keys)

    response = web.post("/profile/delete/", {"password": TEST_PASSWORD})

    assert response.status_code == 302
    assert all(caching.pages_cache().get(key) is None for key in keys)
    assert caching.pages_cache().get(caching.user_entries_key(person.pk)) is None


def _token(person):
    from knox.models import AuthToken

    return AuthToken.objects.create(person)[1]


# 12. Personal answers are private and never stored ------------------------------------------


@pytest.mark.parametrize("path", ["/profile/", "/profile/export/", "/accounts/password_change/"])
def test_personal_pages_are_private_and_not_stored(site_content, path):
    web = Client()
    web.force_login(UserFactory())
    for _ in range(2):  # the profile's second answer comes from the cache
        response = web.get(path)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/api/v1/me/", "/api/v1/assessments/"])
def test_personal_api_answers_are_private_and_not_stored(site_content, path):
    api = Client(HTTP_AUTHORIZATION=f"Token {_token(UserFactory())}")
    for _ in range(2):
        response = api.get(path)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_public_pages_say_nothing_private(site_content):
    assert "private" not in Client().get("/tools/").get("Cache-Control", "")


# 14. Production is the default where the app is served --------------------------------------


def _python(code: str, **env) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, *code.split(" ", 1)]
        if code.endswith(".py")
        else [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_wsgi_entry_point_refuses_to_start_without_production_settings():
    result = _python("import careerguide.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_wsgi_entry_point_runs_with_debug_off():
    result = _python(
        "import careerguide.wsgi; from django.conf import settings; print(settings.DEBUG)",
        SECRET_KEY="a-production-secret-key-that-is-long-and-random-5f1c9e2b7a4d8e6f0a3b9c1d",
        ALLOWED_HOSTS="careerguide.example.com",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_manage_py_is_the_developers_debug_mode():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


# 15. X-Forwarded-For only from our own proxies ----------------------------------------------


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
def test_forwarded_for_from_anyone_else_is_ignored(rf):
    from_a_stranger = rf.get("/", HTTP_X_FORWARDED_FOR="192.0.2.1", REMOTE_ADDR="203.0.113.9")
    assert client_ip(from_a_stranger) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24", "10.0.1.1"])
def test_behind_two_proxies_of_ours_the_client_is_the_first_address_that_is_not_ours(rf):
    request = rf.get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.1.1", REMOTE_ADDR="10.0.0.5"
    )
    assert client_ip(request) == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
def test_a_made_up_forwarded_for_from_our_proxy_is_never_taken_for_an_address(rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="not-an-address", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "10.0.0.1"


def test_api_throttles_count_by_the_real_address_not_a_made_up_header(site_content, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {**SimpleRateThrottle.THROTTLE_RATES, "anon": "3/minute"},
    )
    codes = [
        Client(HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").get(f"/api/v1/tools/?page_size={n}").status_code
        for n in range(1, 6)
    ]
    assert codes == [200, 200, 200, 429, 429]


# 17. load_content loads content only, and valid content -------------------------------------


def _fixture(tmp_path, rows) -> Path:
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path


def test_load_content_refuses_a_row_that_is_not_content(tmp_path, settings):
    settings.FIXTURE_DIRS = [tmp_path]
    settings.CONTENT_FIXTURES = ["fixture.json"]
    _fixture(
        tmp_path,
        [
            {
                "model": "roles.role",
                "fields": {"name": "R", "slug": "r", "tagline": "t", "summary": "s"},
            },
            {
                "model": "accounts.user",
                "fields": {
                    "username": "intruder",
                    "is_superuser": True,
                    "is_staff": True,
                    "password": "x",
                },
            },
        ],
    )
    with pytest.raises(CommandError, match=r"not content: accounts\.user"):
        call_command("load_content", verbosity=0)
    assert not Role.objects.exists()


def test_load_content_validates_each_row_and_loads_nothing_on_error(tmp_path, settings):
    settings.FIXTURE_DIRS = [tmp_path]
    settings.CONTENT_FIXTURES = ["fixture.json"]
    _fixture(
        tmp_path,
        [
            {
                "model": "roles.role",
                "fields": {"name": "Fine", "slug": "fine", "tagline": "t", "summary": "s"},
            },
            {
                "model": "roles.role",
                "fields": {"name": "Bad", "slug": "not a slug!", "tagline": "t", "summary": "s"},
            },
        ],
    )
    with pytest.raises(CommandError, match="not valid"):
        call_command("load_content", verbosity=0)
    assert not Role.objects.exists()


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
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
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

    api = Client(HTTP_AUTHORIZATION=f"Token {_token(person)}")
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
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
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


def test_a_double_click_on_see_my_result_keeps_the_result(site_content, version):
    """The second click carries the session as it was before the first one was saved."""
    browser = Client()
    answers = answers_leaning_to(version, [site_content.data.slug])
    last = take_assessment(browser, answers, submit=False)
    before = dict(browser.session.items())
    form = last.context["form"]
    data = {
        "version": form["version"].value(),
        "client_id": form["client_id"].value(),
        "action": "submit",
        **{form.field_name(q): answers[q.pk] for q in form.questions},
    }
    url = f"/assessment/step/{last.context['step']}/"
    first = browser.post(url, data)
    session = browser.session
    session.clear()
    session.update(before)
    session.save()

    second = browser.post(url, data)

    assert second.status_code == 302 and second.url == first.url
    assert browser.get(second.url).status_code == 200
    assert Assessment.objects.count() == 1


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


def test_load_content_refuses_to_add_to_an_answered_version(
    tmp_path, settings, site_content, version
):
    from careerguide.content.export import export_content
    from quizzes.models import Question

    take_assessment(Client(), answers_leaning_to(version, [site_content.data.slug]))
    export_content(output_dir=tmp_path)
    rows = json.loads((tmp_path / "quiz.json").read_text(encoding="utf-8"))
    question = next(row for row in rows if row["model"] == "quizzes.question")
    rows.append({**question, "fields": {**question["fields"], "key": "sneaked-in", "order": 99}})
    (tmp_path / "quiz.json").write_text(json.dumps(rows), encoding="utf-8")
    settings.FIXTURE_DIRS = [tmp_path]
    count = Question.objects.count()

    with pytest.raises(CommandError, match="people have answered"):
        call_command("load_content", verbosity=0)
    assert Question.objects.count() == count


def test_an_anonymous_persons_result_is_not_stored_either(site_content, version):
    browser = Client()
    response = take_assessment(browser, answers_leaning_to(version, [site_content.data.slug]))
    page = browser.get(response.url)
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]


def test_a_number_too_long_for_python_is_a_plain_400(client, site_content):
    response = client.post(
        "/api/v1/auth/login/", '{"username": ' + "9" * 5000 + "}", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON parse error - a number is too long."}


def test_an_api_body_over_the_size_limit_is_a_json_400(client, site_content, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/api/v1/auth/login/", '{"username": "' + "x" * 5000 + '"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The request is malformed or too large."}
