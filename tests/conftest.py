import json
import sys
import uuid
from pathlib import Path

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from assessments.services.assessment import assessment_submit
from core import caching
from quizzes import selectors as quiz_selectors
from roles.models import Role
from tests import factories
from tests.admin_client import force_login_verified, login
from tests.helpers import answers_leaning_to

# The browser tests' axe-core findings (AXE_REPORT of tests/e2e/conftest.py), summed up at the end
# of the run. Under pytest-xdist the worker that ran the browser tests hands them to the
# controller, which loads only this conftest and prints the summary.
AXE_REPORT_FILE = Path(__file__).parent / "e2e" / "screenshots" / "axe-report.json"
_axe_reports_of_workers: dict[str, dict] = {}


def _axe_report() -> dict[str, dict]:
    e2e = sys.modules.get("tests.e2e.conftest")
    return {**_axe_reports_of_workers, **(e2e.AXE_REPORT if e2e else {})}


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None and _axe_report():
        workeroutput["axe_report"] = json.dumps(_axe_report())


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    report = getattr(node, "workeroutput", {}).get("axe_report")
    if report:
        _axe_reports_of_workers.update(json.loads(report))


def pytest_terminal_summary(terminalreporter):
    report = _axe_report()
    if not report:
        return
    terminalreporter.section("axe-core violations by page (rules by impact)")
    for key in sorted(report):
        counts = report[key]["counts"]
        terminalreporter.write_line(
            f"{key:<32} " + " ".join(f"{impact}={count}" for impact, count in counts.items())
        )
    terminalreporter.write_line(f"full report: {AXE_REPORT_FILE}")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages, throttle counts and lockouts must not leak from one test into the next."""
    from assessments.views.sharing import cards_drawn

    caching.clear_all()
    cards_drawn.clear()
    yield
    caching.clear_all()
    cards_drawn.clear()


@pytest.fixture(autouse=True)
def _language_back_to_english():
    """A request to a Spanish page leaves Spanish active in this thread (Django's
    LocaleMiddleware never switches back); the next test starts in the default language."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def site_content(db) -> factories.SiteContent:
    """The tests' own small world, built by factories for each test (see
    factories.site_content_create): two roles, their tools, and the current quiz version."""
    return factories.site_content_create()


@pytest.fixture
def roles(site_content):
    """The small world's roles by slug."""
    return {role.slug: role for role in Role.objects.all()}


@pytest.fixture
def version(site_content):
    """The current version of the `career-fit` quiz, as people take it."""
    return quiz_selectors.current_version_get()


@pytest.fixture
def user(db):
    return factories.UserFactory()


# People and their API clients.


@pytest.fixture
def person(db):
    return factories.UserFactory()


@pytest.fixture
def api():
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def session_api(person):
    """The site's session, with its CSRF token, as a page's script would call the API."""
    client = APIClient(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    csrf = client.cookies["csrftoken"].value
    client.force_login(person)
    client.credentials(HTTP_X_CSRFTOKEN=csrf)
    return client


@pytest.fixture
def token(person):
    _, key = AuthToken.objects.create(person)
    return key


@pytest.fixture
def person_api(token):
    """An API client sending the person's token, as the mobile app does."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


# Admin users, logged in through the admin's login page.


@pytest.fixture
def editor(db):
    return factories.EditorFactory(username="editor")


@pytest.fixture
def staff(db):
    return factories.StaffUserFactory(username="staff")


@pytest.fixture
def superuser(db):
    return factories.SuperuserFactory(username="root")


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's admin_client, with the second factor the admin asks every staff
    account for already passed."""
    from django.test import Client

    client = Client()
    force_login_verified(client, admin_user)
    return client


@pytest.fixture
def editor_client(editor):
    return login(editor)


@pytest.fixture
def staff_client(staff):
    return login(staff)


@pytest.fixture
def superuser_client(superuser):
    return login(superuser)


@pytest.fixture
def result(site_content, version, person):
    """A saved result of the current quiz version, leaning to data engineering."""
    data, mlops = site_content.data.slug, site_content.mlops.slug
    assessment, _ = assessment_submit(
        version=version,
        answers=answers_leaning_to(version, [data, data, mlops]).items(),
        client_id=uuid.uuid4(),
        user=person,
    )
    return assessment


@pytest.fixture
def big_catalog(db):
    """A catalog ten times the size of the editorial seed (fixtures/): 20 roles, 80 focus
    areas with 4 points each, 210 tools in 13 categories, 40 salary figures, 3 aspects with
    60 texts. List pages and endpoints pin their query counts on it."""
    roles = factories.RoleFactory.create_batch(20)
    categories = factories.ToolCategoryFactory.create_batch(13)
    aspects = factories.CareerAspectFactory.create_batch(3)
    for index, role in enumerate(roles):
        for area in factories.FocusAreaFactory.create_batch(4, role=role):
            factories.FocusPointFactory.create_batch(4, focus_area=area)
        factories.SalaryFigureFactory.create_batch(2, role=role)
        for aspect in aspects:
            factories.AspectTextFactory(aspect=aspect, role=role)
        for tool_index in range(10 + index % 2):
            factories.ToolFactory(
                category=categories[(index + tool_index) % len(categories)], roles=[role]
            )
    return roles


# The contract test (tests/contract.py): every API answer any test receives is checked against
# the served schema. A test that means to break the contract marks itself `no_contract`.


@pytest.fixture(autouse=True)
def _api_answers_match_the_schema(request, monkeypatch):
    if request.node.get_closest_marker("no_contract"):
        yield
        return
    from django.test.client import Client

    from tests import contract

    original = Client.request

    def request_and_check(self, **kwargs):
        response = original(self, **kwargs)
        contract.checked(response)
        return response

    monkeypatch.setattr(Client, "request", request_and_check)
    yield


@pytest.fixture
def clock():
    """core.clock stopped at a Monday noon (UTC), 2026-03-02; `clock.advance(timedelta)` and
    `clock.freeze(datetime)` move it; it follows the real time again after the test."""
    from datetime import UTC, datetime

    from core import clock as core_clock

    core_clock.freeze(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    yield core_clock
    core_clock.release()
