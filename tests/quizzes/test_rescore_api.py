"""POST /api/v1/assessments/{id}/rescore/: an old result under the current questions, answering
only the new ones; the preview, the save (retry-safe), and every bad input."""

import uuid

import pytest
from rest_framework.test import APIClient

from assessments.models import Assessment
from assessments.selectors.rescoring import version_keys
from assessments.services.assessment import assessment_submit
from quizzes import selectors as quiz_selectors
from tests import factories
from tests.helpers import answers_leaning_to, publish_changed_version

pytestmark = pytest.mark.django_db

NEW_KEYS = ["cloud", "dashboards"]


def rescore_url(assessment_id):
    return f"/api/v1/assessments/{assessment_id}/rescore/"


def submit(version, owner, roles=("mlops-engineer", "data-engineer")):
    assessment, _ = assessment_submit(
        version=version,
        answers=answers_leaning_to(version, list(roles)).items(),
        client_id=uuid.uuid4(),
        user=owner,
    )
    return assessment


@pytest.fixture
def old_result(version, person):
    """The person's result on version 1, leaning to MLOps."""
    return submit(version, person)


@pytest.fixture
def version_two(old_result, version):
    """Version 2, current: version 1's last question removed, "cloud" and "dashboards" added,
    question 1's MLOps choice reweighted."""
    return publish_changed_version(version)


