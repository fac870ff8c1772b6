"""The evidence module (quizzes/evidence.py): hand-worked examples, published table values and
properties that must hold for any data."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from quizzes import evidence

# Four people, three questions (rows: people; columns: questions).
FOUR_BY_THREE = [[1, 1, 1], [0, 1, 0], [0, 0, 0], [1, 1, 0]]


# --- Wilson ---------------------------------------------------------------------------------


def test_wilson_interval_for_eight_of_ten():
    # p = 0.8, z² = 3.8415, n = 10: centre = (0.8 + 0.19207)/(1.38415) = 0.71681;
    # half = 1.96/1.38415 · sqrt(0.016 + 0.0096037) = 1.41602 · 0.16001 = 0.22665;
    # so 0.4902 .. 0.9433.
    low, high = evidence.wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4)
    assert high == pytest.approx(0.9433, abs=1e-4)


def test_wilson_interval_at_the_edges_stays_inside_zero_and_one():
    # 0 of 20: the lower end is exactly 0, the upper z²/(n + z²) = 3.8415/23.8415 = 0.1611.
    low, high = evidence.wilson_interval(0, 20)
    assert low == 0
    assert high == pytest.approx(0.1611, abs=1e-4)
    assert evidence.wilson_interval(20, 20)[1] == 1
    assert evidence.wilson_interval(0, 0) == (0.0, 1.0)


def test_wilson_interval_refuses_more_successes_than_trials():
    with pytest.raises(ValueError):
        evidence.wilson_interval(11, 10)


@given(
    st.integers(min_value=1, max_value=5000).flatmap(
        lambda n: st.tuples(st.just(n), st.integers(0, n))
    )
)
def test_wilson_interval_holds_the_share_and_lies_in_zero_one(case):
    n, successes = case
    low, high = evidence.wilson_interval(successes, n)
    assert 0 <= low <= successes / n <= high <= 1


# --- Cronbach's alpha, item-total, alpha if deleted ------------------------------------------


def test_alpha_worked_by_hand():
    # Question variances (population): q1 [1,0,0,1] 0.25; q2 [1,1,0,1] 0.1875; q3 [1,0,0,0]
    # 0.1875; sum 0.625. Totals [3,1,0,2], mean 1.5, variance (2.25+0.25+2.25+0.25)/4 = 1.25.
    # alpha = 3/2 · (1 - 0.625/1.25) = 0.75.
    assert evidence.cronbach_alpha(FOUR_BY_THREE) == pytest.approx(0.75)


def test_corrected_item_total_worked_by_hand():
    # q1 against the rest [2,1,0,1]: deviations [.5,-.5,-.5,.5] and [1,0,-1,0], covariance
    # 1/4 = 0.25, variances 0.25 and 0.5: r = 0.25/sqrt(0.125) = 0.7071.
    # q2 against [2,0,0,1]: covariance 0.75/4 = 0.1875, variances 0.1875 and 0.6875:
    # r = sqrt(0.1875/0.6875) = 0.5222; q3 is q2's mirror case, the same.
    correlations = evidence.corrected_item_total(FOUR_BY_THREE)
    assert correlations == pytest.approx([0.7071, 0.5222, 0.5222], abs=1e-4)


def test_a_question_pulling_against_the_rest_has_a_negative_correlation():
    scores = [[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 1], [1, 0, 0]]
    assert evidence.corrected_item_total(scores)[2] < 0


def test_alpha_if_deleted_worked_by_hand():
    # Without q1: variances 0.1875 + 0.1875 = 0.375, totals [2,1,0,1] variance 0.5:
    # alpha = 2 · (1 - 0.375/0.5) = 0.5. Without q2: variances 0.4375, totals [2,0,0,1]
    # (variance 0.6875): 2 · (1 - 0.4375/0.6875) = 0.7273; q3 the same.
    assert evidence.alpha_if_deleted(FOUR_BY_THREE) == pytest.approx(
        [0.5, 0.7273, 0.7273], abs=1e-4
    )


def test_alpha_is_none_without_variation_or_with_one_question():
    assert evidence.cronbach_alpha([[1, 1], [1, 1], [1, 1]]) is None
    assert evidence.cronbach_alpha([[1], [0]]) is None
    assert evidence.cronbach_alpha([[1, 0]]) is None
    assert evidence.corrected_item_total([[1, 0], [1, 1]]) == [None, None]


def test_a_question_copied_once_more_raises_alpha_here():
    # FOUR_BY_THREE with q1 twice: variances 0.25·2 + 0.375 = 0.875; totals [4,1,0,3], mean
    # 2, variance (4+1+4+1)/4 = 2.5; alpha = 4/3 · (1 - 0.875/2.5) = 0.8667 > 0.75.
    copied = [[*row, row[0]] for row in FOUR_BY_THREE]
    assert evidence.cronbach_alpha(copied) == pytest.approx(0.8667, abs=1e-4)


# --- Feldt and the F distribution -----------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "df1", "df2", "table"),
    [
        (0.95, 1, 1, 161.448),
        (0.95, 5, 10, 3.3258),
        (0.975, 3, 6, 6.5988),
        (0.975, 6, 3, 14.735),
        # F(1, d) is Student's t squared: t(0.975; 10) = 2.2281, squared 4.9646.
        (0.95, 1, 10, 4.9646),
    ],
)
def test_f_quantiles_match_published_tables(p, df1, df2, table):
    assert evidence.f_quantile(p, df1, df2) == pytest.approx(table, rel=1e-4)


def test_f_quantile_inverts_the_cdf_for_many_degrees_of_freedom():
    x = evidence.f_quantile(0.975, 199, 199 * 23)
    assert evidence.f_cdf(x, 199, 199 * 23) == pytest.approx(0.975, abs=1e-9)


def test_feldt_interval_worked_by_hand():
    # alpha 0.75 from 4 people and 3 questions: df 3 and 6. F(0.975; 3, 6) = 6.5988 and
    # F(0.025; 3, 6) = 1/F(0.975; 6, 3) = 1/14.735 = 0.06787. Lower 1 - 0.25 · 6.5988 =
    # -0.6497; upper 1 - 0.25 · 0.06787 = 0.9830.
    low, high = evidence.feldt_interval(0.75, people=4, questions=3)
    assert low == pytest.approx(-0.6497, abs=1e-4)
    assert high == pytest.approx(0.9830, abs=1e-4)
    assert evidence.feldt_interval(0.75, people=1, questions=3) is None


# --- properties of alpha --------------------------------------------------------------------

score_values = st.sampled_from([-1.0, -0.5, 0.0, 0.5, 1.0])


@st.composite
def score_matrices(draw, min_people=2, min_questions=2):
    questions = draw(st.integers(min_questions, 6))
    people = draw(st.integers(min_people, 15))
    return [[draw(score_values) for _ in range(questions)] for _ in range(people)]


@given(score_matrices())
def test_alpha_is_at_most_one(scores):
    alpha = evidence.cronbach_alpha(scores)
    assume(alpha is not None)
    assert alpha <= 1 + 1e-9


@given(score_matrices(), st.randoms(use_true_random=False))
def test_the_order_of_questions_or_people_changes_nothing(scores, random):
    people = list(scores)
    random.shuffle(people)
    order = list(range(len(scores[0])))
    random.shuffle(order)
    shuffled = [[row[index] for index in order] for row in people]
    alpha, shuffled_alpha = evidence.cronbach_alpha(scores), evidence.cronbach_alpha(shuffled)
    if alpha is None:
        assert shuffled_alpha is None
    else:
        assert shuffled_alpha == pytest.approx(alpha, abs=1e-9)
    correlations = evidence.corrected_item_total(scores)
    assert [
        value if value is None else pytest.approx(value, abs=1e-9)
        for value in (correlations[index] for index in order)
    ] == evidence.corrected_item_total(shuffled)


@given(score_matrices())
def test_every_question_copied_twice_raises_alpha(scores):
    # Giving each question twice: alpha' = 2k/(2k-1) · (1 - r/2) with r = (sum of the
    # variances)/(variance of the totals), and alpha' >= alpha exactly when r >= 1/k, which
    # Cauchy-Schwarz guarantees (var of a sum of k <= k · sum of the variances).
    alpha = evidence.cronbach_alpha(scores)
    assume(alpha is not None)
    doubled = [[*row, *row] for row in scores]
    assert evidence.cronbach_alpha(doubled) >= alpha - 1e-9


# --- item scores ----------------------------------------------------------------------------


def test_item_score_is_the_share_of_each_roles_most_in_the_question():
    # The question's most: mlops 4, data 2. The choice gives mlops 2 (half of 4) and data 2
    # (all of 2): 0.5 - 1 = -0.5.
    choices = {1: {"mlops": 4, "data": 0}, 2: {"mlops": 2, "data": 2}, 3: {"mlops": 0}}
    maxima = evidence.question_maxima(choices)
    assert maxima == {"mlops": 4, "data": 2}
    assert evidence.item_score(choices[2], maxima, "mlops", "data") == -0.5
    assert evidence.item_score(choices[1], maxima, "mlops", "data") == 1
    assert evidence.item_score({}, {}, "mlops", "data") == 0


# --- agreement by margin --------------------------------------------------------------------


def test_margin_bands_and_agreement_counts():
    assert [evidence.margin_band(m, 10) for m in (0, 9, 10, 19, 20, 100)] == [
        "close",
        "close",
        "middle",
        "middle",
        "clear",
        "clear",
    ]
    counts = evidence.agreement_by_band([(3, True), (5, False), (12, True), (40, True)], 10)
    assert counts == {"close": (2, 1), "middle": (1, 1), "clear": (1, 1)}


def test_rises_says_when_agreement_does_not_grow_with_the_margin():
    assert evidence.rises([0.4, 0.6, 0.8]) is True
    assert evidence.rises([0.4, None, 0.8]) is True
    assert evidence.rises([0.7, 0.6, 0.8]) is False
    assert evidence.rises([None, 0.6, None]) is None


# --- retest ---------------------------------------------------------------------------------

DAY0 = datetime(2026, 1, 1, tzinfo=UTC)


def _taken(person, days, role, version=1):
    return evidence.Taken(
        person=person, version=version, at=DAY0 + timedelta(days=days), top_role=role
    )


def test_retest_counts_people_who_came_back_between_14_and_90_days():
    results = [
        _taken("ana", 0, "mlops"),
        _taken("ana", 30, "mlops"),  # 30 days: kept the role
        _taken("ben", 0, "mlops"),
        _taken("ben", 20, "data"),  # 20 days: changed
        _taken("cai", 0, "mlops"),
        _taken("cai", 5, "data"),  # 5 days: too soon, and 5 -> 100 is too late
        _taken("cai", 100, "data"),
        _taken("dee", 0, "mlops"),
        _taken("dee", 14, "mlops"),  # exactly 14: counts
        _taken("dee", 50, "data"),  # a third result: the person counts once
        _taken("eve", 0, "mlops", version=2),
        _taken("eve", 90, "mlops", version=2),  # exactly 90: counts, on version 2
    ]
    assert evidence.retest_pairs(results) == {1: (3, 2), 2: (1, 1)}


# --- settled --------------------------------------------------------------------------------

# Three questions, each with a choice worth 2 to "a" and one worth 2 to "b": each role's most
# is 6, so a choice is worth 100·2/6 = 33.3 points of fit.
THREE_EVEN = [{1: {"a": 2, "b": 0}, 2: {"a": 0, "b": 2}}] * 3


def test_settled_after_the_lead_exceeds_what_is_left():
    # After q1 (a): lead 33.3, two questions left could give b 66.7: open.
    # After q2 (a): lead 66.7, one question left could give b 33.3: settled after 2.
    assert evidence.settled_after(THREE_EVEN, [1, 1, 2], ["a", "b"]) == 2
    # a, b, ...: after q2 the lead is 0: only the last question settles it.
    assert evidence.settled_after(THREE_EVEN, [1, 2, 1], ["a", "b"]) == 3


def test_settled_counts_a_tie_for_the_role_listed_first():
    # After q2 of four (a, a) the lead is 2·25 = 50 and the two left could give b 50: a tie
    # at worst, which goes to "a" (listed first), so settled after 2. The other way round
    # (b, b, a, a) b leads by 50 then 25 with 50 then 25 left for a: a tie at worst each time,
    # which "b" would lose, so only the last question settles it (a wins the final tie).
    four = [{1: {"a": 2, "b": 0}, 2: {"a": 0, "b": 2}}] * 4
    assert evidence.settled_after(four, [1, 1, 2, 2], ["a", "b"]) == 2
    assert evidence.settled_after(four, [2, 2, 1, 1], ["a", "b"]) == 4


def test_settled_when_the_questions_left_all_favour_the_runner_up():
    # The most: a 3 (all in q1), b 2 + 2 = 4. Choice 1 gives a 100·3/3 = 100 and b
    # 100·2/4 = 50: a leads by 50 after q1, and q2 can only add to b, at most 50 (choice 3):
    # a tie at worst, which a wins as listed first: settled after 1, although b is the one
    # gaining. With b listed first b would win that tie, so only the last question settles.
    questions = [
        {1: {"a": 3, "b": 2}, 2: {"a": 0, "b": 2}},
        {3: {"a": 0, "b": 2}, 4: {"a": 0, "b": 1}},
    ]
    assert evidence.settled_after(questions, [1, 4], ["a", "b"]) == 1
    assert evidence.settled_after(questions, [1, 4], ["b", "a"]) == 2


@given(
    st.lists(st.integers(0, 1), min_size=1, max_size=8),
    st.lists(st.integers(0, 3), min_size=8, max_size=8),
)
@settings(max_examples=60)
def test_settled_means_no_other_answers_to_the_rest_change_the_top_role(picks, weights):
    # Brute force: from the question it says, every way of answering the rest gives the
    # same top role as the answers given.
    questions = [
        {10 * i + 1: {"a": weights[i], "b": 1}, 10 * i + 2: {"a": 1, "b": weights[-1 - i]}}
        for i in range(len(picks))
    ]
    chosen = [10 * i + 1 + pick for i, pick in enumerate(picks)]
    settled = evidence.settled_after(questions, chosen, ["a", "b"])
    assert 1 <= settled <= len(picks)

    def top(answers):
        most = {r: sum(max(w.get(r, 0) for w in q.values()) for q in questions) for r in "ab"}
        fit = {
            r: sum(q[c].get(r, 0) for q, c in zip(questions, answers, strict=True)) / most[r]
            if most[r]
            else 0
            for r in "ab"
        }
        return "a" if fit["a"] >= fit["b"] - 1e-12 else "b"

    expected = top(chosen)
    rest = len(picks) - settled
    for combination in range(2**rest):
        tail = [10 * (settled + j) + 1 + ((combination >> j) & 1) for j in range(rest)]
        assert top(chosen[:settled] + tail) == expected
