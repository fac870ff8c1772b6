"""Settling a close call with the version's tie-breakers: the one write, for the result page
and the API alike."""

import uuid
from collections.abc import Collection, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import caching
from quizzes import evidence, scoring
from quizzes import selectors as quiz_selectors

from ..answers import answers_validate
from ..models import Answer, Assessment, RecommendedTool, RoleScore
from ..selectors.assessment import tool_ids_to_learn_first
from .assessment import role_scores_create
from .figures import peer_counts_follow
from .sharing import cards_forget_on_commit


def tie_breakers_refusal(assessment: Assessment) -> str | None:
    """Why a result can't be settled with tie-breakers (in the active language), None if it
    can: the one rule for the page's offer, the form and the API."""
    if assessment.settled_by_tie_breakers:
        return _("This result was already settled with the tie-breakers.")
    if not scoring.is_close_call(assessment.margin):
        return _("This result is not a close call, so there is nothing to settle.")
    if not quiz_selectors.tie_breaker_scoring_questions(version=assessment.version):
        return _("This quiz version has no tie-breaker questions.")
    return None


def _owned(assessment_id, user, anonymous_assessments: Collection[str]):
    """The result, locked, if it is the user's or this browser's (anonymous); else
    Assessment.DoesNotExist."""
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("version__quiz", "top_role")
        .get(pk=assessment_id)
    )
    if user is not None and user.is_authenticated and assessment.user_id == user.pk:
        return assessment
    if assessment.user_id is None and str(assessment.pk) in anonymous_assessments:
        return assessment
    raise Assessment.DoesNotExist


@transaction.atomic
def tie_breakers_answer(
    *,
    assessment_id,
    user,
    answers: Iterable[tuple[object, object]],
    client_id: uuid.UUID,
    anonymous_assessments: Collection[str] = (),
) -> Assessment:
    """Settle one of the user's close calls (or this browser's anonymous one) with the answers
    to its version's tie-breakers: the scores are worked out again over the quiz and the
    tie-breakers together, the quiz's own reading is kept in `first_reading`, and the counts
    behind everyone's figures, the history and share cards follow in this transaction.

    Idempotent on client_id: the same answers sent again return the settled result unchanged.
    Assessment.DoesNotExist for anyone else's result; ValidationError at `detail` when it is
    not a close call or was already settled, at `client_id` for one used on another result,
    and InvalidAnswers (at `answers`) unless every tie-breaker has one of its own choices."""
    assessment = _owned(assessment_id, user, anonymous_assessments)
    if assessment.settled_by_tie_breakers and assessment.tie_breaker_client_id == client_id:
        return assessment  # a retry
    refusal = tie_breakers_refusal(assessment)
    if refusal:
        raise ValidationError({"detail": [refusal]})
    if Assessment.objects.filter(tie_breaker_client_id=client_id).exists():
        raise ValidationError(
            {"client_id": [_("This client_id was already used for another result.")]}
        )
    version = assessment.version
    tie_breakers = quiz_selectors.tie_breaker_scoring_questions(version=version)
    chosen = answers_validate(
        choices_of={question.question_id: set(question.choices) for question in tie_breakers},
        answers=answers,
    )
    questions = quiz_selectors.scoring_questions(version=version)
    main_ids = {question.question_id for question in questions}
    given = dict(
        Answer.objects.filter(assessment=assessment, question_id__in=main_ids).values_list(
            "question_id", "choice_id"
        )
    )
    every = [*questions, *tie_breakers]
    all_answers = {**given, **chosen}
    roles = quiz_selectors.role_list_for_scoring()
    slugs = [role.slug for role in roles]
    result = scoring.score(every, all_answers, slugs)
    role_by_slug = {role.slug: role for role in roles}
    before = list(assessment.scores.select_related("role"))

    with peer_counts_follow(user_id=assessment.user_id, version_ids=[version.pk]):
        top_changed = result.top_role != assessment.top_role.slug
        assessment.first_reading = {
            "top_role": assessment.top_role.slug,
            "margin": assessment.margin,
            "settled_at_question": assessment.settled_at_question,
            "scores": [{"role": score.role.slug, "percent": score.percent} for score in before],
        }
        assessment.top_role = role_by_slug[result.top_role]
        assessment.margin = result.margin
        assessment.settled_at_question = evidence.settled_after(
            [question.choices for question in every],
            [all_answers[question.question_id] for question in every],
            slugs,
        )
        assessment.settled_by_tie_breakers = True
        assessment.tie_breaker_client_id = client_id
        assessment.save(
            update_fields=[
                "first_reading",
                "top_role",
                "margin",
                "settled_at_question",
                "settled_by_tie_breakers",
                "tie_breaker_client_id",
            ]
        )
        RoleScore.objects.filter(assessment=assessment).delete()
        role_scores_create(assessment, result.fits, role_by_slug)
        reason_rank = {
            reason.question_id: rank for rank, reason in enumerate(result.reasons, start=1)
        }
        kept = list(Answer.objects.filter(assessment=assessment))
        for answer in kept:
            answer.reason_rank = reason_rank.get(answer.question_id)
        Answer.objects.bulk_update(kept, ["reason_rank"])
        Answer.objects.bulk_create(
            Answer(
                assessment=assessment,
                question_id=question.question_id,
                choice_id=chosen[question.question_id],
                reason_rank=reason_rank.get(question.question_id),
            )
            for question in tie_breakers
        )
        if top_changed:
            RecommendedTool.objects.filter(assessment=assessment).delete()
            RecommendedTool.objects.bulk_create(
                RecommendedTool(assessment=assessment, tool_id=tool_id, rank=rank)
                for rank, tool_id in enumerate(
                    tool_ids_to_learn_first(role=role_by_slug[result.top_role]), start=1
                )
            )
    cards_forget_on_commit([assessment.pk])  # a share card shows the fits
    caching.history_changed(assessment.user_id)
    return assessment
