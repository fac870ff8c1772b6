"""A person's data export (/profile/export/): everything we hold about them, as JSON.

Each part is the API's own output serializer for it (the account of me/, a result of
assessments/{id}/, the self-check of skills/, the plan of plan/), subclassed to add what only
the export holds (the answers, share links, ratings' dates, statuses kept and their changes):
a field the API gains is exported too. Its queries are fixed, whatever the number of results.
"""

from django.utils import timezone
from rest_framework import serializers

from assessments.api.assessment import AssessmentDetailOutputSerializer, ReasonOutputSerializer
from assessments.api.sharing import ShareOutputSerializer
from assessments.selectors.assessment import assessment_export_list
from plans import selectors as plan_selectors
from plans.api import (
    PlanOutputSerializer,
    RatingOutputSerializer,
    RatingsOutputSerializer,
    plan_answer_data,
)

from .api import MeOutputSerializer


class AccountExportSerializer(MeOutputSerializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    last_login = serializers.DateTimeField(allow_null=True)


class ShareLinkExportSerializer(ShareOutputSerializer):
    path = serializers.CharField(source="get_absolute_url")
    revoked = serializers.DateTimeField(source="revoked_at", allow_null=True)


class AssessmentExportSerializer(AssessmentDetailOutputSerializer):
    # Where a result stands among everyone's is not the person's data (and costs queries):
    # DRF drops an inherited field declared None.
    peers = None  # type: ignore[assignment]
    peers_results_needed = None  # type: ignore[assignment]
    language = serializers.CharField()
    quiz = serializers.CharField(source="version.quiz.name")
    top_role_name = serializers.CharField(source="top_role.name")
    answers = ReasonOutputSerializer(many=True, help_text="Every answer, in question order.")
    share_links = ShareLinkExportSerializer(many=True, help_text="Live and revoked.")


class RatingExportSerializer(RatingOutputSerializer):
    tool = serializers.CharField(source="tool.slug")
    name = serializers.CharField(source="tool.name")
    rated = serializers.DateTimeField(source="rated_at")


class SkillsExportSerializer(RatingsOutputSerializer):
    ratings = RatingExportSerializer(many=True)


class StepStatusExportSerializer(serializers.Serializer):
    """A status the person set on a step, kept whatever the plan's role."""

    tool = serializers.CharField(source="tool.slug")
    name = serializers.CharField(source="tool.name")
    status = serializers.CharField()
    started = serializers.DateField(source="started_on", allow_null=True)
    done = serializers.DateField(source="done_on", allow_null=True)
    hours_done = serializers.IntegerField(allow_null=True)


class StepChangeExportSerializer(serializers.Serializer):
    tool = serializers.CharField(source="tool.slug")
    name = serializers.CharField(source="tool.name")
    status = serializers.CharField()
    hours_done = serializers.IntegerField()
    on = serializers.DateField(source="changed_on")


class PlanExportSerializer(PlanOutputSerializer):
    updated = serializers.DateTimeField(help_text="When the role or pace last changed.")
    step_statuses = StepStatusExportSerializer(many=True)
    changes = StepChangeExportSerializer(many=True)


def _assessments(*, user, request) -> list[dict]:
    assessments = assessment_export_list(user=user)
    serializer = AssessmentExportSerializer(assessments, many=True, context={"request": request})
    return serializer.data  # type: ignore[return-value]  # a list, with many=True


def _skills(ratings) -> dict:
    updated = max((rating.rated_at for rating in ratings), default=None)
    return SkillsExportSerializer({"ratings": ratings, "updated": updated}).data


def _learning_plan(*, user, ratings) -> dict | None:
    plan = plan_selectors.plan_get(user=user)
    if plan is None:
        return None
    today = timezone.localdate()
    levels = {rating.tool.slug: rating.level for rating in ratings}
    view = plan_selectors.saved_plan_outline_get(plan=plan, ratings=levels, today=today)
    data = {
        **plan_answer_data(view=view, plan=plan, today=today),
        "updated": plan.updated_at,
        "step_statuses": sorted(plan.steps.all(), key=lambda step: step.tool.order),
        "changes": plan_selectors.plan_change_list(plan=plan),
    }
    return PlanExportSerializer(data).data


def user_data_export(*, user, request) -> dict:
    """Everything we hold about `user`, JSON-ready; `request` makes the share links whole."""
    assessments = _assessments(user=user, request=request)
    user.assessment_count = len(assessments)
    ratings = plan_selectors.rating_list(user=user)
    return {
        "account": AccountExportSerializer(user).data,
        "assessments": assessments,
        "skills": _skills(ratings),
        "learning_plan": _learning_plan(user=user, ratings=ratings),
    }
