"""Saving an assessment (scoring a complete set of answers) and deleting one."""

import uuid
from collections.abc import Collection, Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import caching
from core.languages import is_site_language
from quizzes import evidence, scoring
from quizzes import selectors as quiz_selectors
from quizzes.models import QuizVersion

from ..answers import InvalidAnswers, answers_validate
from ..models import Answer, Assessment, AssessmentProgress, RecommendedTool, RoleScore
from ..selectors.assessment import tool_ids_to_learn_first
from .figures import peer_counts_follow
from .sharing import cards_forget_on_commit

CLIENT_ID_TAKEN = gettext_lazy("This client_id was already used for another assessment.")


class ClientIdTaken(Exception):
    """The client_id belongs to another assessment: someone else's, or one made from other
    answers (a re-score of another result)."""


class ClientIdReused(ClientIdTaken):
    """The person's own submission with this client_id had other answers (or another quiz
    version): not a retry of it. `existing_id` is that result's id."""

    def __init__(self, message, *, existing_id):
        super().__init__(message)
        self.existing_id = existing_id


CLIENT_ID_REUSED = gettext_lazy(
    "This client_id was already used for a submission with other answers: make a new one."
)


@transaction.atomic
def assessment_submit(
    *,
    version: QuizVersion,
    answers: Iterable[tuple[int, int]],
    client_id: uuid.UUID,
    user=None,
    anonymous_assessments: Collection[str] = (),
    anonymous_attempt: uuid.UUID | None = None,
    rescored_from: Assessment | None = None,
    language: str = settings.LANGUAGE_CODE,
) -> tuple[Assessment, bool]:
    """Score and save an assessment; returns (assessment, created). `language` is the one the
    questions were shown in (the same questions and weights in every language): kept with the
    result so the methodology figures can be split by it.

    Idempotent on client_id: sending the same submission again returns the assessment that it
    created the first time, even when two copies race each other. An anonymous submission is
    only given back to the browser that made it (`anonymous_assessments`, or the attempt its
    session holds, `anonymous_attempt`): a client_id alone proves nothing. Runs a fixed number
    of queries whatever the number of questions (bulk inserts).
    """
    owner_id = user.pk if user is not None and user.is_authenticated else None
    answers = list(answers)
    proof = (anonymous_assessments, anonymous_attempt, rescored_from)
    existing = _assessment_for_client_id(client_id, owner_id, proof)
    if existing is not None:
        if rescored_from is None and not _same_submission(existing, version, answers):
            raise ClientIdReused(CLIENT_ID_REUSED, existing_id=existing.pk)
        return existing, False
    if version.status != QuizVersion.Status.PUBLISHED:
        raise InvalidAnswers(general=[_("This quiz version is not open for answers.")])
    QuizVersion.objects.mark_answered(version.pk)

    questions = quiz_selectors.scoring_questions(version=version)
    chosen = answers_validate(
        choices_of={question.question_id: set(question.choices) for question in questions},
        answers=answers,
    )
    roles = quiz_selectors.role_list_for_scoring()
    slugs = [role.slug for role in roles]
    result = scoring.score(questions, chosen, slugs)
    settled_at = evidence.settled_after(
        [question.choices for question in questions],
        [chosen[question.question_id] for question in questions],
        slugs,
    )
    role_by_slug = {role.slug: role for role in roles}

    # A kept result counts among everyone's at once, in place of the person's earlier one on
    # this version (an anonymous one once it is claimed).
    with peer_counts_follow(user_id=owner_id, version_ids=[version.pk]):
        try:
            with transaction.atomic():
                assessment = Assessment.objects.create(
                    user_id=owner_id,
                    version=version,
                    client_id=client_id,
                    top_role=role_by_slug[result.top_role],
                    margin=result.margin,
                    settled_at_question=settled_at,
                    rescored_from=rescored_from,
                    language=language if is_site_language(language) else settings.LANGUAGE_CODE,
                )
        except IntegrityError:
            # A copy of this submission won the race; it is the one to return.
            existing = _assessment_for_client_id(client_id, owner_id, proof)
            if existing is None:
                raise
            return existing, False

        role_scores_create(assessment, result.fits, role_by_slug)
        reason_rank = {
            reason.question_id: rank for rank, reason in enumerate(result.reasons, start=1)
        }
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
                tool_ids_to_learn_first(role=role_by_slug[result.top_role]), start=1
            )
        )
    if owner_id is not None:
        # A submission ends the attempt: the unfinished answers it was built from go.
        AssessmentProgress.objects.filter(user_id=owner_id).delete()
    caching.history_changed(owner_id)
    return assessment, True


def role_scores_create(assessment: Assessment, fits, role_by_slug) -> None:
    """The result's fit per role, best first: at submission and when tie-breakers settle it."""
    RoleScore.objects.bulk_create(
        RoleScore(
            assessment=assessment,
            role=role_by_slug[fit.role],
            rank=rank,
            percent=fit.percent,
            points=fit.points,
            max_points=fit.max_points,
        )
        for rank, fit in enumerate(fits, start=1)
    )


def _same_submission(existing: Assessment, version: QuizVersion, answers: list) -> bool:
    """Whether a retry sends what made `existing`: the same version and the same answers."""
    if existing.version_id != version.pk:
        return False
    kept = set(Answer.objects.filter(assessment=existing).values_list("question_id", "choice_id"))
    try:
        sent = {(int(question), int(choice)) for question, choice in answers}
    except (TypeError, ValueError):
        return False
    return sent == kept and len(sent) == len(answers)


def _assessment_for_client_id(client_id, owner_id, proof) -> Assessment | None:
    """The assessment this submission already made (a retry), None if the client_id is new;
    ClientIdTaken if it made another: someone else's, or the same person's from other answers
    (a re-score of another result, or a plain submission and a re-score)."""
    existing = Assessment.objects.filter(client_id=client_id).first()
    if existing is None:
        return None
    anonymous_assessments, anonymous_attempt, rescored_from = proof
    browsers_own = (
        str(existing.pk) in anonymous_assessments or existing.client_id == anonymous_attempt
    )
    rescored_from_id = rescored_from.pk if rescored_from is not None else None
    if (
        existing.user_id != owner_id
        or (owner_id is None and not browsers_own)
        or existing.rescored_from_id != rescored_from_id
    ):
        raise ClientIdTaken(CLIENT_ID_TAKEN)
    return existing


@transaction.atomic
def assessment_delete(*, assessment_id, user) -> None:
    """Delete one of the user's own assessments; Assessment.DoesNotExist for anyone else's."""
    assessment = Assessment.objects.owned_by(user).select_for_update().get(pk=assessment_id)
    cards_forget_on_commit([assessment.pk])
    # If it was the person's latest on its version, the one before it counts in its place.
    with peer_counts_follow(user_id=user.pk, version_ids=[assessment.version_id]):
        assessment.delete()
    caching.history_changed(user.pk)
