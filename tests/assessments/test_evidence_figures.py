"""The evidence per version on /methodology/ and in GET methodology/: agreement by margin band
with Wilson intervals, alpha with Feldt's interval, retest consistency and the settled spread,
each under the people rule."""

import uuid
from datetime import timedelta

import pytest

from assessments.models import Assessment
from assessments.services.feedback import feedback_set
from quizzes import evidence
from tests.assessments.helpers import DATA, MLOPS, submit, text_of
from tests.factories import UserFactory, make_quiz_version

pytestmark = pytest.mark.django_db

# Lean patterns: varied enough that questions agree with one another (people lean one way
# throughout, with a few answers the other way), so alpha has something to measure.
PATTERNS = [
    (MLOPS,),
    (DATA,),
    (MLOPS, MLOPS, DATA),
    (DATA, DATA, MLOPS),
    (MLOPS, MLOPS, MLOPS, DATA),
]


def _people(version, count, *, margin, feels_right=None, start=0):
    """`count` people with a result each (margins set), and their answer to "does this feel
    right?" (a list of booleans, or None for no answer)."""
    results = []
    for index in range(count):
        result = submit(version, UserFactory(), PATTERNS[(start + index) % len(PATTERNS)])
        results.append(result)
    Assessment.objects.filter(pk__in=[r.pk for r in results]).update(margin=margin)
    for result, yes in zip(results, feels_right or [], strict=False):
        feedback_set(assessment_id=result.pk, user=result.user, feels_right=yes)
    return results


def _evidence_row(api, version):
    body = api.get("/api/v1/methodology/").json()["evidence"]
    assert set(body["definitions"]) == {"agreement", "interval", "consistency", "retest", "settled"}
    (row,) = [row for row in body["versions"] if row["version"] == version.pk]
    return row


def _wilson_percent(yes, n):
    low, high = evidence.wilson_interval(yes, n)
    return [round(100 * low), round(100 * high)]


def test_nothing_is_shown_until_enough_people(api, version, settings):
    settings.PEERS_MIN_RESULTS = 5
    _people(version, 4, margin=2, feels_right=[True, True, False, False])

    row = _evidence_row(api, version)

    assert row["shown"] is False
    assert row["people"] is None  # 4: fewer than 5
    assert row["agreement_by_margin"] == []
    assert row["internal_consistency"] is None
    assert row["retest"] is None
    assert row["settled"] == []


def test_agreement_by_margin_band_with_intervals_rising(api, version, settings):
    settings.PEERS_MIN_RESULTS = 5
    _people(version, 10, margin=2, feels_right=[True] * 5 + [False] * 5)
    _people(version, 10, margin=15, feels_right=[True] * 6 + [False] * 4, start=1)
    _people(version, 15, margin=30, feels_right=[True] * 10 + [False] * 5, start=2)

    row = _evidence_row(api, version)

    assert row["shown"] is True and row["people"] == 35
    close, middle, clear = row["agreement_by_margin"]
    # Close: 5 of 10 -> 50% [24, 76]. Middle: 6 of 10, but 4 said no (fewer than 5): no
    # share, only the rounded count. Clear: 10 of 15 -> 67% [42, 85].
    assert close == {
        "band": "close",
        "margin_from": 0,
        "margin_to": 10,
        "answers": {"n": 10, "yes": 5, "percent": 50, "interval": _wilson_percent(5, 10)},
    }
    assert _wilson_percent(5, 10) == [24, 76]
    assert middle["margin_from"] == 10 and middle["margin_to"] == 20
    assert middle["answers"] == {"n": 10, "yes": 5, "percent": None, "interval": None}
    assert clear["margin_to"] is None
    assert clear["answers"] == {
        "n": 15,
        "yes": 10,
        "percent": 67,
        "interval": _wilson_percent(10, 15),
    }
    assert row["agreement_rises"] is True


def test_bands_are_hidden_when_a_small_band_could_be_worked_out(api, version, settings):
    settings.PEERS_MIN_RESULTS = 5
    _people(version, 10, margin=2, feels_right=[True] * 5 + [False] * 5)
    _people(version, 10, margin=30, feels_right=[True] * 5 + [False] * 5)
    _people(version, 2, margin=15, feels_right=[True, False])  # 2 answers: could be derived

    assert _evidence_row(api, version)["agreement_by_margin"] == []


def test_the_page_says_when_agreement_does_not_rise(client, api, version, settings):
    settings.PEERS_MIN_RESULTS = 5
    _people(version, 15, margin=2, feels_right=[True] * 10 + [False] * 5)
    _people(version, 10, margin=30, feels_right=[True] * 5 + [False] * 5)

    assert _evidence_row(api, version)["agreement_rises"] is False
    page = text_of(client.get("/methodology/"))
    assert "agreement does not rise with the margin" in page
    assert "67%" in page and "42–85%" in page  # the close calls' share and its range


def test_internal_consistency_with_feldts_interval(api, client, version, settings):
    settings.PEERS_MIN_RESULTS = 5
    _people(version, 20, margin=30)

    consistency = _evidence_row(api, version)["internal_consistency"]

    assert consistency["n"] == 20
    assert consistency["questions"] == 14
    low, high = consistency["interval"]
    assert low <= consistency["alpha"] <= high <= 1
    # People lean one way through most questions: the questions agree strongly.
    assert consistency["alpha"] > 0.8
    assert f"Cronbach's alpha {consistency['alpha']}" in text_of(client.get("/methodology/"))


