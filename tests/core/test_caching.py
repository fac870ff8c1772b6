import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from core import caching
from roles.models import SalaryFigure, Tool
from tests.core.helpers import token_of
from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import answers_leaning_to, problem_fields, take_assessment

pytestmark = pytest.mark.django_db


def test_a_repeated_anonymous_page_comes_from_the_cache(
    client, site_content, django_assert_num_queries
):
    tool = site_content.tools["docker"]
    client.get(tool.get_absolute_url())
    with django_assert_num_queries(0):
        response = client.get(tool.get_absolute_url())
    assert response.status_code == 200 and tool.name in response.content.decode()


def test_an_editors_save_shows_at_once(client, site_content):
    tool = Tool.objects.get(pk=site_content.tools["docker"].pk)
    assert "Fresh words" not in client.get(tool.get_absolute_url()).content.decode()
    tool.summary = "Fresh words from an editor."
    tool.save()

    assert "Fresh words from an editor." in client.get(tool.get_absolute_url()).content.decode()


def test_a_salary_change_clears_the_cached_api_and_home(client, site_content):
    client.get("/")
    client.get("/api/v1/roles/")
    SalaryFigure.objects.filter(role__slug="data-engineer").update(amount=1)  # no signal...
    figure = SalaryFigure.objects.get(role__slug="data-engineer")
    figure.amount = 123_456
    figure.save()  # ...but a save (as in the admin) sends one

    assert "123,456" in client.get("/").content.decode()
    assert any(
        f["amount"] == 123_456
        for role in client.get("/api/v1/roles/").json()["results"]
        for f in role["salary_figures"]
    )


def test_people_with_a_session_never_get_a_shared_page(site_content):
    anonymous = Client()
    anonymous.get("/")
    person = UserFactory(username="visible-name")
    logged_in = Client()
    logged_in.force_login(person)

    assert "visible-name" in logged_in.get("/").content.decode()
    assert "visible-name" not in anonymous.get("/").content.decode()


def test_a_persons_cached_history_changes_with_their_next_assessment(
    version, django_capture_on_commit_callbacks
):
    import uuid

    from knox.models import AuthToken
    from rest_framework.test import APIClient

    from assessments.services.assessment import assessment_submit
    from tests.helpers import answers_leaning_to

    person = UserFactory()
    web = Client()
    web.force_login(person)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(person)[1]}")

    def submit(leaning):
        with django_capture_on_commit_callbacks(execute=True):
            assessment_submit(
                version=version,
                answers=answers_leaning_to(version, [leaning]).items(),
                client_id=uuid.uuid4(),
                user=person,
            )

    submit("mlops-engineer")
    assert api.get("/api/v1/assessments/").json()["count"] == 1
    assert web.get("/profile/").content.decode().count('class="history-row"') == 1
    assert api.get("/api/v1/assessments/").json()["count"] == 1  # now from the cache

    submit("data-engineer")

    assert api.get("/api/v1/assessments/").json()["count"] == 2
    assert web.get("/profile/").content.decode().count('class="history-row"') == 2


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


@pytest.mark.parametrize("page", ["01", "0001"])
def test_odd_spellings_of_a_page_number_stay_out_of_the_shared_cache(site_content, page):
    Client().get("/api/v1/tools/", {"page": page, "page_size": 3})
    caching.local_entries.clear()  # as another process would see it
    with CaptureQueriesContext(connection) as queries:
        Client().get("/api/v1/tools/", {"page": page, "page_size": 3})
    assert queries.captured_queries


@pytest.mark.parametrize(
    "query", ["page=\u0661", "page=\U0001d7cf", "page=+1", "page_size=99", "page_size=0"]
)
def test_a_page_number_or_size_out_of_bounds_is_a_400_never_stored(site_content, query):
    first = Client().get(f"/api/v1/tools/?{query}")
    caching.local_entries.clear()
    again = Client().get(f"/api/v1/tools/?{query}")
    assert first.status_code == again.status_code == 400
    assert set(problem_fields(again)) == {query.split("=")[0]}


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


# 11. Deleting an account deletes what the cache holds about it ------------------------------


def test_deleting_an_account_removes_its_cached_pages_and_history(site_content, version):
    person = UserFactory()
    web = Client()
    web.force_login(person)
    take_assessment(web, answers_leaning_to(version, [site_content.mlops.slug]))
    web.get("/profile/")
    api = Client(HTTP_AUTHORIZATION=f"Token {token_of(person)}")
    api.get("/api/v1/assessments/")
    keys = caching.pages_cache().get(caching.user_entries_key(person.pk))
    assert keys and all(caching.pages_cache().get(key) is not None for key in keys)

    response = web.post("/profile/delete/", {"password": TEST_PASSWORD})

    assert response.status_code == 302
    assert all(caching.pages_cache().get(key) is None for key in keys)
    assert caching.pages_cache().get(caching.user_entries_key(person.pk)) is None


# 3. A cached personal page's forms work with the browser's own CSRF cookie -----------------


def _log_out_from_profile(browser) -> int:
    """The profile page's log-out form, posted with its token and the browser's cookies."""
    page = browser.get("/profile/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return browser.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code


def test_a_browser_that_lost_its_csrf_cookie_can_still_log_out(site_content):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    browser.get("/profile/")  # the first page makes the CSRF cookie
    del browser.cookies["csrftoken"]

    assert _log_out_from_profile(browser) == 302


def test_a_new_csrf_cookie_gets_a_page_with_its_own_tokens(site_content):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    browser.get("/profile/")
    browser.get("/profile/")  # stored for this cookie
    browser.cookies["csrftoken"] = "A" * 32  # another secret, as after a cookie was replaced

    assert _log_out_from_profile(browser) == 302


def test_a_personal_page_is_replayed_for_the_same_cookie(
    site_content, django_assert_max_num_queries
):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    browser.get("/profile/")  # makes the cookie: not stored
    browser.get("/profile/")  # stored for it
    with django_assert_max_num_queries(3):  # the session, the person and their versions
        assert browser.get("/profile/").status_code == 200
