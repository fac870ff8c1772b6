"""Re-scoring an old result under a newer version: which answers carry, and what moved it."""

from fractions import Fraction

import pytest

from assessments.rescoring import (
    ANSWERED,
    REMOVED,
    REWEIGHTED,
    KeyedQuestion,
    carried_answers,
    compare,
)
from quizzes import scoring

ROLES = ["mlops", "data"]


def question(key, **choices):
    """choices: choice key -> (mlops weight, data weight)."""
    return KeyedQuestion(
        key=key,
        text=f"Question {key}?",
        choices={choice: {"mlops": m, "data": d} for choice, (m, d) in choices.items()},
        choice_texts={choice: f"Answer {choice}" for choice in choices},
    )


Q_BUILD = question("build", models=(3, 0), pipelines=(0, 3))
Q_TEAM = question("team", research=(2, 0), analysts=(0, 2))
Q_ON_CALL = question("on-call", yes=(1, 1), no=(0, 0))
OLD = [Q_BUILD, Q_TEAM, Q_ON_CALL]
OLD_ANSWERS = {"build": "models", "team": "research", "on-call": "yes"}


def total_effects(comparison, role):
    return sum(
        (change.effects.get(role, Fraction(0)) for change in comparison.changes), Fraction(0)
    )


def assert_effects_add_up(comparison, roles):
    for role in roles:
        old = next((fit.fit for fit in comparison.old.fits if fit.role == role), Fraction(0))
        new = next(fit.fit for fit in comparison.new.fits if fit.role == role)
        assert total_effects(comparison, role) == new - old


def test_answers_carry_by_question_and_choice_key():
    renamed_choice = question("team", research=(2, 0), stakeholders=(0, 2))
    new_questions = [Q_BUILD, renamed_choice, question("cloud", aws=(1, 1), none=(0, 0))]
    carried, missing = carried_answers({"build": "pipelines", "team": "analysts"}, new_questions)
    assert carried == {"build": "pipelines"}
    assert missing == ["team", "cloud"]  # the chosen choice is gone; a new question


def test_the_same_version_changes_nothing():
    comparison = compare(
        old_questions=OLD,
        old_answers=OLD_ANSWERS,
        old_roles=ROLES,
        new_questions=OLD,
        new_answers=OLD_ANSWERS,
        new_roles=ROLES,
    )
    assert comparison.changes == []
    assert comparison.old.fits == comparison.new.fits


def test_a_removed_question_tells_its_effect():
    comparison = compare(
        old_questions=OLD,
        old_answers=OLD_ANSWERS,
        old_roles=ROLES,
        new_questions=[Q_BUILD, Q_TEAM],
        new_answers={"build": "models", "team": "research"},
        new_roles=ROLES,
    )
    (change,) = comparison.changes
    assert (change.kind, change.question, change.answer) == (REMOVED, "on-call", "Answer yes")
    # data had 1 of 6 points (17%), and now 0 of 5; mlops 6 of 6 and now 5 of 5.
    assert change.effects == {"mlops": Fraction(0), "data": Fraction(-100, 6)}
    assert_effects_add_up(comparison, ROLES)


def test_an_added_question_is_answered_and_tells_its_effect():
    cloud = question("cloud", aws=(0, 4), none=(0, 0))
    comparison = compare(
        old_questions=OLD,
        old_answers=OLD_ANSWERS,
        old_roles=ROLES,
        new_questions=[*OLD, cloud],
        new_answers={**OLD_ANSWERS, "cloud": "aws"},
        new_roles=ROLES,
    )
    (change,) = comparison.changes
    assert (change.kind, change.question, change.answer) == (ANSWERED, "cloud", "Answer aws")
    assert change.effects["data"] > 0
    assert comparison.new.percent("data") == 50  # 5 of 10
    assert_effects_add_up(comparison, ROLES)


def test_a_carried_answer_whose_weights_changed_is_reweighted():
    heavier = question("team", research=(2, 0), analysts=(0, 6))
    comparison = compare(
        old_questions=OLD,
        old_answers=OLD_ANSWERS,
        old_roles=ROLES,
        new_questions=[Q_BUILD, heavier, Q_ON_CALL],
        new_answers=OLD_ANSWERS,
        new_roles=ROLES,
    )
    (change,) = comparison.changes
    assert (change.kind, change.question, change.answer) == (REWEIGHTED, "team", "Answer research")
    # Only the most data could score grew (6 instead of 2): its fit falls, mlops' stays.
    assert change.effects["mlops"] == 0 and change.effects["data"] < 0
    assert_effects_add_up(comparison, ROLES)


def test_a_question_whose_chosen_choice_is_gone_is_removed_then_answered():
    reworded = question("team", research_lab=(2, 0), analysts=(0, 2))
    comparison = compare(
        old_questions=OLD,
        old_answers=OLD_ANSWERS,
        old_roles=ROLES,
        new_questions=[Q_BUILD, reworded, Q_ON_CALL],
        new_answers={**OLD_ANSWERS, "team": "analysts"},
        new_roles=ROLES,
    )
    assert [(change.kind, change.question) for change in comparison.changes] == [
        (REMOVED, "team"),
        (ANSWERED, "team"),
    ]
    # models (3, 0) + analysts (0, 2) + yes (1, 1): mlops 4 of 6, data 3 of 6.
    assert (comparison.new.percent("mlops"), comparison.new.percent("data")) == (67, 50)
    assert_effects_add_up(comparison, ROLES)


def test_a_version_with_a_new_role_counts_it_from_zero():
    roles = [*ROLES, "analytics"]
    with_role = [
        KeyedQuestion(
            key=q.key,
            text=q.text,
            choices={c: {**w, "analytics": 1} for c, w in q.choices.items()},
            choice_texts=q.choice_texts,
        )
        for q in OLD
    ]
    comparison = compare(
        old_questions=OLD,
        old_answers=OLD_ANSWERS,
        old_roles=ROLES,
        new_questions=with_role,
        new_answers=OLD_ANSWERS,
        new_roles=roles,
    )
    assert comparison.old.percent("analytics") is None
    assert comparison.new.percent("analytics") == 100
    assert {change.kind for change in comparison.changes} == {REWEIGHTED}
    assert_effects_add_up(comparison, roles)


def test_every_kind_at_once_adds_up_and_follows_the_old_to_the_new_order():
    heavier_build = question("build", models=(5, 0), pipelines=(0, 3))
    cloud = question("cloud", aws=(0, 4), none=(0, 0))
    dashboards = question("dashboards", love=(0, 2), avoid=(1, 0))
    comparison = compare(
        old_questions=OLD,
        old_answers=OLD_ANSWERS,
        old_roles=ROLES,
        new_questions=[heavier_build, Q_TEAM, cloud, dashboards],
        new_answers={"build": "models", "team": "research", "cloud": "aws", "dashboards": "love"},
        new_roles=ROLES,
    )
    assert [(change.kind, change.question) for change in comparison.changes] == [
        (REMOVED, "on-call"),
        (REWEIGHTED, "build"),
        (ANSWERED, "cloud"),
        (ANSWERED, "dashboards"),
    ]
    assert_effects_add_up(comparison, ROLES)


def test_a_missing_answer_to_a_new_question_is_refused():
    with pytest.raises(scoring.ScoringError, match="cloud"):
        compare(
            old_questions=OLD,
            old_answers=OLD_ANSWERS,
            old_roles=ROLES,
            new_questions=[*OLD, question("cloud", aws=(0, 4), none=(0, 0))],
            new_answers=OLD_ANSWERS,
            new_roles=ROLES,
        )
