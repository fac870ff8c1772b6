"""The caching package's own rules: bumps that survive the commit gap, replayed headers, and
no cache calls anywhere else."""

import ast
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from core import caching
from tests.factories import ToolFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)  # two connections: the editor's and a reader's
def test_a_page_stored_from_old_rows_before_the_commit_is_never_served(client):
    import threading

    from django.db import connection, transaction

    tool = ToolFactory(summary="The old words.")
    url = f"/tools/{tool.slug}/"

    @caching.cache_public_page()
    def reader_of_old_rows(request):
        return HttpResponse("The old words, read before the editor's commit.")

    stored = []

    def another_request():
        try:
            caching.remembered_versions.forget()  # it reads the version now, as another process
            stored.append(reader_of_old_rows(RequestFactory().get(url)).status_code)
        finally:
            connection.close()

    caching.catalog_version()  # the version rows exist (a transactional test starts empty)
    with transaction.atomic():
        tool.summary = "The new words."
        tool.save()
        # Another request, between the save and the commit, still sees the old rows and
        # stores its page under the catalog version it can see.
        reader = threading.Thread(target=another_request)
        reader.start()
        reader.join()

    page = client.get(url).content.decode()
    assert stored == [200]  # the other request did store its page of old rows
    assert "The new words." in page
    assert "old words" not in page


def test_a_replayed_page_keeps_the_headers_the_view_set():
    @caching.cache_public_page()
    def view(request):
        response = HttpResponse("hello", content_type="text/plain; charset=utf-8")
        response["Cache-Control"] = "max-age=0, no-cache, no-store, must-revalidate, private"
        response["Expires"] = "Fri, 27 Nov 2026 02:00:00 GMT"
        response["Vary"] = "Accept-Language"
        response["Content-Language"] = "en"
        return response

    first = view(RequestFactory().get("/somewhere/"))
    replayed = view(RequestFactory().get("/somewhere/"))

    assert replayed is not first and replayed.content == b"hello"
    for header in ("Content-Type", "Cache-Control", "Expires", "Vary", "Content-Language"):
        assert replayed[header] == first[header]


def test_the_start_page_from_the_cache_still_says_never_cache(client, version):
    first = client.get("/assessment/")
    replayed = client.get("/assessment/")

    assert first.status_code == replayed.status_code == 200
    assert "no-store" in replayed["Cache-Control"]
    assert replayed["Cache-Control"] == first["Cache-Control"]
    assert replayed.has_header("Expires")


def test_a_response_setting_a_cookie_is_never_stored():
    calls = []

    @caching.cache_public_page()
    def view(request):
        calls.append(1)
        response = HttpResponse("personal")
        response.set_cookie("someone", "theirs")
        return response

    view(RequestFactory().get("/cookie/"))
    view(RequestFactory().get("/cookie/"))
    assert len(calls) == 2


def _modules_importing_the_cache():
    for package in ("careerguide", "core", "roles", "quizzes", "assessments", "plans"):
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [f"{node.module}.{alias.name}" for alias in node.names]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                if any(name.startswith("django.core.cache") for name in names):
                    yield path.relative_to(ROOT).as_posix()


def test_only_the_caching_package_calls_the_cache_api():
    # core/cache_backend.py is the Redis backend itself, which the caching package calls.
    assert set(_modules_importing_the_cache()) == {
        "core/caching/entries.py",
        "core/cache_backend.py",
    }


@pytest.mark.django_db(transaction=True)  # committed, as another instance's save is
def test_another_instances_save_shows_here_within_a_second(client, site_content, monkeypatch):
    from core.models import CacheVersion, new_token
    from roles.models import Tool

    tool = site_content.tools["docker"]
    url = f"/tools/{tool.slug}/"
    client.get(url)
    # Another instance saves: the rows and the shared version change; this process isn't told.
    Tool.objects.filter(pk=tool.pk).update(summary="Words saved on another instance.")
    CacheVersion.objects.filter(name="catalog").update(token=new_token())

    assert "saved on another instance" not in client.get(url).content.decode()
    now = caching.versions._clock()
    monkeypatch.setattr(
        caching.versions, "_clock", lambda: now + caching.CATALOG_VERSION_SECONDS + 0.01
    )
    assert "saved on another instance" in client.get(url).content.decode()


def test_a_save_in_this_process_shows_at_once(client, site_content):
    tool = site_content.tools["docker"]
    url = f"/tools/{tool.slug}/"
    client.get(url)
    tool.summary = "Saved here, shown at once."
    tool.save()
    assert "Saved here, shown at once." in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)  # committed: no transaction of the test knows a token
def test_a_process_reads_the_shared_versions_in_one_query_once_a_second(
    client, site_content, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def version_reads(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in queries.captured_queries if "core_cacheversion" in q["sql"]]

    caching.peers_version()  # both rows made (a test before may have flushed the migration's)
    caching.clear_all()
    # The first uncached page of a process reads both shared versions, in one query ...
    assert len(version_reads("/tools/docker/")) == 1
    # ... and no other page of that process reads them again within the second,
    assert version_reads("/tools/") == []
    now = caching.versions._clock()
    monkeypatch.setattr(
        caching.versions, "_clock", lambda: now + caching.CATALOG_VERSION_SECONDS + 0.01
    )
    # ... after which the next one does, once.
    assert len(version_reads("/")) == 1


def test_a_transaction_reads_the_token_it_set_without_a_query(django_assert_num_queries):
    from django.db import transaction

    from core.models import CacheVersion

    with transaction.atomic():
        caching.catalog_changed()
        with django_assert_num_queries(0):
            token = caching.catalog_version()
        assert token == CacheVersion.objects.get(name="catalog").token
        caching.catalog_changed()  # read since the last bump: a new token
        assert caching.catalog_version() == CacheVersion.objects.get(name="catalog").token != token


@pytest.mark.django_db(transaction=True)  # real commits and rollbacks
def test_the_figures_version_changes_after_the_commit_and_never_for_a_rollback():
    from django.db import transaction

    from core.models import CacheVersion

    def stored():
        return CacheVersion.objects.get(name="peers").token

    before = caching.peers_version()
    with transaction.atomic():
        caching.peers_changed()
        # Inside the transaction the row is untouched, so no other submission waits on it.
        assert stored() == before
    after = stored()
    assert after != before
    assert caching.peers_version() == after  # this process reads it afresh at once

    with pytest.raises(RuntimeError), transaction.atomic():
        caching.peers_changed()
        raise RuntimeError("the submission fails")
    assert stored() == after


def test_while_the_database_is_unreachable_the_last_known_versions_serve(monkeypatch):
    from django.db import OperationalError

    from core.caching import versions

    known = caching.catalog_version()
    now = versions._clock()
    monkeypatch.setattr(versions, "_clock", lambda: now + caching.CATALOG_VERSION_SECONDS + 1)

    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(versions, "_read_shared", unreachable)
    # Cached pages go on being served under the tokens last read ...
    assert caching.catalog_version() == known
    # ... but a process that never read them has nothing to go on, and says so.
    versions.remembered_versions.forget()
    with pytest.raises(OperationalError):
        caching.catalog_version()
