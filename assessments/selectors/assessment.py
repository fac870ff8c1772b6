"""Reads of people's assessments (the saved results), each with its related rows fetched up
front: the page and the API's answer, a person's history, and what a submission checks."""

from typing import Any

from django.conf import settings
from django.db.models import CharField, F, Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation

from roles.models import Role

from ..models import Answer, Assessment, AssessmentQuerySet, RecommendedTool, RoleScore

CHART_POINTS = 30
TOOLS_TO_LEARN_FIRST = 3


def tool_ids_to_learn_first(*, role: Role, count: int = TOOLS_TO_LEARN_FIRST) -> list[int]:
    """The role's first tools in catalog order: editors order them by what to learn first."""
    return list(role.tools.order_by("order", "name").values_list("pk", flat=True)[:count])


def _assessment_detail_queryset() -> AssessmentQuerySet:
    return Assessment.objects.select_related(
        "version__quiz", "top_role", "rescored_from"
    ).prefetch_related(
        Prefetch("scores", queryset=RoleScore.objects.select_related("role")),
        Prefetch(
            "answers",
            queryset=Answer.objects.select_related("question", "choice").order_by(
                "question__order", "question_id"
            ),
        ),
        Prefetch(
            "recommended_tools",
            queryset=RecommendedTool.objects.select_related("tool__category"),
        ),
    )


def _viewer_may_see(assessment, user, session_assessment_ids) -> bool:
    """Their own, or one this browser took before logging in: nobody else's."""
    if user.is_authenticated and assessment.user_id == user.pk:
        return True
    return assessment.user_id is None and str(assessment.pk) in session_assessment_ids


def assessment_get_for_viewer(*, assessment_id, user, session_assessment_ids) -> Assessment:
    """An assessment the viewer may see, with everything its page shows, its deciding answers
    in `reason_answers` as the API has them.

    Raises Assessment.DoesNotExist otherwise, so another person's result is a 404.
    """
    assessment = _assessment_detail_queryset().get(pk=assessment_id)
    if not _viewer_may_see(assessment, user, session_assessment_ids):
        raise Assessment.DoesNotExist
    return _with_reason_answers(assessment)


def _with_reason_answers(assessment: Assessment) -> Assessment:
    """The deciding answers in `reason_answers`, by rank, as the API lists them: from the
    answers already fetched, without a query."""
    assessment.reason_answers = sorted(  # type: ignore[attr-defined]
        (answer for answer in assessment.answers.all() if answer.reason_rank),
        key=lambda answer: answer.reason_rank,
    )
    return assessment


def assessment_for_replay(*, client_id, user, session_assessment_ids) -> Assessment | None:
    """The assessment a replayed submission made, if the viewer may see it; else None."""
    assessment = Assessment.objects.filter(client_id=client_id).first()
    if assessment is None or not _viewer_may_see(assessment, user, session_assessment_ids):
        return None
    return assessment


def assessment_count(*, user) -> int:
    """How many assessments the user has."""
    return Assessment.objects.owned_by(user).count()


def latest_top_role_slug(*, user) -> str | None:
    """The top role of the person's latest result (the learning plan's default role)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Assessment.objects.owned_by(user)
        .order_by("-created_at")
        .values_list("top_role__slug", flat=True)
        .first()
    )


def client_id_taken(*, client_id) -> bool:
    """Whether an assessment was already saved under this client_id (anyone's)."""
    return Assessment.objects.filter(client_id=client_id).exists()


def assessment_export_list(*, user) -> list[Assessment]:
    """Every assessment of the user, oldest first, with scores, answers (the deciding ones in
    `reason_answers`), tools, feedback and share links, in a fixed number of queries."""
    assessments = (
        _assessment_detail_queryset()
        .owned_by(user)
        .order_by("created_at")
        .select_related("feedback")
        .prefetch_related("share_links")
    )
    return [_with_reason_answers(assessment) for assessment in assessments]


def assessment_summaries(*, user) -> QuerySet[Assessment]:
    """The user's assessments, newest first, with what the API shows of each (scores, the
    reasons only, tools), in a fixed number of queries whatever their number."""
    return (
        Assessment.objects.owned_by(user)
        .order_by("-created_at", "pk")
        .select_related("version", "top_role")
        .prefetch_related(
            Prefetch("scores", queryset=RoleScore.objects.select_related("role")),
            Prefetch(
                "answers",
                queryset=Answer.objects.filter(reason_rank__isnull=False)
                .select_related("question", "choice")
                .order_by("reason_rank"),
                to_attr="reason_answers",
            ),
            Prefetch(
                "recommended_tools",
                queryset=RecommendedTool.objects.select_related("tool__category"),
            ),
        )
    )


def assessment_get_owned(*, assessment_id, user) -> Assessment:
    """One of the user's own assessments with scores and answers; else Assessment.DoesNotExist."""
    return _assessment_detail_queryset().owned_by(user).get(pk=assessment_id)


def assessment_list(*, user) -> QuerySet[Assessment]:
    """The user's assessments, newest first, with their scores."""
    return (
        Assessment.objects.owned_by(user)
        .select_related("version__quiz", "top_role", "rescored_from")
        .prefetch_related(Prefetch("scores", queryset=RoleScore.objects.select_related("role")))
        .order_by("-created_at", "pk")
    )


def fit_history(*, user, limit: int = CHART_POINTS) -> list[dict[str, Any]]:
    """Each role's fit over the user's latest `limit` assessments, oldest first, in one query;
    `role_name` in the active language (a `values()` through a relation reads the default
    column, so the translated one is named here, with modeltranslation's fallback to it)."""
    recent_ids = Assessment.objects.owned_by(user).order_by("-created_at").values("pk")[:limit]
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    if language not in settings.MODELTRANSLATION_LANGUAGES:
        language = default
    role_name = Coalesce(
        NullIf(F(f"role__name_{language}"), Value("")),
        F(f"role__name_{default}"),
        output_field=CharField(),
    )
    rows = (
        RoleScore.objects.filter(assessment__in=recent_ids)
        .order_by("assessment__created_at", "role__order")
        .annotate(role_name=role_name)
        .values("assessment_id", "assessment__created_at", "role_name", "role__slug", "percent")
    )
    return [dict(row) for row in rows]


def assessment_get_summary(*, assessment_id, user) -> Assessment:
    """One of the user's assessments with what the API shows of it (as assessment_summaries)
    and its feedback in the same query; Assessment.DoesNotExist for anyone else's."""
    return assessment_summaries(user=user).select_related("feedback").get(pk=assessment_id)
