"""The evidence behind a result over the API: `peers` and `feedback` on a result, PUT and
DELETE of the feedback, and GET methodology/ (issue 14)."""

import json
import uuid

import pytest
from rest_framework.test import APIClient

from assessments import peers
from assessments.models import Assessment, ResultFeedback
from assessments.selectors.figures import peers_reference_role
from assessments.services.assessment import assessment_delete, assessment_submit
from assessments.services.feedback import feedback_set
from quizzes import scoring
from tests.factories import UserFactory, make_quiz_version
from tests.helpers import answers_leaning_to

pytestmark = pytest.mark.django_db

MLOPS, DATA = "mlops-engineer", "data-engineer"
# Answers that give leans all over the histogram (the first role, MLOps, on the right).
LEANS = [[MLOPS], [DATA], [DATA, MLOPS], [DATA, DATA, MLOPS], [MLOPS, MLOPS, DATA], [DATA] * 5]


def submit(version, person, lean_to=(MLOPS,)):
    assessment, _ = assessment_submit(
        version=version,
        answers=answers_leaning_to(version, list(lean_to)).items(),
        client_id=uuid.uuid4(),
        user=person,
    )
    return assessment


def others_submit(version, count, lean_to=(MLOPS,)):
    return [submit(version, UserFactory(), lean_to) for _ in range(count)]


def detail(client, assessment):
    response = client.get(f"/api/v1/assessments/{assessment.pk}/")
    assert response.status_code == 200, response.content
    return response.json()


def feedback_url(assessment_id):
    return f"/api/v1/assessments/{assessment_id}/feedback/"


