import pytest
from django.core.cache import cache
from django.core.management import call_command

from core.caching import local_pages
from quizzes import selectors
from tests import factories


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database starts with the real seed content, loaded once, as `make run` loads it.

    Each test runs in a transaction that is rolled back, so what a test changes is undone.
    """
    with django_db_blocker.unblock():
        call_command("load_content", verbosity=0)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages, throttle counts and lockouts must not leak from one test into the next."""
    cache.clear()
    local_pages.clear()
    yield
    cache.clear()
    local_pages.clear()


@pytest.fixture
def content(db):
    """Names the dependency on the seed content (loaded once in django_db_setup)."""


@pytest.fixture
def version(content):
    """The seed quiz's current version (24 questions, from fixtures/quiz.json)."""
    return selectors.current_version_get()


@pytest.fixture
def user(db):
    return factories.UserFactory()


@pytest.fixture
def big_catalog(db):
    """A catalog ten times the size of the seed: 20 roles, 80 focus areas with 4 points each,
    210 tools in 13 categories, 40 salary figures, 3 aspects with 60 texts."""
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
