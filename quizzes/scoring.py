"""Career-fit scoring: pure functions, no ORM, no Django, no I/O.

A role's fit is the points its weights gave for the chosen answers, as a percentage of the most
that role could have scored on that quiz version (the highest weight for the role in each
question, added up). Percentages are kept as exact fractions until they are shown, so two roles
that really tie are seen to tie.

Tie rule: roles with equal fit are ranked by their catalog order, the role listed first wins.

Reasons: an answer's push towards the top role is its share of the top role's percent minus its
share of the runner-up's percent. The pushes add up to the margin between the two, so the three
largest positive pushes are the answers that decided the result.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from core.marks import gettext_noop

REASON_COUNT = 3
CLOSE_CALL_BELOW = 10  # percentage points


@dataclass(frozen=True)
class QuestionWeights:
    """One question: for each of its choices, the weight of that choice for each role."""

    question_id: int
    choices: Mapping[int, Mapping[str, int]]


@dataclass(frozen=True)
class RoleFit:
    role: str
    points: int
    max_points: int
    fit: Fraction  # 0..100

    @property
    def percent(self) -> int:
        return round_half_up(self.fit)


@dataclass(frozen=True)
class Reason:
    question_id: int
    choice_id: int
    push: Fraction  # percentage points towards the top role


@dataclass(frozen=True)
class Result:
    fits: tuple[RoleFit, ...]  # best first
    reasons: tuple[Reason, ...]

    @property
    def top_role(self) -> str:
        return self.fits[0].role

    @property
    def margin(self) -> int:
        return margin(self.fits)


class ScoringError(ValueError):
    pass


def round_half_up(value: Fraction) -> int:
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


def max_points(questions: Sequence[QuestionWeights], role: str) -> int:
    """The most a role can score: its highest weight in each question, added up."""
    return sum(
        max((weights.get(role, 0) for weights in question.choices.values()), default=0)
        for question in questions
    )


def role_fits(
    questions: Sequence[QuestionWeights], answers: Mapping[int, int], roles: Sequence[str]
) -> list[RoleFit]:
    """Every role's fit, best first; ties go to the role that comes first in `roles`."""
    _check_answers(questions, answers)
    fits = []
    for role in roles:
        most = max_points(questions, role)
        points = sum(
            question.choices[answers[question.question_id]].get(role, 0) for question in questions
        )
        fit = Fraction(100 * points, most) if most else Fraction(0)
        fits.append(RoleFit(role=role, points=points, max_points=most, fit=fit))
    order = {role: index for index, role in enumerate(roles)}
    return sorted(fits, key=lambda item: (-item.fit, order[item.role]))


def reasons(
    questions: Sequence[QuestionWeights],
    answers: Mapping[int, int],
    fits: Sequence[RoleFit],
    count: int = REASON_COUNT,
) -> list[Reason]:
    """The answers that pushed the result most towards the top role, strongest first.

    Only answers with a positive push count; equal pushes keep the questions' order.
    """
    if not fits:
        return []
    top = fits[0]
    runner_up = fits[1] if len(fits) > 1 else None
    pushes = []
    for question in questions:
        choice_id = answers[question.question_id]
        weights = question.choices[choice_id]
        push = _share(weights.get(top.role, 0), top.max_points)
        if runner_up is not None:
            push -= _share(weights.get(runner_up.role, 0), runner_up.max_points)
        if push > 0:
            pushes.append(Reason(question_id=question.question_id, choice_id=choice_id, push=push))
    pushes.sort(key=lambda reason: -reason.push)  # stable: ties keep question order
    return pushes[:count]


def score(
    questions: Sequence[QuestionWeights], answers: Mapping[int, int], roles: Sequence[str]
) -> Result:
    """Score a complete set of answers (question id -> choice id) for the given roles."""
    if not roles:
        raise ScoringError("There is no role to score.")
    fits = role_fits(questions, answers, roles)
    return Result(fits=tuple(fits), reasons=tuple(reasons(questions, answers, fits)))


def margin(fits: Sequence[RoleFit]) -> int:
    """Whole percentage points between the first two fits, best first (0 with a single role):
    the one rule for a result's margin, saved or re-scored."""
    if len(fits) < 2:
        return 0
    return fits[0].percent - fits[1].percent


def is_close_call(margin: int) -> bool:
    """Whether a margin is a close call rather than a clear lean."""
    return margin < CLOSE_CALL_BELOW


def margin_in_words(margin: int) -> str:
    """The margin in words, in English: translate it with gettext where it is shown."""
    return gettext_noop("a close call") if is_close_call(margin) else gettext_noop("a clear lean")


def _share(weight: int, most: int) -> Fraction:
    return Fraction(100 * weight, most) if most else Fraction(0)


def _check_answers(questions: Sequence[QuestionWeights], answers: Mapping[int, int]) -> None:
    question_ids = {question.question_id for question in questions}
    if set(answers) != question_ids:
        raise ScoringError("Every question needs exactly one answer.")
    for question in questions:
        if answers[question.question_id] not in question.choices:
            raise ScoringError(
                f"The answer to question {question.question_id} is not one of its choices."
            )
