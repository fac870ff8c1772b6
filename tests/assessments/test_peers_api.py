"""The evidence behind a result over the API: `peers` and `feedback` on a result, PUT and
DELETE of the feedback, and GET methodology/ (issue 14)."""

import uuid

import pytest

from assessments import peers
from assessments.selectors.figures import peers_reference_role
from assessments.services.assessment import assessment_delete
from assessments.services.feedback import feedback_set
from core.caching import peers_version
from tests.assessments.helpers import DATA, MLOPS, detail, others_submit, submit
from tests.factories import UserFactory
from tests.helpers import answers_leaning_to, committed

pytestmark = pytest.mark.django_db


# Answers that give leans all over the histogram (the first role, MLOps, on the right).
LEANS = [[MLOPS], [DATA], [DATA, MLOPS], [DATA, DATA, MLOPS], [MLOPS, MLOPS, DATA], [DATA] * 5]


# --- peers on a result ---------------------------------------------------------------------


def test_below_the_threshold_peers_is_null_with_the_results_still_needed(
    person_api, person, version, settings
):
    settings.PEERS_MIN_RESULTS = 5
    mine = submit(version, person)
    others_submit(version, 2)

    body = detail(person_api, mine)

    assert body["peers"] is None
    assert body["peers_results_needed"] == 5  # 2 missing, said in a step of 5: "at most 5"


def test_at_the_threshold_peers_places_the_result(person_api, person, version, settings):
    settings.PEERS_MIN_RESULTS = 5
    mine = submit(version, person)
    others_submit(version, 9, [MLOPS])
    others_submit(version, 5, [DATA])

    body = detail(person_api, mine)

    assert body["peers_results_needed"] == 0
    figures = body["peers"]
    assert set(figures) == {
        "results",
        "same_lean_percent",
        "toward",
        "toward_name",
        "away",
        "away_name",
        "you",
        "histogram",
        "same_choice",
    }
    assert figures["results"] == 15
    assert figures["same_lean_percent"] == 67  # 10 of 15 have MLOps on top, this one included
    assert (figures["toward"], figures["away"]) == ("mlops-engineer", ["data-engineer"])
    assert (figures["toward_name"], figures["away_name"]) == ("MLOps engineer", "Data engineer")
    assert figures["you"] == 100
    bars = figures["histogram"]
    assert [set(bar) for bar in bars] == [{"from", "to", "count", "you"}] * len(bars)
    assert sum(bar["count"] for bar in bars) == 15
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
    assert all(same["percent"] in {None, 67} for same in figures["same_choice"])


def test_the_submissions_answer_carries_the_figures_too(person_api, version, settings):
    settings.PEERS_MIN_RESULTS = 10
    others_submit(version, 5, [MLOPS])
    body = {
        "version": version.pk,
        "answers": [
            {"question": question, "choice": choice}
            for question, choice in answers_leaning_to(version, [DATA]).items()
        ],
        "client_id": str(uuid.uuid4()),
    }

    first = person_api.post("/api/v1/assessments/", body)
    others_submit(version, 4, [DATA])
    retry = person_api.post("/api/v1/assessments/", body)

    assert first.status_code == 201
    assert (first.json()["peers"], first.json()["peers_results_needed"]) == (None, 5)
    assert first.json()["feedback"] is None
    assert retry.status_code == 200
    assert retry.json()["peers"]["results"] == 10
    assert retry.json()["peers"]["same_lean_percent"] == 50


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
    assert all(bar["count"] % peers.COUNT_STEP == 0 for bar in bars)  # rounded
    assert [bar["you"] for bar in bars].count(True) == 1


def test_fewer_than_five_results_make_no_bar_even_when_shown(person_api, person, version, settings):
    settings.PEERS_MIN_RESULTS = 1
    mine = submit(version, person)
    others_submit(version, 3, [DATA])

    figures = detail(person_api, mine)["peers"]

    assert figures["results"] is None  # shown from 1 here, but never a count under 5
    assert figures["histogram"] == []


def test_the_cached_result_changes_when_someone_else_submits_or_deletes(
    person_api, person, version, settings, django_assert_num_queries
):
    settings.PEERS_MIN_RESULTS = 5
    mine = submit(version, person)
    (theirs, *_) = others_submit(version, 3)

    assert detail(person_api, mine)["peers_results_needed"] == 5
    with django_assert_num_queries(1):  # the token; the answer from the cache
        assert detail(person_api, mine)["peers"] is None

    later = submit(version, UserFactory(), [DATA])
    assert detail(person_api, mine)["peers"]["results"] == 5

    with committed():
        assessment_delete(assessment_id=later.pk, user=later.user)
    body = detail(person_api, mine)
    assert (body["peers"], body["peers_results_needed"]) == (None, 5)

    submit(version, UserFactory(), [DATA])
    assert detail(person_api, mine)["peers"]["results"] == 5
    with committed():
        assessment_delete(assessment_id=theirs.pk, user=theirs.user)
    assert detail(person_api, mine)["peers_results_needed"] == 5


def test_the_cached_result_changes_when_the_owner_deletes_their_latest_result(
    person_api, person, version, settings
):
    settings.PEERS_MIN_RESULTS = 5
    others_submit(version, 4, [MLOPS])
    mine = submit(version, person)
    latest = submit(version, person, [DATA])  # counts in place of `mine`
    # 4 at +100 and the person's latest at -100: one bar over the whole width.
    assert [bar["from"] for bar in detail(person_api, mine)["peers"]["histogram"]] == [-100]

    assert person_api.delete(f"/api/v1/assessments/{latest.pk}/").status_code == 204

    # `mine` counts again: all five at +100.
    assert [bar["from"] for bar in detail(person_api, mine)["peers"]["histogram"]] == [90]
    assert person_api.get(f"/api/v1/assessments/{latest.pk}/").status_code == 404


def test_the_history_list_stays_without_figures(person_api, person, version, settings):
    settings.PEERS_MIN_RESULTS = 1
    submit(version, person)

    (row,) = person_api.get("/api/v1/assessments/").json()["results"]

    assert "peers" not in row and "feedback" not in row


@pytest.mark.parametrize("others", [5, 50])
def test_a_result_costs_a_fixed_number_of_queries(
    person_api, person, version, settings, django_assert_num_queries, others
):
    settings.PEERS_MIN_RESULTS = 5
    mine = submit(version, person)
    for index in range(others):
        submit(version, UserFactory(), LEANS[index % len(LEANS)])
    feedback_set(assessment_id=mine.pk, user=person, feels_right=True)
    peers_reference_role()  # from the catalog cache, as on a warm site
    peers_version()  # the shared versions, read at most once a second by each process

    # the token with its user, the result with its version, top role and feedback, its scores,
    # reasons and tools, and the version's kept counts.
    with django_assert_num_queries(6):
        body = detail(person_api, mine)
    assert body["peers"]["results"] == peers.shown_count(others + 1)
    assert body["feedback"]["feels_right"] is True
    with django_assert_num_queries(1):
        detail(person_api, mine)
