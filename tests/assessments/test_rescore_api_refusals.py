"""Re-scoring an old result over the API: who may, and bad input."""

import uuid

import pytest
from rest_framework.test import APIClient

from assessments.models import Assessment
from assessments.selectors.rescoring import version_keys
from tests import factories
from tests.assessments.helpers import DATA, MLOPS, new_answers, rescore_url, submit
from tests.helpers import problem, problem_field_roots, problem_fields, problem_messages

pytestmark = pytest.mark.django_db


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
    assert problem(response)["detail"] == ("This result is already on the current questions.")


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
    assert list(problem_fields(response)) == ["answers"]
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
    assert problem_messages(response) == {"answers": ["Answer every new question first (1 left)."]}
    assert Assessment.objects.count() == 1


def test_saving_without_a_client_id_is_400_at_client_id(person_api, old_result, version_two):
    body = {"answers": new_answers(version_two), "save": True}

    response = person_api.post(rescore_url(old_result.pk), body, format="json")

    assert response.status_code == 400
    assert list(problem_fields(response)) == ["client_id"]
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize("whose", ["the same person's first result", "another person's result"])
def test_a_client_id_already_used_for_another_result_is_400_at_client_id(
    person_api, version, old_result, version_two, whose
):
    other = (
        old_result
        if whose.startswith("the same")
        else submit(version, factories.UserFactory(), (MLOPS, DATA))
    )
    count = Assessment.objects.count()
    body = {"answers": new_answers(version_two), "save": True, "client_id": str(other.client_id)}

    response = person_api.post(rescore_url(old_result.pk), body, format="json")

    assert response.status_code == 400, response.content
    assert list(problem_fields(response)) == ["client_id"]
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
    assert field in problem_field_roots(response)
    assert Assessment.objects.count() == 1


def test_a_body_that_is_not_an_object_is_400(person_api, old_result, version_two):
    response = person_api.post(rescore_url(old_result.pk), [1, 2], format="json")

    assert response.status_code == 400
    assert Assessment.objects.count() == 1


# --- one client_id, two re-scores -----------------------------------------------------------


@pytest.fixture
def another_old_result(old_result, version, person):
    """A second result of the person's on version 1 (made before version 2 is published)."""
    return submit(version, person, lean_to=(DATA,))


@pytest.fixture
def racing(monkeypatch):
    """The moment of a race: the other save's row is not visible yet when this one checks
    whether its client_id is taken; it is by the time this one inserts."""
    from assessments.services import rescoring

    monkeypatch.setattr(rescoring, "client_id_taken", lambda **kwargs: False)


def test_two_re_scores_of_two_results_racing_with_one_client_id_never_swap_results(
    person_api, old_result, another_old_result, version_two, racing
):
    client_id = str(uuid.uuid4())
    body = {"answers": new_answers(version_two), "save": True, "client_id": client_id}

    first = person_api.post(rescore_url(old_result.pk), body, format="json")
    second = person_api.post(rescore_url(another_old_result.pk), body, format="json")
    again = person_api.post(rescore_url(old_result.pk), body, format="json")

    assert first.status_code == 201
    assert second.status_code == 400
    assert list(problem_fields(second)) == ["client_id"]
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    saved = Assessment.objects.get(client_id=client_id)
    assert saved.rescored_from_id == old_result.pk
