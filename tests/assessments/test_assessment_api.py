import json
import uuid

import pytest
from rest_framework.test import APIClient

from assessments.models import Assessment
from assessments.services.assessment import assessment_submit
from quizzes import authoring
from quizzes.models import Question
from roles.models import Role
from tests.factories import UserFactory, make_quiz_version
from tests.helpers import (
    answers_leaning_to,
    committed,
    problem,
    problem_field_roots,
    problem_fields,
)

pytestmark = pytest.mark.django_db


def _body(version, answers, client_id=None):
    return {
        "version": version.pk,
        "answers": [{"question": q, "choice": c} for q, c in answers.items()],
        "client_id": str(client_id or uuid.uuid4()),
    }


def test_the_current_assessment_has_questions_and_choices_but_no_weights(api, version):
    body = api.get("/api/v1/assessment/").json()

    assert body["version"] == version.pk
    assert [question["id"] for question in body["questions"]] == [
        question.pk for question in version.questions.order_by("order")
    ]
    question = body["questions"][0]
    assert set(question) == {"id", "text", "help", "choices"}
    assert set(question["choices"][0]) == {"id", "text"}
    assert "weight" not in json.dumps(body)


def test_submitting_returns_the_explained_result(person_api, site_content, version):
    first_tool = site_content.mlops.tools.order_by("order", "name")[0]

    response = person_api.post(
        "/api/v1/assessments/", _body(version, answers_leaning_to(version, ["mlops-engineer"]))
    )

    assert response.status_code == 201
    body = response.json()
    assert body["top_role"] == "mlops-engineer"
    assert body["margin"] == 100
    assert [(s["role"], s["percent"]) for s in body["scores"]] == [
        ("mlops-engineer", 100),
        ("data-engineer", 0),
    ]
    assert len(body["reasons"]) == 3
    assert body["recommended_tools"][0]["slug"] == first_tool.slug


def test_a_retry_with_the_same_client_id_returns_the_same_assessment(person_api, version):
    body = _body(version, answers_leaning_to(version, ["data-engineer"]))

    first = person_api.post("/api/v1/assessments/", body)
    retry = person_api.post("/api/v1/assessments/", body)

    assert (first.status_code, retry.status_code) == (201, 200)
    assert first.json()["id"] == retry.json()["id"]
    assert Assessment.objects.count() == 1


def test_a_client_id_reused_with_other_answers_is_a_409_naming_the_result(person_api, version):
    first = person_api.post(
        "/api/v1/assessments/", _body(version, answers_leaning_to(version, ["data-engineer"]))
    )
    other = _body(version, answers_leaning_to(version, ["mlops-engineer"]))
    other["client_id"] = first.json()["client_id"]

    response = person_api.post("/api/v1/assessments/", other, format="json")

    assert response.status_code == 409
    body = problem(response)
    assert body["code"] == "conflict"
    assert body["existing_id"] == first.json()["id"]
    assert Assessment.objects.count() == 1


def test_submitting_needs_login(api, version):
    response = api.post("/api/v1/assessments/", _body(version, {}))
    assert response.status_code == 401


def _broken_bodies(version):
    answers = answers_leaning_to(version, ["mlops-engineer"])
    questions = list(Question.objects.filter(version=version).order_by("order"))
    first, second = questions[0], questions[1]
    other_version = make_quiz_version(roles=list(Role.objects.all()), question_count=1)
    foreign_question = Question.objects.get(version=other_version)

    wrong_choice = dict(answers)
    wrong_choice[first.pk] = second.choices.first().pk
    missing = {q: c for q, c in answers.items() if q != first.pk}
    duplicated = _body(version, answers)
    duplicated["answers"].append(duplicated["answers"][0])
    foreign = _body(version, answers)
    foreign["answers"].append(
        {"question": foreign_question.pk, "choice": foreign_question.choices.first().pk}
    )
    draft = authoring.version_copy_as_draft(version=version)
    not_integer = _body(version, answers)
    not_integer["answers"][0]["question"] = "seven"
    return {
        "choice of another question": (_body(version, wrong_choice), "answers"),
        "missing question": (_body(version, missing), "answers"),
        "duplicated question": (duplicated, "answers"),
        "question of another version": (foreign, "answers"),
        "non-integer id": (not_integer, "answers"),
        "unknown version": ({**_body(version, answers), "version": 999_999}, "version"),
        "draft version": (
            {
                **_body(version, answers),
                "version": draft.pk,
            },
            "version",
        ),
        "bad client_id": ({**_body(version, answers), "client_id": "123"}, "client_id"),
        "empty answers": ({**_body(version, answers), "answers": []}, "answers"),
        "empty object": ({}, "version"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "choice of another question",
        "missing question",
        "duplicated question",
        "question of another version",
        "non-integer id",
        "unknown version",
        "draft version",
        "bad client_id",
        "empty answers",
        "empty object",
    ],
)
def test_bad_submissions_get_400_naming_the_field_and_save_nothing(person_api, version, case):
    body, field = _broken_bodies(version)[case]

    response = person_api.post("/api/v1/assessments/", body, format="json")

    assert response.status_code == 400, response.content
    assert field in problem_field_roots(response)
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        (b"this is not json", "application/json"),
        (b"", "application/json"),
        (b'{"version": 1, "answers": [' + b"1," * 500_000 + b"1]}", "application/json"),
        (b"version=1", "application/x-www-form-urlencoded"),
    ],
    ids=["not-json", "empty", "one-megabyte", "form-encoded"],
)
def test_bodies_that_are_not_usable_json_get_a_4xx(person_api, version, raw, content_type):
    response = person_api.generic("POST", "/api/v1/assessments/", raw, content_type)

    assert 400 <= response.status_code < 500
    assert response.json()
    assert Assessment.objects.count() == 0


