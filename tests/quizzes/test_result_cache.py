"""A saved result's page is kept for its owner until their history changes."""

import pytest
from django.test import Client

from quizzes.models import Assessment
from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import answers_leaning_to, take_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_with_result(site_content, version):
    person = UserFactory()
    web = Client()
    web.post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})
    response = take_assessment(web, answers_leaning_to(version, [site_content.mlops.slug]))
    return web, response.url


def test_the_owners_second_look_costs_only_the_session_and_user(
    owner_with_result, django_assert_num_queries
):
    web, url = owner_with_result
    first = web.get(url)
    with django_assert_num_queries(2):  # the session and the user; the page from the cache
        again = web.get(url)
    assert again.status_code == 200 and again.content == first.content


def test_a_deleted_result_is_never_served_from_the_cache(owner_with_result):
    web, url = owner_with_result
    assert web.get(url).status_code == 200
    assessment = Assessment.objects.get()

    web.post(f"{url}delete/")

    assert not Assessment.objects.filter(pk=assessment.pk).exists()
    assert web.get(url).status_code == 404


def test_someone_else_never_gets_the_owners_cached_page(owner_with_result):
    web, url = owner_with_result
    web.get(url)
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code == 404
