import pytest
from django.test import Client

from assessments.services.assessment import assessment_submit
from roles.models import SalaryFigure, Tool
from tests.factories import UserFactory

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
