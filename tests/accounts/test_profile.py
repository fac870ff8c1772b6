import json
import uuid

import pytest
from django.test import Client

from assessments.models import Assessment
from assessments.services.assessment import assessment_submit
from assessments.services.attempt import attempt_save
from careerguide.accounts.services import token_create
from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import answers_leaning_to

pytestmark = pytest.mark.django_db


def _assessments(version, person, count):
    leanings = [["mlops-engineer"], ["data-engineer"], ["mlops-engineer", "data-engineer"]]
    answers = [answers_leaning_to(version, leaning) for leaning in leanings]
    return [
        assessment_submit(
            version=version,
            answers=answers[index % 3].items(),
            client_id=uuid.uuid4(),
            user=person,
        )[0]
        for index in range(count)
    ]


def test_profile_lists_assessments_newest_first_with_their_percents(client, version):
    person = UserFactory()
    first, second = _assessments(version, person, 2)
    client.force_login(person)

    response = client.get("/profile/")

    html = response.content.decode()
    assert [a.pk for a in response.context["page"]] == [second.pk, first.pk]
    assert first.get_absolute_url() in html and second.get_absolute_url() in html
    assert "Data engineer: 100%" in html and "MLOps engineer: 100%" in html
    assert html.count('class="fit-point"') == 4  # two points for each of two roles
    assert "The chart's numbers as a table" in html


def test_profile_shows_only_the_persons_own_assessments(client, version):
    person, stranger = UserFactory(), UserFactory()
    _assessments(version, stranger, 2)
    client.force_login(person)

    response = client.get("/profile/")

    assert response.context["page"].paginator.count == 0
    assert "not saved an assessment yet" in response.content.decode()


def test_profile_is_paginated(client, version):
    person = UserFactory()
    _assessments(version, person, 12)
    client.force_login(person)

    assert len(client.get("/profile/").context["page"]) == 10
    assert len(client.get("/profile/?page=2").context["page"]) == 2


@pytest.mark.parametrize("count", [5, 50])
def test_profile_runs_a_fixed_number_of_queries(client, version, django_assert_num_queries, count):
    person = UserFactory()
    _assessments(version, person, count)
    client.force_login(person)

    # session, user, count, page, scores with roles, chart history, the learning plan (none),
    # the shared links, the follow-up (none)
    with django_assert_num_queries(9):
        response = client.get("/profile/")
    assert response.status_code == 200


def test_deleting_one_assessment_asks_first_then_deletes(client, version):
    person = UserFactory()
    keep, remove = _assessments(version, person, 2)
    client.force_login(person)
    url = f"{remove.get_absolute_url()}delete/"

    confirm = client.get(url)
    assert confirm.status_code == 200 and "Yes, delete it" in confirm.content.decode()
    assert Assessment.objects.filter(pk=remove.pk).exists()

    response = client.post(url)
    assert response.status_code == 302 and response.url == "/profile/"
    assert list(Assessment.objects.values_list("pk", flat=True)) == [keep.pk]


def test_data_export_holds_the_account_and_every_answer(client, version):
    person = UserFactory(username="exporter")
    _assessments(version, person, 2)
    _assessments(version, UserFactory(), 1)
    client.force_login(person)

    response = client.get("/profile/export/")

    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "exporter"
    assert len(data["assessments"]) == 2
    assert len(data["assessments"][0]["answers"]) == version.questions.count()
    assert {score["role_name"] for score in data["assessments"][0]["scores"]} == {
        "MLOps engineer",
        "Data engineer",
    }
    assert "password" not in json.dumps(data).lower()


def test_data_export_holds_the_unfinished_attempt_tokens_and_log_ins(client, version):
    person, stranger = UserFactory(username="exporter"), UserFactory(username="stranger")
    question = version.questions.first()
    choice = question.choices.first()
    for user in (person, stranger):
        attempt_save(
            user=user, version=version, client_id=uuid.uuid4(), answers={question.pk: choice.pk}
        )
        Client(REMOTE_ADDR="203.0.113.5", HTTP_USER_AGENT="phone").post(
            "/accounts/login/", {"username": user.username, "password": TEST_PASSWORD}
        )
    token, key = token_create(user=person)
    token_create(user=stranger)
    client.force_login(person)

    response = client.get("/profile/export/")

    data = json.loads(response.content)
    attempt = data["unfinished_attempt"]
    assert (attempt["version"], attempt["version_number"]) == (version.pk, version.number)
    assert attempt["answers"] == {str(question.pk): choice.pk}
    assert attempt["updated"]
    assert data["api_tokens"] == [
        {
            "token_key": token.token_key,
            "created": token.created.isoformat().replace("+00:00", "Z"),
            "expiry": token.expiry.isoformat().replace("+00:00", "Z"),
        }
    ]
    # The log-in on the phone, then this test's own (force_login: no request, so no address).
    login, here = data["logins"]
    assert here["username"] == "exporter" and here["ip_address"] is None
    assert (login["username"], login["ip_address"], login["user_agent"]) == (
        "exporter",
        "203.0.113.5",
        "phone",
    )
    assert login["logged_in"] and login["path"] == "/accounts/login/"
    # Nothing secret, and nobody else's: no digest, no whole key, no session hash.
    text = response.content.decode()
    assert token.digest not in text and key not in text
    assert "digest" not in text and "session_hash" not in text
    assert "stranger" not in text


def test_data_export_of_someone_without_an_attempt_tokens_or_log_ins(client, version):
    person = UserFactory()
    client.force_login(person)
    data = json.loads(client.get("/profile/export/").content)
    assert data["unfinished_attempt"] is None
    assert data["api_tokens"] == []
    # Only this test's own log-in (force_login).
    assert [login["username"] for login in data["logins"]] == [person.username]


def test_deleting_the_account_needs_the_password_and_removes_assessments(client, version):
    person = UserFactory()
    _assessments(version, person, 2)
    client.force_login(person)

    wrong = client.post("/profile/delete/", {"password": "not-it"})
    assert wrong.status_code == 400
    assert "not your password" in wrong.context["form"].errors["password"][0]
    assert Assessment.objects.count() == 2

    right = client.post("/profile/delete/", {"password": TEST_PASSWORD})
    assert right.status_code == 302
    assert not type(person).objects.filter(pk=person.pk).exists()
    assert Assessment.objects.count() == 0
    assert "_auth_user_id" not in client.session
