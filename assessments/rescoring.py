"""Reading an old result under a newer quiz version: pure functions, no ORM, no I/O.

Questions and choices are matched by their keys (editors keep a key while a question keeps
its meaning, and give it a new one when the meaning changes). An old answer carries over when
the new version has the same question key with the same choice key; every other question of
the new version must be answered afresh.

What moved the result is told as a chain of single changes, applied one after another from
the old reading to the new one, each re-scored with scoring.role_fits: questions removed,
carried answers whose weights changed, then questions answered afresh. Each change's effect on
a role is the difference in that role's fit (percentage points) it made at its turn, so the
effects add up exactly to the difference between the old and the new fit.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from quizzes import scoring

REMOVED, REWEIGHTED, ANSWERED = "removed", "reweighted", "answered"


@dataclass(frozen=True)
class KeyedQuestion:
    """A question as the comparison sees it: its key and text, and for each choice key the
    choice's text and its weight per role."""

    key: str
    text: str
    choices: Mapping[str, Mapping[str, int]]  # choice key -> role -> weight
    choice_texts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    kind: str  # REMOVED, REWEIGHTED or ANSWERED
    question: str  # the question's key
    text: str
    answer: str  # the choice's text (the old one for a removed question)
    effects: Mapping[str, Fraction]  # role -> percentage points this change moved its fit


@dataclass(frozen=True)
class Reading:
    fits: tuple[scoring.RoleFit, ...]  # best first

    @property
    def top_role(self) -> str:
        return self.fits[0].role

    @property
    def margin(self) -> int:
        return scoring.margin(self.fits)

    def percent(self, role: str) -> int | None:
        return next((fit.percent for fit in self.fits if fit.role == role), None)


@dataclass(frozen=True)
class Comparison:
    old: Reading
    new: Reading
    changes: list[Change]


def carried_answers(
    old_answers: Mapping[str, str], new_questions: Sequence[KeyedQuestion]
) -> tuple[dict[str, str], list[str]]:
    """(answers that carry over, keys of the new questions still to answer, in order)."""
    carried, missing = {}, []
    for question in new_questions:
        choice = old_answers.get(question.key)
        if choice is not None and choice in question.choices:
            carried[question.key] = choice
        else:
            missing.append(question.key)
    return carried, missing


def _fits(
    questions: Mapping[str, KeyedQuestion], answers: Mapping[str, str], roles: Sequence[str]
) -> tuple[scoring.RoleFit, ...]:
    """scoring.role_fits over keyed questions (numbered in their given order)."""
    numbered = {key: number for number, key in enumerate(questions, 1)}
    weights = [
        scoring.QuestionWeights(
            question_id=numbered[key],
            choices={
                index: question.choices[choice_key]
                for index, choice_key in enumerate(question.choices, 1)
            },
        )
        for key, question in questions.items()
    ]
    choice_number = {
        key: {choice_key: index for index, choice_key in enumerate(question.choices, 1)}
        for key, question in questions.items()
    }
    chosen = {numbered[key]: choice_number[key][answers[key]] for key in questions}
    return tuple(scoring.role_fits(weights, chosen, roles))


def _fit_of(fits: Sequence[scoring.RoleFit], role: str) -> Fraction:
    return next((fit.fit for fit in fits if fit.role == role), Fraction(0))


def compare(
    *,
    old_questions: Sequence[KeyedQuestion],
    old_answers: Mapping[str, str],
    old_roles: Sequence[str],
    new_questions: Sequence[KeyedQuestion],
    new_answers: Mapping[str, str],
    new_roles: Sequence[str],
) -> Comparison:
    """The old reading, the new one, and the changes between them. `new_answers` must answer
    every new question (carried answers and fresh ones); raises ScoringError otherwise."""
    new_by_key = {question.key: question for question in new_questions}
    missing = [key for key in new_by_key if new_answers.get(key) not in new_by_key[key].choices]
    if missing:
        raise scoring.ScoringError(f"Answers missing for: {', '.join(missing)}.")
    roles = list(dict.fromkeys([*new_roles, *old_roles]))
    state = {question.key: question for question in old_questions}
    answers = dict(old_answers)
    old_fits = _fits(state, answers, old_roles)
    current = _fits(state, answers, roles)
    changes: list[Change] = []

    def step(kind: str, key: str, question: KeyedQuestion, choice: str) -> None:
        nonlocal current
        after = _fits(state, answers, roles) if state else current
        effects = {role: _fit_of(after, role) - _fit_of(current, role) for role in roles}
        changes.append(
            Change(
                kind=kind,
                question=key,
                text=question.text,
                answer=question.choice_texts.get(choice, choice),
                effects=effects,
            )
        )
        current = after

    for old in old_questions:
        new = new_by_key.get(old.key)
        if new is None or new_answers[old.key] != old_answers.get(old.key):
            choice = answers.pop(old.key)
            del state[old.key]
            if state:
                step(REMOVED, old.key, old, choice)
            else:  # the last question gone: nothing left to score until answers come in
                changes.append(
                    Change(REMOVED, old.key, old.text, old.choice_texts.get(choice, choice), {})
                )
    for new in new_questions:
        if new.key in state and _weights_differ(state[new.key], new):
            state[new.key] = new
            step(REWEIGHTED, new.key, new, answers[new.key])
    for new in new_questions:
        if new.key not in state:
            state[new.key] = new
            answers[new.key] = new_answers[new.key]
            step(ANSWERED, new.key, new, answers[new.key])
    # Ordered as the new version orders its questions, so the new fit is read the same way.
    ordered = {question.key: question for question in new_questions}
    new_fits = _fits(ordered, {key: new_answers[key] for key in ordered}, new_roles)
    return Comparison(old=Reading(old_fits), new=Reading(new_fits), changes=changes)


def _weights_differ(old: KeyedQuestion, new: KeyedQuestion) -> bool:
    """A carried question scores differently when any weight of any choice changed (the most
    a role can score depends on every choice, not only the one chosen)."""
    return {key: dict(weights) for key, weights in old.choices.items()} != {
        key: dict(weights) for key, weights in new.choices.items()
    }