@pytest.fixture
def session_api(person):
    """The site's session, with its CSRF token, as a page's script would call the API."""
    client = APIClient(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    csrf = client.cookies["csrftoken"].value
    client.force_login(person)
    client.credentials(HTTP_X_CSRFTOKEN=csrf)
    return client


def new_answers(version_two, choice_key="for-data-engineer", keys=NEW_KEYS):
    ids = version_keys(version=version_two)
    return [
        {"question": ids.question_ids[key], "choice": ids.choice_ids[key][choice_key]}
        for key in keys
    ]


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
    old = submit(version, person)
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
    assert response.json() == {"detail": "This result is already on the current questions."}


# --- who may ------------------------------------------------------------------------------


def test_someone_elses_result_or_an_unknown_id_is_404_and_nothing_is_saved(old_result, version_two):
    stranger = APIClient()
    stranger.force_authenticate(factories.UserFactory())
    save = {"answers": new_answers(version_two), "save": True, "client_id": str(uuid.uuid4())}

    for assessment_id in (old_result.pk, uuid.uuid4()):
        assert stranger.post(rescore_url(assessment_id), {}, format="json").status_code == 404
        assert stranger.post(rescore_url(assessment_id), save, format="json").status_code == 404
    assert Assessment.objects.count() == 1


def test_rescoring_needs_a_person(api, old_result, version_two):
    response = api.post(rescore_url(old_result.pk), {}, format="json")

    assert response.status_code == 401


def test_the_sites_session_with_its_csrf_token_works_too(session_api, old_result, version_two):
    url = rescore_url(old_result.pk)
    body = {"answers": new_answers(version_two), "save": True, "client_id": str(uuid.uuid4())}

    assert session_api.post(url, {}, format="json").status_code == 200
    assert session_api.post(url, body, format="json").status_code == 201
    assert Assessment.objects.filter(rescored_from=old_result).count() == 1


def test_a_session_save_without_the_csrf_token_is_refused(person, old_result, version_two):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(person)
    body = {"answers": new_answers(version_two), "save": True, "client_id": str(uuid.uuid4())}

    assert client.post(rescore_url(old_result.pk), body, format="json").status_code == 403
    assert Assessment.objects.count() == 1


# --- bad input -----------------------------------------------------------------------------


def test_a_result_already_on_the_current_version_is_400_with_a_message(person_api, old_result):
    response = person_api.post(rescore_url(old_result.pk), {}, format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": "This result is already on the current questions."}


def _bad_answers(version_two):
    keys = version_keys(version=version_two)
    cloud, dashboards = keys.question_ids["cloud"], keys.question_ids["dashboards"]
    cloud_choice = keys.choice_ids["cloud"]["middle"]
    dashboards_choice = keys.choice_ids["dashboards"]["middle"]
    carried = keys.question_ids["question-2"]
    return {
        "a question that is not new": [
            {"question": carried, "choice": keys.choice_ids["question-2"]["middle"]}
        ],
        "an unknown question": [{"question": 999_999, "choice": cloud_choice}],
        "a question answered twice": [
            {"question": cloud, "choice": cloud_choice},
            {"question": cloud, "choice": cloud_choice},
            {"question": dashboards, "choice": dashboards_choice},
        ],
        "a choice of another question": [
            {"question": cloud, "choice": dashboards_choice},
            {"question": dashboards, "choice": dashboards_choice},
        ],
    }


@pytest.mark.parametrize(
    "case",
    [
        "a question that is not new",
        "an unknown question",
        "a question answered twice",
        "a choice of another question",
    ],
)
@pytest.mark.parametrize("save", [False, True])
def test_a_bad_answer_is_400_at_answers_and_nothing_is_saved(
    person_api, old_result, version_two, case, save
):
    body = {
        "answers": _bad_answers(version_two)[case],
        "save": save,
        "client_id": str(uuid.uuid4()),
    }

    response = person_api.post(rescore_url(old_result.pk), body, format="json")

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["answers"]
    assert Assessment.objects.count() == 1


def test_saving_with_a_new_question_unanswered_is_400_at_answers(
    person_api, old_result, version_two
):
    body = {
        "answers": new_answers(version_two, keys=["cloud"]),
        "save": True,
        "client_id": str(uuid.uuid4()),
    }

    response = person_api.post(rescore_url(old_result.pk), body, format="json")

    assert response.status_code == 400
    assert response.json() == {"answers": ["Answer every new question first (1 left)."]}
    assert Assessment.objects.count() == 1


def test_saving_without_a_client_id_is_400_at_client_id(person_api, old_result, version_two):
    body = {"answers": new_answers(version_two), "save": True}

    response = person_api.post(rescore_url(old_result.pk), body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["client_id"]
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize("whose", ["the same person's first result", "another person's result"])
def test_a_client_id_already_used_for_another_result_is_400_at_client_id(
    person_api, version, old_result, version_two, whose
):
    other = old_result if whose.startswith("the same") else submit(version, factories.UserFactory())
    count = Assessment.objects.count()
    body = {"answers": new_answers(version_two), "save": True, "client_id": str(other.client_id)}

    response = person_api.post(rescore_url(old_result.pk), body, format="json")

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["client_id"]
    assert Assessment.objects.count() == count


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": "cloud"}, "answers"),
        ({"answers": [{"question": "cloud", "choice": 1}]}, "answers"),
        ({"answers": [{"question": 1}]}, "answers"),
        ({"answers": [{"question": 1, "choice": 1}] * 501}, "answers"),
        ({"answers": [], "save": "yes", "client_id": str(uuid.uuid4())}, "save"),
        ({"answers": [], "save": 1, "client_id": str(uuid.uuid4())}, "save"),
        ({"answers": [], "save": True, "client_id": "123"}, "client_id"),
    ],
    ids=[
        "answers not a list",
        "a question not a number",
        "no choice",
        "more than 500 answers",
        "save as text",
        "save as a number",
        "a client_id that is not a UUID",
    ],
)
def test_a_body_of_the_wrong_shape_is_400_at_its_field(
    person_api, old_result, version_two, body, field
):
    response = person_api.post(rescore_url(old_result.pk), body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Assessment.objects.count() == 1


def test_a_body_that_is_not_an_object_is_400(person_api, old_result, version_two):
    response = person_api.post(rescore_url(old_result.pk), [1, 2], format="json")

    assert response.status_code == 400
    assert Assessment.objects.count() == 1