@pytest.fixture
def session_api(person):
    """The site's session, with its CSRF token, as a page's script would call the API."""
    client = APIClient(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    csrf = client.cookies["csrftoken"].value
    client.force_login(person)
    client.credentials(HTTP_X_CSRFTOKEN=csrf)
    return client


# --- peers on a result ---------------------------------------------------------------------


def test_below_the_threshold_peers_is_null_with_the_results_still_needed(
    person_api, person, version, settings
):
    settings.PEERS_MIN_RESULTS = 5
    mine = submit(version, person)
    others_submit(version, 2)

    body = detail(person_api, mine)

    assert body["peers"] is None
    assert body["peers_results_needed"] == 2


def test_at_the_threshold_peers_places_the_result(person_api, person, version, settings):
    settings.PEERS_MIN_RESULTS = 5
    mine = submit(version, person)
    others_submit(version, 5, [MLOPS])
    others_submit(version, 4, [DATA])

    body = detail(person_api, mine)

    assert body["peers_results_needed"] == 0
    figures = body["peers"]
    assert set(figures) == {
        "results",
        "same_lean_percent",
        "toward",
        "away",
        "you",
        "histogram",
        "same_choice",
    }
    assert figures["results"] == 10
    assert figures["same_lean_percent"] == 60  # 6 of 10 have MLOps on top, this one included
    assert (figures["toward"], figures["away"]) == ("MLOps engineer", "Data engineer")
    assert figures["you"] == 100
    bars = figures["histogram"]
    assert [set(bar) for bar in bars] == [{"from", "to", "count", "you"}] * len(bars)
    assert sum(bar["count"] for bar in bars) == 10
    assert [bar["you"] for bar in bars].count(True) == 1
    (your_bar,) = [bar for bar in bars if bar["you"]]
    assert your_bar["from"] <= 90 < your_bar["to"]
    # One entry per deciding answer, in the order of `reasons`.
    assert [same["question"] for same in figures["same_choice"]] == [
        reason["question"] for reason in body["reasons"]
    ]
    assert [same["choice_text"] for same in figures["same_choice"]] == [
        reason["choice_text"] for reason in body["reasons"]
    ]
    assert all(0 < same["percent"] <= 100 for same in figures["same_choice"])


def test_the_submissions_answer_carries_the_figures_too(person_api, version, settings):
    settings.PEERS_MIN_RESULTS = 3
    others_submit(version, 1)
    body = {
        "version": version.pk,
        "answers": [
            {"question": question, "choice": choice}
            for question, choice in answers_leaning_to(version, [DATA]).items()
        ],
        "client_id": str(uuid.uuid4()),
    }

    first = person_api.post("/api/v1/assessments/", body)
    others_submit(version, 1)
    retry = person_api.post("/api/v1/assessments/", body)

    assert first.status_code == 201
    assert (first.json()["peers"], first.json()["peers_results_needed"]) == (None, 1)
    assert first.json()["feedback"] is None
    assert retry.status_code == 200
    assert retry.json()["peers"]["results"] == 3
    assert retry.json()["peers"]["same_lean_percent"] == 33


@pytest.mark.parametrize("seed", range(5))
def test_no_histogram_bar_stands_for_fewer_than_five_people(
    person_api, person, version, settings, seed
):
    settings.PEERS_MIN_RESULTS = 1
    mine = submit(version, person, LEANS[seed])
    for index in range(7 + 3 * seed):
        submit(version, UserFactory(), LEANS[(index * (seed + 1)) % len(LEANS)])

    bars = detail(person_api, mine)["peers"]["histogram"]

    assert bars
    assert all(bar["count"] >= peers.SMALLEST_BAR for bar in bars)
    assert sum(bar["count"] for bar in bars) == 8 + 3 * seed
    assert [bar["you"] for bar in bars].count(True) == 1


def test_fewer_than_five_results_make_no_bar_even_when_shown(person_api, person, version, settings):
    settings.PEERS_MIN_RESULTS = 1
    mine = submit(version, person)
    others_submit(version, 3, [DATA])

    figures = detail(person_api, mine)["peers"]

    assert figures["results"] == 4
    assert figures["histogram"] == []


def test_the_cached_result_changes_when_someone_else_submits_or_deletes(
    person_api, person, version, settings, django_assert_num_queries
):
    settings.PEERS_MIN_RESULTS = 3
    mine = submit(version, person)
    (theirs,) = others_submit(version, 1)

    assert detail(person_api, mine)["peers_results_needed"] == 1
    with django_assert_num_queries(1):  # the token; the answer from the cache
        assert detail(person_api, mine)["peers"] is None

    later = submit(version, UserFactory(), [DATA])
    assert detail(person_api, mine)["peers"]["results"] == 3

    assessment_delete(assessment_id=later.pk, user=later.user)
    body = detail(person_api, mine)
    assert (body["peers"], body["peers_results_needed"]) == (None, 1)

    submit(version, UserFactory(), [DATA])
    assert detail(person_api, mine)["peers"]["same_lean_percent"] == 67
    assessment_delete(assessment_id=theirs.pk, user=theirs.user)
    assert detail(person_api, mine)["peers_results_needed"] == 1


def test_the_cached_result_changes_when_the_owner_deletes_another_result(
    person_api, person, version, settings
):
    settings.PEERS_MIN_RESULTS = 2
    mine = submit(version, person)
    other = submit(version, person, [DATA])
    assert detail(person_api, mine)["peers"]["same_lean_percent"] == 50

    assert person_api.delete(f"/api/v1/assessments/{other.pk}/").status_code == 204

    assert detail(person_api, mine)["peers_results_needed"] == 1
    assert person_api.get(f"/api/v1/assessments/{other.pk}/").status_code == 404


def test_the_history_list_stays_without_figures(person_api, person, version, settings):
    settings.PEERS_MIN_RESULTS = 1
    submit(version, person)

    (row,) = person_api.get("/api/v1/assessments/").json()["results"]

    assert "peers" not in row and "feedback" not in row


@pytest.mark.parametrize("others", [10, 200])
def test_a_result_costs_a_fixed_number_of_queries(
    person_api, person, version, settings, django_assert_num_queries, others
):
    settings.PEERS_MIN_RESULTS = 5
    mine = submit(version, person)
    for index in range(others):
        submit(version, UserFactory(), LEANS[index % len(LEANS)])
    feedback_set(assessment_id=mine.pk, user=person, feels_right=True)
    peers_reference_role()  # from the catalog cache, as on a warm site

    # the token with its user, the result with its version, top role and feedback, its scores,
    # reasons and tools, and the version's kept counts.
    with django_assert_num_queries(6):
        body = detail(person_api, mine)
    assert body["peers"]["results"] == others + 1
    assert body["feedback"]["feels_right"] is True
    with django_assert_num_queries(1):
        detail(person_api, mine)


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
    errors = response.json()
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
    assert list(response.json()) == ["comment"]
    assert not ResultFeedback.objects.exists()


def test_a_comment_of_exactly_500_characters_and_a_null_comment_are_fine(person_api, result):
    url = feedback_url(result.pk)

    assert person_api.put(url, {"feels_right": True, "comment": "é" * 500}).status_code == 200
    assert ResultFeedback.objects.get().comment == "é" * 500
    assert person_api.put(url, {"feels_right": True, "comment": None}).json()["comment"] == ""


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
    # result, and the update-or-create (a savepoint of its own, a select, an update).
    with django_assert_num_queries(8):
        assert person_api.put(url, {"feels_right": False}).status_code == 200
    # the token, then in the transaction: the result and the delete.
    with django_assert_num_queries(5):
        assert person_api.delete(url).status_code == 204


# --- the methodology -----------------------------------------------------------------------


def _version_row(body, version):
    (row,) = [row for row in body["versions"] if row["version"] == version.pk]
    return row


def _answer(assessments, feels_right):
    for assessment, yes in zip(assessments, feels_right, strict=True):
        feedback_set(assessment_id=assessment.pk, user=assessment.user, feels_right=yes)


def test_methodology_gives_the_method_in_plain_words(api, site_content, settings):
    settings.PEERS_MIN_RESULTS = 7

    method = api.get("/api/v1/methodology/").json()["method"]

    assert method["close_call_below"] == scoring.CLOSE_CALL_BELOW
    assert method["peers_min_results"] == 7
    assert method["smallest_bar"] == peers.SMALLEST_BAR
    assert str(scoring.CLOSE_CALL_BELOW) in method["close_call"]
    assert "7 results" in method["peers"]
    assert all(method[key] for key in ("fit", "formula", "versions"))


def test_methodology_figures_split_by_clear_lean_and_close_call(api, version, settings):
    settings.PEERS_MIN_RESULTS = 2
    clear = others_submit(version, 2)
    close = others_submit(version, 2, [DATA, MLOPS])
    others_submit(version, 1)  # counted, but no answer to "does this feel right?"
    Assessment.objects.filter(pk__in=[a.pk for a in clear]).update(margin=30)
    Assessment.objects.filter(pk__in=[a.pk for a in close]).update(margin=2)
    _answer(clear + close, [True, True, True, False])

    row = _version_row(api.get("/api/v1/methodology/").json(), version)

    assert row == {
        "quiz": version.quiz.name,
        "version": version.pk,
        "version_number": version.number,
        "results": 5,
        "answers": 4,
        "shown": True,
        "answers_needed": 0,
        "feels_right_percent": 75,
        "clear": {"answers": 2, "feels_right_percent": 100},
        "close_call": {"answers": 2, "feels_right_percent": 50},
        "languages": [{"language": "en", "results": 5, "answers": 4, "feels_right_percent": 75}],
    }


def test_methodology_percents_are_null_until_enough_people_answered(api, version, settings):
    settings.PEERS_MIN_RESULTS = 4
    _answer(others_submit(version, 3), [True, False, True])

    row = _version_row(api.get("/api/v1/methodology/").json(), version)

    assert (row["results"], row["answers"], row["shown"], row["answers_needed"]) == (3, 3, False, 1)
    assert row["feels_right_percent"] is None
    assert row["clear"]["feels_right_percent"] is None
    assert row["close_call"]["feels_right_percent"] is None


def test_methodology_splits_only_when_both_parts_have_enough_answers(api, version, settings):
    settings.PEERS_MIN_RESULTS = 2
    clear = others_submit(version, 3)
    close = others_submit(version, 1, [DATA, MLOPS])
    Assessment.objects.filter(pk__in=[a.pk for a in clear]).update(margin=30)
    Assessment.objects.filter(pk__in=[a.pk for a in close]).update(margin=2)
    _answer(clear + close, [True, True, True, False])

    row = _version_row(api.get("/api/v1/methodology/").json(), version)

    # The one close call's answer could be read from its share, or from the whole beside the
    # clear leans' share: neither share is given.
    assert (row["shown"], row["feels_right_percent"]) == (True, 75)
    assert row["clear"] == {"answers": 3, "feels_right_percent": None}
    assert row["close_call"] == {"answers": 1, "feels_right_percent": None}


def test_methodology_lists_published_versions_newest_first(api, site_content, version):
    older = make_quiz_version(
        roles=site_content.roles, question_count=2, quiz=version.quiz, number=0
    )
    draft = make_quiz_version(
        roles=site_content.roles, question_count=2, quiz=version.quiz, number=9
    )
    draft.status, draft.published_at = draft.Status.DRAFT, None
    draft.save()

    rows = api.get("/api/v1/methodology/").json()["versions"]

    assert [row["version"] for row in rows] == [version.pk, older.pk]


@pytest.mark.parametrize("size", [1, 10])
def test_methodology_costs_three_queries(
    api, site_content, settings, django_assert_num_queries, size
):
    settings.PEERS_MIN_RESULTS = 1
    for number in range(size):
        version = make_quiz_version(
            roles=site_content.roles, question_count=2, quiz=site_content.quiz, number=100 + number
        )
        _answer([submit(version, UserFactory()) for _ in range(size)], [True] * size)

    # the versions with their quiz, the kept counts, and the feedback counted per version
    with django_assert_num_queries(3):
        response = api.get("/api/v1/methodology/")
    assert len(response.json()["versions"]) == size + 1
