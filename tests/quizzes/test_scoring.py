"""Unit tests of the pure scoring functions: no database."""

from fractions import Fraction

import pytest

from quizzes.scoring import (
    QuestionWeights,
    ScoringError,
    margin_in_words,
    max_points,
    role_fits,
    score,
)

ROLES = ["mlops", "data"]


def _question(question_id, **choices):
    """_question(1, a={"mlops": 4}, b={"data": 4}) with choice ids derived from the names."""
    return QuestionWeights(
        question_id=question_id,
        choices={_choice_id(question_id, name): weights for name, weights in choices.items()},
    )


def _choice_id(question_id, name):
    return question_id * 10 + "abcd".index(name)


def _balanced_quiz(size=4):
    return [
        _question(
            number,
            a={"mlops": 4, "data": 0},
            b={"mlops": 0, "data": 4},
            c={"mlops": 2, "data": 2},
        )
        for number in range(1, size + 1)
    ]


def _answers(questions, names):
    return {
        question.question_id: _choice_id(question.question_id, name)
        for question, name in zip(questions, names, strict=True)
    }


def test_all_mlops_answers_score_100_and_0():
    questions = _balanced_quiz()
    result = score(questions, _answers(questions, "aaaa"), ROLES)

    assert [(fit.role, fit.percent) for fit in result.fits] == [("mlops", 100), ("data", 0)]
    assert result.top_role == "mlops"
    assert result.margin == 100


def test_all_data_answers_score_100_for_data():
    questions = _balanced_quiz()
    result = score(questions, _answers(questions, "bbbb"), ROLES)

    assert result.top_role == "data"
    assert [fit.percent for fit in result.fits] == [100, 0]


def test_fit_is_a_percent_of_the_most_each_role_could_score():
    questions = [
        _question(1, a={"mlops": 3, "data": 1}, b={"mlops": 0, "data": 2}),
        _question(2, a={"mlops": 1, "data": 0}, b={"mlops": 0, "data": 2}),
    ]
    fits = {fit.role: fit for fit in role_fits(questions, _answers(questions, "aa"), ROLES)}

    assert max_points(questions, "mlops") == 4
    assert max_points(questions, "data") == 4
    assert fits["mlops"].points == 4 and fits["mlops"].percent == 100
    assert fits["data"].points == 1 and fits["data"].fit == Fraction(25)


def test_a_tie_goes_to_the_role_listed_first():
    questions = _balanced_quiz(2)
    answers = _answers(questions, "ab")

    assert score(questions, answers, ["mlops", "data"]).top_role == "mlops"
    assert score(questions, answers, ["data", "mlops"]).top_role == "data"
    assert score(questions, answers, ROLES).margin == 0


def test_exact_fractions_decide_ties_not_rounded_percents():
    # 2/3 (66.67%) and 6665/10000 (66.65%) both show as 67%, but mlops is really ahead.
    questions = [_question(1, a={"mlops": 2, "data": 6665}, b={"mlops": 3, "data": 10_000})]
    result = score(questions, _answers(questions, "a"), ["data", "mlops"])

    assert [(fit.role, fit.percent) for fit in result.fits] == [("mlops", 67), ("data", 67)]
    assert result.margin == 0


def test_zero_weights_everywhere_score_zero_without_dividing_by_zero():
    questions = [_question(1, a={"mlops": 0, "data": 0}, b={"mlops": 0, "data": 0})]
    result = score(questions, _answers(questions, "a"), ROLES)

    assert [fit.percent for fit in result.fits] == [0, 0]
    assert result.top_role == "mlops"
    assert result.reasons == ()


def test_a_role_with_no_weights_at_all_scores_zero():
    questions = _balanced_quiz(2)
    result = score(questions, _answers(questions, "aa"), [*ROLES, "new-role"])

    assert {fit.role: fit.percent for fit in result.fits}["new-role"] == 0
    assert result.fits[-1].max_points == 0


def test_mixed_answers_land_in_the_middle():
    questions = _balanced_quiz(4)
    result = score(questions, _answers(questions, "abab"), ROLES)

    assert [fit.percent for fit in result.fits] == [50, 50]
    assert margin_in_words(result.margin) == "a close call"


def test_reasons_are_the_three_answers_that_pushed_most_towards_the_top_role():
    questions = _balanced_quiz(6)
    # c (2/2) pushes nothing; a pushes towards mlops; b away from it.
    result = score(questions, _answers(questions, "cacaab"), ROLES)

    assert result.top_role == "mlops"
    assert [reason.question_id for reason in result.reasons] == [2, 4, 5]
    assert all(reason.push == Fraction(100 * 4, 24) for reason in result.reasons)


def test_push_is_the_share_of_the_top_role_minus_the_share_of_the_runner_up():
    questions = [
        _question(1, a={"mlops": 4, "data": 1}, b={"mlops": 0, "data": 4}),
        _question(2, a={"mlops": 3, "data": 0}, b={"mlops": 1, "data": 3}),
        _question(3, a={"mlops": 2, "data": 2}, b={"mlops": 0, "data": 1}),
    ]
    result = score(questions, _answers(questions, "aba"), ROLES)

    # mlops 7/9, data 6/9. Question 1 pushes 4/9 - 1/9; question 2 pulls; question 3 is even.
    assert result.top_role == "mlops"
    assert [(reason.question_id, reason.push) for reason in result.reasons] == [
        (1, Fraction(300, 9))
    ]


def test_fewer_than_three_reasons_when_fewer_answers_pushed():
    questions = _balanced_quiz(3)
    result = score(questions, _answers(questions, "acc"), ROLES)

    assert [reason.question_id for reason in result.reasons] == [1]


@pytest.mark.parametrize(
    "answers",
    [
        {1: 10},  # question 2 unanswered
        {1: 10, 2: 20, 3: 30},  # an unknown question
        {1: 10, 2: 10},  # a choice of another question
    ],
)
def test_incomplete_or_foreign_answers_are_refused(answers):
    with pytest.raises(ScoringError):
        score(_balanced_quiz(2), answers, ROLES)


def test_no_roles_is_refused():
    with pytest.raises(ScoringError):
        score(_balanced_quiz(1), {1: 10}, [])


@pytest.mark.parametrize(
    ("margin", "words"),
    [(0, "a close call"), (9, "a close call"), (10, "a clear lean"), (100, "a clear lean")],
)
def test_margin_in_words(margin, words):
    assert margin_in_words(margin) == words
