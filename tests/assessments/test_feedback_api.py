""" "Does this feel right?" over the API: PUT and DELETE of a result's feedback."""

import json
import uuid

import pytest
from rest_framework.test import APIClient

from assessments.models import ResultFeedback
from assessments.services.feedback import feedback_set
from tests.assessments.helpers import detail, submit
from tests.factories import UserFactory
from tests.helpers import problem_fields, problem_messages

pytestmark = pytest.mark.django_db


def feedback_url(assessment_id):
    return f"/api/v1/assessments/{assessment_id}/feedback/"


# --- does this feel right? -----------------------------------------------------------------


def test_feedback_is_set_changed_and_taken_back_with_a_token(person_api, person, result):
    url = feedback_url(result.pk)
    assert detail(person_api, result)["feedback"] is None

    response = person_api.put(url, {"feels_right": True, "comment": "  Spot on.  "})
    assert response.status_code == 200
    body = response.json()
    assert (body["feels_right"], body["comment"]) == (True, "Spot on.")
    assert detail(person_api, result)["feedback"] == body

    changed = person_api.put(url, {"feels_right": False}).json()
    assert (changed["feels_right"], changed["comment"]) == (False, "")
    assert detail(person_api, result)["feedback"]["feels_right"] is False
    assert ResultFeedback.objects.count() == 1

    assert person_api.delete(url).status_code == 204
    assert not ResultFeedback.objects.exists()
    assert detail(person_api, result)["feedback"] is None
    assert person_api.delete(url).status_code == 204  # taking back nothing is fine


def test_feedback_works_with_the_sites_session_and_its_csrf_token(session_api, person, result):
    url = feedback_url(result.pk)

    response = session_api.put(url, {"feels_right": False, "comment": "Not me at all."})

    assert response.status_code == 200
    assert ResultFeedback.objects.get().comment == "Not me at all."
    assert session_api.delete(url).status_code == 204
    assert not ResultFeedback.objects.exists()


def test_a_session_write_without_the_csrf_token_is_refused(person, result):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(person)

    assert client.put(feedback_url(result.pk), {"feels_right": True}).status_code == 403
    assert not ResultFeedback.objects.exists()


def test_feedback_needs_a_person(api, result):
    assert api.put(feedback_url(result.pk), {"feels_right": True}).status_code == 401
    assert api.delete(feedback_url(result.pk)).status_code == 401
    assert not ResultFeedback.objects.exists()


def test_another_persons_result_is_404_to_set_or_take_back_feedback(person_api, version):
    owner = UserFactory()
    theirs = submit(version, owner)
    feedback_set(assessment_id=theirs.pk, user=owner, feels_right=True, comment="Mine.")
    url = feedback_url(theirs.pk)

    assert person_api.put(url, {"feels_right": False, "comment": "Ha"}).status_code == 404
    assert person_api.delete(url).status_code == 404
    assert person_api.put(feedback_url(uuid.uuid4()), {"feels_right": True}).status_code == 404
    assert person_api.delete(feedback_url(uuid.uuid4())).status_code == 404
    feedback = ResultFeedback.objects.get()
    assert (feedback.feels_right, feedback.comment) == (True, "Mine.")


def test_an_anonymous_result_is_404_too(person_api, version):
    anonymous = submit(version, None)

    assert person_api.put(feedback_url(anonymous.pk), {"feels_right": True}).status_code == 404
    assert not ResultFeedback.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "feels_right"),
        ({"comment": "Hm."}, "feels_right"),
        ({"feels_right": None}, "feels_right"),
        ({"feels_right": "yes"}, "feels_right"),
        ({"feels_right": "true"}, "feels_right"),
        ({"feels_right": "false"}, "feels_right"),
        ({"feels_right": 1}, "feels_right"),
        ({"feels_right": 0}, "feels_right"),
        ({"feels_right": [True]}, "feels_right"),
        ({"feels_right": True, "comment": 5}, "comment"),
        ({"feels_right": True, "comment": ["text"]}, "comment"),
        ({"feels_right": True, "comment": {"text": "x"}}, "comment"),
        ({"feels_right": True, "comment": "x" * 501}, "comment"),
        ({"feels_right": True, "comment": "nul \x00 here"}, "comment"),
    ],
)
def test_bad_feedback_gets_400_at_its_field_and_nothing_changes(
    person_api, person, result, body, field
):
    feedback_set(assessment_id=result.pk, user=person, feels_right=True, comment="Kept.")

    response = person_api.put(feedback_url(result.pk), body)

    assert response.status_code == 400
    errors = problem_messages(response)
    assert list(errors) == [field]
    assert all(isinstance(message, str) and message for message in errors[field])
    feedback = ResultFeedback.objects.get()
    assert (feedback.feels_right, feedback.comment) == (True, "Kept.")


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [("[true]", "application/json"), ('"yes"', "application/json"), ("{", "application/json")],
)
def test_a_body_that_is_not_an_object_gets_400(person_api, result, raw, content_type):
    response = person_api.generic("PUT", feedback_url(result.pk), raw, content_type)

    assert response.status_code == 400
    assert not ResultFeedback.objects.exists()