def test_retest_counts_people_who_came_back_within_14_to_90_days(api, version, settings):
    settings.PEERS_MIN_RESULTS = 5
    people = [UserFactory() for _ in range(10)]
    for index, person in enumerate(people):
        first = submit(version, person, (MLOPS,))
        Assessment.objects.filter(pk=first.pk).update(
            created_at=first.created_at - timedelta(days=30)
        )
        submit(version, person, (MLOPS,) if index < 6 else (DATA,))  # 6 keep, 4 change
    # A re-take after 3 days counts for nothing.
    quick = UserFactory()
    submit(version, quick)
    submit(version, quick, (DATA,))

    row = _evidence_row(api, version)

    # 10 people, 6 kept their role: 4 changed, fewer than 5, so no share.
    assert row["retest"] == {"n": 10, "yes": 5, "percent": None, "interval": None}


def test_retest_share_with_enough_on_both_sides(api, version, settings):
    settings.PEERS_MIN_RESULTS = 5
    for index in range(10):
        person = UserFactory()
        first = submit(version, person, (MLOPS,))
        Assessment.objects.filter(pk=first.pk).update(
            created_at=first.created_at - timedelta(days=20)
        )
        submit(version, person, (MLOPS,) if index < 5 else (DATA,))

    retest = _evidence_row(api, version)["retest"]

    assert retest == {"n": 10, "yes": 5, "percent": 50, "interval": _wilson_percent(5, 10)}


def test_settled_spread_and_median(api, version, settings):
    settings.PEERS_MIN_RESULTS = 5
    results = _people(version, 10, margin=30)
    settled = sorted(
        Assessment.objects.filter(pk__in=[r.pk for r in results]).values_list(
            "settled_at_question", flat=True
        )
    )

    row = _evidence_row(api, version)

    assert all(1 <= value <= 14 for value in settled)
    assert row["settled_median"] == settled[4]
    assert [part["up_to_percent"] for part in row["settled"]] == [25, 50, 75, 100]
    counts = [part["results"] for part in row["settled"]]
    assert all(count is None or count % 5 == 0 for count in counts)


@pytest.mark.parametrize("size", [1, 8])
def test_the_evidence_costs_seven_queries_whatever_the_numbers(
    api, site_content, settings, django_assert_num_queries, size
):
    settings.PEERS_MIN_RESULTS = 1
    for number in range(size):
        version = make_quiz_version(
            roles=site_content.roles, question_count=3, quiz=site_content.quiz, number=50 + number
        )
        for person in range(size):
            result = submit(version, UserFactory(), PATTERNS[person % len(PATTERNS)])
            feedback_set(assessment_id=result.pk, user=result.user, feels_right=True)

    # The figures' three, the follow-ups' outcomes, then the evidence's seven: the versions,
    # the counted results, their feedback, the roles, the weights, the answers, everyone's
    # results for the retest.
    with django_assert_num_queries(11):
        response = api.get("/api/v1/methodology/")
    assert len(response.json()["evidence"]["versions"]) == size + 1


@pytest.mark.parametrize("size", [1, 8])
def test_the_methodology_page_costs_a_fixed_number_of_queries(
    client, site_content, settings, django_assert_num_queries, size
):
    settings.PEERS_MIN_RESULTS = 1
    for number in range(size):
        version = make_quiz_version(
            roles=site_content.roles, question_count=3, quiz=site_content.quiz, number=50 + number
        )
        for person in range(size):
            submit(version, UserFactory(), PATTERNS[person % len(PATTERNS)])

    with django_assert_num_queries(11):  # as the API's, above
        response = client.get("/methodology/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card mb-3 version-evidence"') == size + 1


def test_a_result_settled_by_tie_breakers_counts_by_the_quizs_own_reading(
    api, version, site_content, settings
):
    # Tie-breakers must exist before anyone answers the version.
    from assessments.services.tie_breakers import tie_breakers_answer
    from tests.factories import add_tie_breakers

    settings.PEERS_MIN_RESULTS = 5
    tie_breakers = add_tie_breakers(version, roles=site_content.roles)
    people = [UserFactory() for _ in range(5)]
    for person in people:
        close = submit(version, person, (MLOPS, DATA))
        tie_breakers_answer(
            assessment_id=close.pk,
            user=person,
            answers=[(q.pk, q.choices.get(key=f"for-{DATA}").pk) for q in tie_breakers],
            client_id=uuid.uuid4(),
        )
        # Settled over 19 questions; the quiz's own reading was settled after 13 of 14.
        assert Assessment.objects.get(pk=close.pk).first_reading["settled_at_question"] == 13

    row = _evidence_row(api, version)

    assert row["settled_median"] == 13 and row["questions"] == 14
    assert [part["results"] for part in row["settled"]] == [None, None, None, 5]
    # Alpha is over the quiz's 14 questions, the tie-breakers' answers left out.
    assert row["internal_consistency"]["questions"] == 14


def test_the_evidence_and_its_limits_read_in_spanish(client, version, settings):
    settings.PEERS_MIN_RESULTS = 5
    _people(version, 10, margin=30)

    page = text_of(client.get("/es/methodology/"))

    assert "¿Puedes fiarte del resultado? Las pruebas hasta ahora" in page
    assert "autoinforme" in page  # the limits: self-report, who answers, small numbers
    assert "Alfa de Cronbach" in page
    assert "preguntas de desempate" in page
    body = client.get("/es/methodology/").content.decode()
    assert "Cronbach's alpha" not in body
