"""Writes of quizzes and assessments. The web views and the API both call these."""

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from core import caching

from . import scoring, selectors
from .models import (
    Answer,
    Assessment,
    AssessmentProgress,
    QuizVersion,
    RecommendedTool,
    RoleScore,
)


@dataclass
class InvalidAnswers(Exception):
    """The answers can't be scored. Messages are keyed by question id where one is to blame."""

    by_question: dict[int, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __str__(self):
        return "; ".join([*self.general, *self.by_question.values()])


class ClientIdTaken(Exception):
    """The client_id belongs to an assessment of someone else."""


def answers_validate(
    *, questions: list[scoring.QuestionWeights], answers: Iterable[tuple[int, int]]
) -> dict[int, int]:
    """Check a list of (question id, choice id) pairs against a version's questions.

    Every question must be answered exactly once, with one of its own choices. Returns the
    answers as a question id -> choice id mapping; raises InvalidAnswers naming each problem.
    """
    choices_of = {question.question_id: set(question.choices) for question in questions}
    errors = InvalidAnswers()
    chosen: dict[int, int] = {}
    for question_id, choice_id in answers:
        if question_id not in choices_of:
            errors.general.append(f"Question {question_id} is not part of this quiz version.")
        elif question_id in chosen:
            errors.by_question[question_id] = "This question was answered more than once."
        elif choice_id not in choices_of[question_id]:
            errors.by_question[question_id] = "That choice does not belong to this question."
        else:
            chosen[question_id] = choice_id
    for question in questions:
        question_id = question.question_id
        if question_id not in chosen and question_id not in errors.by_question:
            errors.by_question[question_id] = "Please answer this question."
    if errors.by_question or errors.general:
        raise errors
    return chosen


@transaction.atomic
def assessment_submit(
    *,
    version: QuizVersion,
    answers: Iterable[tuple[int, int]],
    client_id: uuid.UUID,
    user=None,
    anonymous_results: Collection[str] = (),
    anonymous_attempt: uuid.UUID | None = None,
) -> tuple[Assessment, bool]:
    """Score and save an assessment; returns (assessment, created).

    Idempotent on client_id: sending the same submission again returns the assessment that it
    created the first time, even when two copies race each other. An anonymous submission is
    only given back to the browser that made it (`anonymous_results`, or the attempt its
    session holds, `anonymous_attempt`): a client_id alone proves nothing. Runs a fixed number
    of queries whatever the number of questions (bulk inserts).
    """
    owner_id = user.pk if user is not None and user.is_authenticated else None
    proof = (anonymous_results, anonymous_attempt)
    existing = _assessment_for_client_id(client_id, owner_id, proof)
    if existing is not None:
        return existing, False
    if version.status != QuizVersion.Status.PUBLISHED:
        raise InvalidAnswers(general=["This quiz version is not open for answers."])

    questions = selectors.scoring_questions(version=version)
    chosen = answers_validate(questions=questions, answers=answers)
    roles = selectors.role_list_for_scoring()
    result = scoring.score(questions, chosen, [role.slug for role in roles])
    role_by_slug = {role.slug: role for role in roles}

    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                user_id=owner_id,
                version=version,
                client_id=client_id,
                top_role=role_by_slug[result.top_role],
                margin=result.margin,
            )
    except IntegrityError:
        # A copy of this submission won the race; it is the one to return.
        existing = _assessment_for_client_id(client_id, owner_id, proof)
        if existing is None:
            raise
        return existing, False

    RoleScore.objects.bulk_create(
        RoleScore(
            assessment=assessment,
            role=role_by_slug[fit.role],
            rank=rank,
            percent=fit.percent,
            points=fit.points,
            max_points=fit.max_points,
        )
        for rank, fit in enumerate(result.fits, start=1)
    )
    reason_rank = {reason.question_id: rank for rank, reason in enumerate(result.reasons, start=1)}
    Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            question_id=question.question_id,
            choice_id=chosen[question.question_id],
            reason_rank=reason_rank.get(question.question_id),
        )
        for question in questions
    )
    RecommendedTool.objects.bulk_create(
        RecommendedTool(assessment=assessment, tool_id=tool_id, rank=rank)
        for rank, tool_id in enumerate(
            selectors.tool_ids_to_learn_first(role=role_by_slug[result.top_role]), start=1
        )
    )
    if owner_id is not None:
        # A submission ends the attempt: the unfinished answers it was built from go.
        AssessmentProgress.objects.filter(user_id=owner_id).delete()
    caching.history_changed(owner_id)
    return assessment, True


def _assessment_for_client_id(client_id, owner_id, proof) -> Assessment | None:
    existing = Assessment.objects.filter(client_id=client_id).first()
    if existing is None:
        return None
    anonymous_results, anonymous_attempt = proof
    browsers_own = str(existing.pk) in anonymous_results or existing.client_id == anonymous_attempt
    if existing.user_id != owner_id or (owner_id is None and not browsers_own):
        raise ClientIdTaken("This client_id was already used for another assessment.")
    return existing


@transaction.atomic
def assessment_delete(*, assessment_id, user) -> None:
    """Delete one of the user's own assessments; Assessment.DoesNotExist for anyone else's."""
    assessment = Assessment.objects.owned_by(user).select_for_update().get(pk=assessment_id)
    assessment.delete()
    caching.history_changed(user.pk)


@dataclass
class Progress:
    """An attempt's unfinished answers: the version, the attempt's client_id, and question id
    to choice id."""

    version_id: int
    client_id: uuid.UUID
    answers: dict[int, int] = field(default_factory=dict)
    is_new: bool = False  # nothing stored yet: the first page has not been posted


@transaction.atomic
def anonymous_work_claim(
    *, user, assessment_ids: Iterable[str], unfinished: Progress | None
) -> int:
    """What a browser did before its person signed up or logged in becomes theirs: the
    assessments it took (returns how many), and its unfinished answers unless the account
    already has some. Called by name from every log-in path (site, sign-up, API)."""
    ids = list(assessment_ids)
    claimed = 0
    if ids:
        claimed = Assessment.objects.filter(pk__in=ids, user__isnull=True).update(user=user)
        caching.history_changed(user.pk)
    if unfinished is not None and not AssessmentProgress.objects.filter(user=user).exists():
        version = QuizVersion.objects.filter(pk=unfinished.version_id).first()
        if version is not None:
            progress_save(
                user=user,
                version=version,
                client_id=unfinished.client_id,
                answers=unfinished.answers,
            )
    return claimed


@transaction.atomic
def progress_save(
    *, user, version: QuizVersion, client_id: uuid.UUID, answers: dict[int, int]
) -> AssessmentProgress:
    """Keep a logged-in person's unfinished answers so they can resume later."""
    progress, _ = AssessmentProgress.objects.update_or_create(
        user=user,
        defaults={
            "version": version,
            "client_id": client_id,
            "answers": {str(question_id): choice_id for question_id, choice_id in answers.items()},
        },
    )
    return progress


@transaction.atomic
def progress_clear(*, user) -> None:
    """Forget a logged-in person's unfinished answers (they start again)."""
    AssessmentProgress.objects.filter(user=user).delete()
