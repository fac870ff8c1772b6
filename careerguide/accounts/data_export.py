"""A person's data export (/profile/export/): everything we hold about them, as JSON.

Each part is the API's own output serializer for it (the account of me/, a result of
assessments/{id}/, the self-check of skills/, the plan of plan/), subclassed to add what only
the export holds (the answers, share links, ratings' dates, statuses kept and their changes):
a field the API gains is exported too. Besides, what has no API: the unfinished attempt,
the API tokens' metadata (never their digest) and the log-ins django-axes recorded. Its
queries are fixed, whatever the number of results, tokens or log-ins.
"""

from axes.models import AccessLog
from django.utils import timezone
from knox.models import AuthToken
from rest_framework import serializers

from assessments import following
from assessments.api.assessment import AssessmentDetailOutputSerializer, ReasonOutputSerializer
from assessments.api.sharing import ShareOutputSerializer
from assessments.models import AssessmentProgress, FollowUp
from assessments.selectors.assessment import assessment_export_list
from plans import selectors as plan_selectors
from plans.api import (
    PlanOutputSerializer,
    RatingOutputSerializer,
    RatingsOutputSerializer,
    plan_answer_data,
)
from plans.models import PlanReminder, PlanReminderSent

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


class FollowUpExportSerializer(serializers.Serializer):
    """The six-month follow-up: the consent (when, to which wording), the e-mails sent and the
    answer. No e-mail address is kept with it."""

    assessment = serializers.UUIDField(source="assessment_id")
    consented_at = serializers.DateTimeField()
    wording_version = serializers.IntegerField()
    wording = serializers.SerializerMethodField()
    language = serializers.CharField()
    due = serializers.DateTimeField(source="due_at")
    asked_at = serializers.DateTimeField(allow_null=True)
    reminded_at = serializers.DateTimeField(allow_null=True)
    unsubscribed_at = serializers.DateTimeField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    answer = serializers.CharField()
    chose_top_role = serializers.BooleanField(allow_null=True)
    happiness = serializers.IntegerField(allow_null=True)
    comment = serializers.CharField()

    def get_wording(self, follow_up) -> str:
        return following.WORDINGS.get(follow_up.wording_version, "")


class ReminderSentExportSerializer(serializers.Serializer):
    week_of = serializers.DateField()
    sent = serializers.DateTimeField(source="sent_at")
    steps_due = serializers.IntegerField()
    steps_late = serializers.IntegerField()


class PlanReminderExportSerializer(serializers.Serializer):
    """The weekly plan reminder's settings and the e-mails it sent (never the address)."""

    enabled = serializers.BooleanField()
    weekday = serializers.IntegerField(help_text="1 Monday ... 7 Sunday.")
    time_zone = serializers.CharField()
    language = serializers.CharField()
    enabled_on = serializers.DateField(allow_null=True)
    updated = serializers.DateTimeField(source="updated_at")
    sent = ReminderSentExportSerializer(many=True)


class ProgressExportSerializer(serializers.Serializer):
    """The unfinished attempt (AssessmentProgress): its answers so far, question id to choice."""

    version = serializers.IntegerField(source="version_id")
    version_number = serializers.IntegerField(source="version.number")
    answers = serializers.DictField()
    updated = serializers.DateTimeField(source="updated_at")


class TokenExportSerializer(serializers.Serializer):
    """An API token's metadata. Never its digest: `token_key` is the short prefix knox stores
    in the clear to find a token, which the token alone cannot be rebuilt from."""

    token_key = serializers.CharField()
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(allow_null=True)


class LoginExportSerializer(serializers.Serializer):
    """A successful log-in, as django-axes stored it (its AccessLog); not its session hash."""

    username = serializers.CharField()
    logged_in = serializers.DateTimeField(source="attempt_time")
    logged_out = serializers.DateTimeField(source="logout_time", allow_null=True)
    ip_address = serializers.CharField(allow_null=True)
    user_agent = serializers.CharField()
    path = serializers.CharField(source="path_info")


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


def _follow_up(*, user) -> dict | None:
    follow_up = FollowUp.objects.filter(user=user).first()
    return None if follow_up is None else FollowUpExportSerializer(follow_up).data


def _plan_reminder(*, user) -> dict | None:
    reminder = PlanReminder.objects.filter(user=user).first()
    if reminder is None:
        return None
    reminder.sent = list(PlanReminderSent.objects.filter(user=user))  # type: ignore[attr-defined]
    return PlanReminderExportSerializer(reminder).data


def _unfinished_attempt(*, user) -> dict | None:
    progress = AssessmentProgress.objects.select_related("version").filter(user=user).first()
    return None if progress is None else ProgressExportSerializer(progress).data


def _api_tokens(*, user) -> list[dict]:
    tokens = AuthToken.objects.filter(user=user).only("token_key", "created", "expiry")
    return TokenExportSerializer(tokens.order_by("created"), many=True).data  # type: ignore[return-value]


def _logins(*, user) -> list[dict]:
    # django-axes keys its records by the username (as core.security.login_records_forget).
    logs = AccessLog.objects.filter(username=user.get_username()).order_by("attempt_time")
    return LoginExportSerializer(logs, many=True).data  # type: ignore[return-value]


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
        "plan_reminder": _plan_reminder(user=user),
        "follow_up": _follow_up(user=user),
        "unfinished_attempt": _unfinished_attempt(user=user),
        "api_tokens": _api_tokens(user=user),
        "logins": _logins(user=user),
    }


class DataExportSerializer(serializers.Serializer):
    """The whole export, as user_data_export builds it: its shape in the API's schema."""

    account = AccountExportSerializer()
    assessments = AssessmentExportSerializer(many=True)
    skills = SkillsExportSerializer()
    learning_plan = PlanExportSerializer(allow_null=True, help_text="null before a plan is saved.")
    unfinished_attempt = ProgressExportSerializer(
        allow_null=True, help_text="null unless an assessment was left part-way."
    )
    api_tokens = TokenExportSerializer(many=True)
    logins = LoginExportSerializer(many=True)
