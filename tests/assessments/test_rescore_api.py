"""POST /api/v1/assessments/{id}/rescore/: an old result under the current questions, answering
only the new ones; the preview, the save (retry-safe), and every bad input."""

import uuid

import pytest
from rest_framework.test import APIClient

from assessments.models import Assessment
from assessments.selectors.rescoring import version_keys
from quizzes import selectors as quiz_selectors
from tests import factories
from tests.assessments.helpers import DATA, MLOPS, NEW_KEYS, new_answers, rescore_url, submit
from tests.helpers import problem, publish_changed_version

pytestmark = pytest.mark.django_db


def question_id(version, key):
    return version_keys(version=version).question_ids[key]


# --- the preview -------------------------------------------------------------------------


def test_a_first_look_says_which_questions_are_new_and_saves_nothing(
    person_api, old_result, version, version_two
):
    response = person_api.post(rescore_url(old_result.pk), {}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["missing"] == [question_id(version_two, key) for key in NEW_KEYS]
    assert body["carried"] == 13
    assert body["new"] is None and body["changes"] == []
    assert (body["from_version"], body["from_version_number"]) == (version.pk, 1)
    assert (body["to_version"], body["to_version_number"]) == (version_two.pk, 2)
    assert body["old"] == {
        "scores": [
            {"role": score.role.slug, "role_name": score.role.name, "percent": score.percent}
            for score in old_result.scores.order_by("rank")
        ],
        "top_role": old_result.top_role.slug,
        "margin": old_result.margin,
    }
    assert Assessment.objects.count() == 1


def test_with_the_new_questions_answered_the_preview_names_every_change(
    person_api, old_result, version, version_two
):
    response = person_api.post(
        rescore_url(old_result.pk), {"answers": new_answers(version_two)}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["missing"] == []
    changes = [(change["kind"], change["question"]) for change in body["changes"]]
    assert changes == [
        ("removed", question_id(version, "question-14")),  # the id in version 1
        ("reweighted", question_id(version_two, "question-1")),
        ("answered", question_id(version_two, "cloud")),
        ("answered", question_id(version_two, "dashboards")),
    ]
    answered = body["changes"][2]
    assert answered["question_text"].startswith("A new question about cloud")
    assert answered["answer"] == "The Data engineer way"
    new = {score["role"]: score["percent"] for score in body["new"]["scores"]}
    old = {score["role"]: score["percent"] for score in body["old"]["scores"]}
    assert [score["role_name"] for score in body["new"]["scores"]] == [
        {"mlops-engineer": "MLOps engineer", "data-engineer": "Data engineer"}[role] for role in new
    ]
    assert body["new"]["top_role"] == next(iter(new))
    assert body["new"]["margin"] == abs(new["mlops-engineer"] - new["data-engineer"])
    for role in new:
        moved = sum(
            effect["points"]
            for change in body["changes"]
            for effect in change["effects"]
            if effect["role"] == role
        )
        # One decimal per effect, whole percents per fit: close, to the rounding.
        assert abs(moved - (new[role] - old[role])) <= 1
    # Answering data engineering on both new questions moves the fit towards it.
    data_effects = [effect for effect in answered["effects"] if effect["role"] == "data-engineer"]
    assert data_effects[0]["points"] > 0
    assert Assessment.objects.count() == 1


def test_one_new_question_answered_leaves_the_other_missing(person_api, old_result, version_two):
    body = person_api.post(
        rescore_url(old_result.pk),
        {"answers": new_answers(version_two, keys=["cloud"]), "save": False},
        format="json",
    ).json()

    assert body["missing"] == [question_id(version_two, "dashboards")]
    assert body["new"] is None


def test_the_preview_costs_a_fixed_number_of_queries(
    person_api, old_result, version_two, django_assert_num_queries
):
    url, body = rescore_url(old_result.pk), {"answers": new_answers(version_two)}
    person_api.post(url, body, format="json")  # the versions' keys are read once, then cached

    # the token; the result, its scores, answers and tools; the roles (to score the new reading).
    with django_assert_num_queries(6):
        assert person_api.post(url, body, format="json").status_code == 200
    with django_assert_num_queries(5):  # a first look: nothing to score, so no roles
        assert person_api.post(url, {}, format="json").status_code == 200


def test_the_preview_costs_the_same_on_a_version_ten_times_the_size(db, django_assert_num_queries):
    content = factories.site_content_create(question_count=140)
    person = factories.UserFactory()
    version = quiz_selectors.current_version_get()
    old = submit(version, person, (MLOPS, DATA))
    version_two = publish_changed_version(version)
    client = APIClient()
    client.force_authenticate(person)
    url, body = rescore_url(old.pk), {"answers": new_answers(version_two)}
    client.post(url, body, format="json")

    # no token with force_authenticate: the result, its scores, answers and tools; the roles.
    with django_assert_num_queries(5):
        response = client.post(url, body, format="json")
    assert response.status_code == 200
    assert response.json()["carried"] == 139
    assert {role.slug for role in content.roles} == {
        score["role"] for score in response.json()["new"]["scores"]
    }


# --- saving --------------------------------------------------------------------------------


def test_saving_makes_a_new_linked_result_shaped_like_a_result(
    person_api, person, old_result, version_two
):
    client_id = uuid.uuid4()
    body = {"answers": new_answers(version_two), "save": True, "client_id": str(client_id)}

    response = person_api.post(rescore_url(old_result.pk), body, format="json")

    assert response.status_code == 201, response.content
    saved = response.json()
    assert saved["rescored_from"] == str(old_result.pk)
    assert saved["version"] == version_two.pk and saved["client_id"] == str(client_id)
    detail = person_api.get(f"/api/v1/assessments/{saved['id']}/").json()
    assert detail == saved
    old = person_api.get(f"/api/v1/assessments/{old_result.pk}/").json()
    assert old["rescored_from"] is None and old["version"] == old_result.version_id
    new = Assessment.objects.get(pk=saved["id"])
    assert new.rescored_from == old_result and new.user == person
    assert new.answers.count() == version_two.questions.count()
    listed = person_api.get("/api/v1/assessments/").json()
    assert [row["id"] for row in listed["results"]] == [saved["id"], str(old_result.pk)]


def test_a_retried_save_answers_200_with_the_same_result_and_saves_nothing_new(
    person_api, old_result, version_two
):
    body = {"answers": new_answers(version_two), "save": True, "client_id": str(uuid.uuid4())}

    first = person_api.post(rescore_url(old_result.pk), body, format="json")
    retry = person_api.post(rescore_url(old_result.pk), body, format="json")

    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert Assessment.objects.count() == 2


def test_the_saved_result_can_not_be_rescored_again(person_api, old_result, version_two):
    body = {"answers": new_answers(version_two), "save": True, "client_id": str(uuid.uuid4())}
    saved = person_api.post(rescore_url(old_result.pk), body, format="json").json()

    response = person_api.post(rescore_url(saved["id"]), {}, format="json")

    assert response.status_code == 400
    assert problem(response)["detail"] == ("This result is already on the current questions.")
