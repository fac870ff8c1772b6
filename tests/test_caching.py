import pytest
from django.test import Client

from roles.models import SalaryFigure, Tool
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_repeated_anonymous_page_comes_from_the_cache(client, content, django_assert_num_queries):
    client.get("/tools/docker/")
    with django_assert_num_queries(0):
        response = client.get("/tools/docker/")
    assert response.status_code == 200 and "Docker" in response.content.decode()


def test_an_editors_save_shows_at_once(client, content):
    assert "Fresh words" not in client.get("/tools/docker/").content.decode()
    tool = Tool.objects.get(slug="docker")
    tool.summary = "Fresh words from an editor."
    tool.save()

    assert "Fresh words from an editor." in client.get("/tools/docker/").content.decode()


def test_a_salary_change_clears_the_cached_api_and_home(client, content):
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


def test_people_with_a_session_never_get_a_shared_page(content):
    anonymous = Client()
    anonymous.get("/")
    person = UserFactory(username="visible-name")
    logged_in = Client()
    logged_in.force_login(person)

    assert "visible-name" in logged_in.get("/").content.decode()
    assert "visible-name" not in anonymous.get("/").content.decode()
