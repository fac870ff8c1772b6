"""GET methodology/: the method in plain words and its figures, by version."""

import pytest

from assessments import peers
from assessments.models import Assessment
from assessments.services.feedback import feedback_set
from quizzes import scoring
from tests.assessments.helpers import DATA, MLOPS, others_submit, submit
from tests.factories import UserFactory, make_quiz_version

pytestmark = pytest.mark.django_db


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
    assert "7 people" in method["peers"]
    assert method["count_step"] == peers.COUNT_STEP == 5
    assert all(method[key] for key in ("fit", "formula", "versions"))


def test_methodology_figures_split_by_clear_lean_and_close_call(api, version, settings):
    settings.PEERS_MIN_RESULTS = 5
    clear = others_submit(version, 10)
    close = others_submit(version, 10, [DATA, MLOPS])
    others_submit(version, 1)  # counted, but no answer to "does this feel right?"
    Assessment.objects.filter(pk__in=[a.pk for a in clear]).update(margin=30)
    Assessment.objects.filter(pk__in=[a.pk for a in close]).update(margin=2)
    _answer(clear + close, ([True] * 5 + [False] * 5) * 2)

    row = _version_row(api.get("/api/v1/methodology/").json(), version)

    assert row == {
        "quiz": version.quiz.name,
        "version": version.pk,
        "version_number": version.number,
        "results": 20,  # 21 people, rounded
        "answers": 20,
        "shown": True,
        "answers_needed": 0,
        "feels_right_percent": 50,
        "clear": {"answers": 10, "feels_right_percent": 50},
        "close_call": {"answers": 10, "feels_right_percent": 50},
        "languages": [{"language": "en", "results": 20, "answers": 20, "feels_right_percent": 50}],
    }


def test_methodology_percents_are_null_until_enough_people_answered(api, version, settings):
    settings.PEERS_MIN_RESULTS = 4
    _answer(others_submit(version, 3), [True, False, True])

    row = _version_row(api.get("/api/v1/methodology/").json(), version)

    # No count of 3, and the answers still needed said in a step of 5.
    assert (row["results"], row["answers"], row["shown"], row["answers_needed"]) == (
        None,
        None,
        False,
        5,
    )
    assert row["feels_right_percent"] is None
    assert row["clear"]["feels_right_percent"] is None
    assert row["close_call"]["feels_right_percent"] is None


def test_methodology_splits_only_when_both_parts_have_enough_answers(api, version, settings):
    settings.PEERS_MIN_RESULTS = 5
    clear = others_submit(version, 10)
    close = others_submit(version, 1, [DATA, MLOPS])
    Assessment.objects.filter(pk__in=[a.pk for a in clear]).update(margin=30)
    Assessment.objects.filter(pk__in=[a.pk for a in close]).update(margin=2)
    _answer(clear + close, [True] * 5 + [False] * 6)

    row = _version_row(api.get("/api/v1/methodology/").json(), version)

    # The one close call's answer could be read from its share, or from the whole beside the
    # clear leans' share: neither share is given.
    assert (row["shown"], row["feels_right_percent"]) == (True, 50)
    assert row["clear"] == {"answers": None, "feels_right_percent": None}
    assert row["close_call"] == {"answers": None, "feels_right_percent": None}


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
def test_methodology_costs_four_queries(
    api, site_content, settings, django_assert_num_queries, size
):
    settings.PEERS_MIN_RESULTS = 1
    for number in range(size):
        version = make_quiz_version(
            roles=site_content.roles, question_count=2, quiz=site_content.quiz, number=100 + number
        )
        _answer([submit(version, UserFactory()) for _ in range(size)], [True] * size)

    # the versions with their quiz, the kept counts, the feedback counted per version, and
    # the follow-ups' outcomes counted per version; then the evidence's seven
    # (tests/assessments/test_evidence_figures.py)
    with django_assert_num_queries(11):
        response = api.get("/api/v1/methodology/")
    assert len(response.json()["versions"]) == size + 1