def test_a_comment_with_a_lone_surrogate_is_refused_not_a_500(person_api, result):
    # Valid JSON ("\\ud800" escaped), but no database can store the string it makes.
    raw = '{"feels_right": true, "comment": "half of \\ud83d an emoji"}'

    response = person_api.generic("PUT", feedback_url(result.pk), raw, "application/json")

    assert response.status_code == 400
    assert list(problem_fields(response)) == ["comment"]
    assert not ResultFeedback.objects.exists()


def test_a_comment_of_exactly_500_characters_and_a_null_comment_are_fine(person_api, result):
    url = feedback_url(result.pk)

    assert person_api.put(url, {"feels_right": True, "comment": "é" * 500}).status_code == 200
    assert ResultFeedback.objects.get().comment == "é" * 500
    assert person_api.put(url, {"feels_right": True, "comment": None}).json()["comment"] == ""


@pytest.mark.parametrize(
    ("character", "stored"),
    [
        ("e\u0301", "\u00e9"),  # e and a combining accent: one character, kept as NFC's é
        ("\U0001f1ea\U0001f1f8", None),  # a flag: two code points
        ("\U0001f468\u200d\U0001f469\u200d\U0001f467", None),  # a family: five
    ],
)
def test_the_comment_limit_counts_characters_as_people_see_them(
    person_api, result, character, stored
):
    url = feedback_url(result.pk)

    fits = person_api.put(url, {"feels_right": True, "comment": character * 500})
    too_long = person_api.put(url, {"feels_right": True, "comment": character * 501})

    assert fits.status_code == 200
    assert ResultFeedback.objects.get().comment == (stored or character) * 500
    assert too_long.status_code == 400
    assert "(it has 501)" in problem_messages(too_long)["comment"][0]


def test_feedback_is_never_shown_to_anyone_else(person_api, person, result, api, settings):
    settings.PEERS_MIN_RESULTS = 1
    feedback_set(
        assessment_id=result.pk, user=person, feels_right=False, comment="A secret remark."
    )
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())

    assert stranger.get(f"/api/v1/assessments/{result.pk}/").status_code == 404
    assert detail(person_api, result)["feedback"]["comment"] == "A secret remark."
    for client in (api, stranger, person_api):
        methodology = client.get("/api/v1/methodology/")
        assert methodology.status_code == 200
        assert "A secret remark." not in methodology.content.decode()
        assert "comment" not in json.dumps(methodology.json()["versions"])


def test_a_feedback_write_costs_a_fixed_number_of_queries(
    person_api, result, django_assert_num_queries
):
    url = feedback_url(result.pk)
    person_api.put(url, {"feels_right": True})

    # the token, then inside the service's transaction (a savepoint under the test's): the
    # result, the update-or-create (a savepoint of its own, a select, an update), and the
    # UPDATE of the person's history version, in the same transaction: a bump can't be lost.
    with django_assert_num_queries(9):
        assert person_api.put(url, {"feels_right": False}).status_code == 200
    # the token, then in the transaction: the result, the delete and the history version's
    # UPDATE.
    with django_assert_num_queries(6):
        assert person_api.delete(url).status_code == 204


def test_a_comment_with_crlf_line_breaks_counts_and_is_kept_as_on_the_site(person_api, result):
    comment = "\r\n".join(["x" * 9] * 50)  # 500 characters with "\n", 549 as sent

    response = person_api.put(
        feedback_url(result.pk), {"feels_right": True, "comment": comment}, format="json"
    )

    assert response.status_code == 200
    assert ResultFeedback.objects.get().comment == comment.replace("\r\n", "\n")