def test_another_persons_client_id_is_refused(person_api, version):
    body = _body(version, answers_leaning_to(version, ["mlops-engineer"]))
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())
    stranger.post("/api/v1/assessments/", body, format="json")

    response = person_api.post("/api/v1/assessments/", body, format="json")
    assert response.status_code == 400 and "client_id" in problem_fields(response)


def _submit_for(user, version, leaning="mlops-engineer"):
    return assessment_submit(
        version=version,
        answers=answers_leaning_to(version, [leaning]).items(),
        client_id=uuid.uuid4(),
        user=user,
    )[0]


def test_history_holds_only_own_assessments_newest_first(person_api, person, version):
    first = _submit_for(person, version)
    second = _submit_for(person, version, "data-engineer")
    _submit_for(UserFactory(), version)

    body = person_api.get("/api/v1/assessments/").json()

    assert body["count"] == 2
    assert [item["id"] for item in body["results"]] == [str(second.pk), str(first.pk)]


def test_someone_elses_assessment_is_404_to_read_and_delete(person_api, version):
    theirs = _submit_for(UserFactory(), version)

    assert person_api.get(f"/api/v1/assessments/{theirs.pk}/").status_code == 404
    assert person_api.delete(f"/api/v1/assessments/{theirs.pk}/").status_code == 404
    assert Assessment.objects.filter(pk=theirs.pk).exists()


def test_reading_and_deleting_an_own_assessment(person_api, person, version):
    mine = _submit_for(person, version)

    assert person_api.get(f"/api/v1/assessments/{mine.pk}/").json()["id"] == str(mine.pk)
    assert person_api.delete(f"/api/v1/assessments/{mine.pk}/").status_code == 204
    assert not Assessment.objects.filter(pk=mine.pk).exists()


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("page_size", [5, 20])
def test_history_runs_a_fixed_number_of_queries(
    person_api, person, version, django_assert_num_queries, count, page_size
):
    for _ in range(count):
        _submit_for(person, version)

    # the token (with its user; the person's other tokens are not read), count, page, then one
    # query each for scores with roles, reasons with their questions and choices, and tools
    # with categories.
    with django_assert_num_queries(6):
        response = person_api.get(f"/api/v1/assessments/?page_size={page_size}")
    assert response.status_code == 200


@pytest.mark.parametrize("question_count", [5, 50])
def test_submission_runs_a_fixed_number_of_queries(
    person_api, django_assert_num_queries, question_count, site_content
):
    version = make_quiz_version(roles=site_content.roles, question_count=question_count)
    body = _body(version, answers_leaning_to(version, ["mlops-engineer"]))

    # One of them is the single upsert of everyone's counts (assessments.peers), one the read
    # of the version's counts for the answer's `peers`, one the version's stamp as answered.
    # Counting people, not results, adds 6: the person's row locked, and their counted result
    # on the version before (none) and after (it, its scores, its answers). Two more are the
    # UPDATE of the person's history version, in the submission's transaction so that it
    # can't be lost, and the one of the counts' version just after the commit
    # (core.caching.versions).
    with django_assert_num_queries(32), committed():
        response = person_api.post("/api/v1/assessments/", body, format="json")
    assert response.status_code == 201
