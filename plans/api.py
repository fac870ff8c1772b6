"""The self-check and the learning plan over the API: your own ratings, plan, statuses and
calendar. The rules are the services' and selectors' (the site uses the same ones); here the
requests are read and the answers shaped."""

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_fields import AsSentField
from core.security import site_url

from . import calendar, planning, selectors, services
from .models import Plan

MAX_RATINGS = 200

LEVELS_TEXT = ", ".join(f'{level} "{meaning}"' for level, meaning in planning.LEVELS.items())
STATUSES_TEXT = ", ".join(f'`{key}` "{label}"' for key, label in planning.STATUSES.items())


class InputSerializer(serializers.Serializer):
    default_error_messages = {"invalid": gettext_lazy("Send a JSON object with the fields below.")}


# --- the self-check --------------------------------------------------------------------------

RATING_SCHEMA = {
    "type": "object",
    "properties": {
        "tool": {"type": "string", "description": "A tool's slug, as in GET tools/."},
        "level": {
            "type": "integer",
            "minimum": planning.LEVEL_MIN,
            "maximum": planning.LEVEL_MAX,
            "description": f"How well you know it: {LEVELS_TEXT}.",
        },
    },
    "required": ["tool", "level"],
}


@extend_schema_field({"type": "array", "items": RATING_SCHEMA, "maxItems": MAX_RATINGS})
class RatingsField(serializers.Field):
    """A list of {tool, level} objects, passed on as (tool, level) pairs for the service to
    check (one rule for the site and the API)."""

    default_error_messages = {
        "not_a_list": gettext_lazy(
            "Send a list of ratings, each an object with a tool and a level."
        ),
        "too_many": gettext_lazy("Send at most {max_ratings} ratings at once."),
        "null": gettext_lazy("Send a list of ratings, each an object with a tool and a level."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list")
        if len(data) > MAX_RATINGS:
            self.fail("too_many", max_ratings=MAX_RATINGS)
        problems = [
            _("Entry %(number)s: send an object with a tool and a level.") % {"number": number}
            for number, entry in enumerate(data, 1)
            if not isinstance(entry, dict) or "tool" not in entry or "level" not in entry
        ]
        if problems:
            raise serializers.ValidationError(problems)
        return [(entry["tool"], entry["level"]) for entry in data]


class RatingsInputSerializer(InputSerializer):
    ratings = RatingsField(
        help_text="The tools to set a level for. Tools you leave out keep the level they had."
    )


class RatingOutputSerializer(serializers.Serializer):
    tool = serializers.CharField(help_text="The tool's slug.")
    level = serializers.IntegerField(
        min_value=planning.LEVEL_MIN, max_value=planning.LEVEL_MAX, help_text=f"{LEVELS_TEXT}."
    )


class RatingsOutputSerializer(serializers.Serializer):
    ratings = RatingOutputSerializer(many=True, help_text="Every tool you rated, catalog order.")
    updated = serializers.DateTimeField(
        allow_null=True, help_text="When you last changed a rating (null before the first)."
    )


def _ratings_answer(user) -> dict:
    levels, updated = selectors.ratings_get(user=user)
    data = {
        "ratings": [{"tool": tool, "level": level} for tool, level in levels.items()],
        "updated": updated,
    }
    return RatingsOutputSerializer(data).data


class SkillsApi(APIView):
    """Your self-check: a level from 0 to 4 for each tool you rated."""

    @extend_schema(responses={200: RatingsOutputSerializer})
    def get(self, request):
        return Response(_ratings_answer(request.user))

    @extend_schema(
        request=RatingsInputSerializer,
        description=(
            "Set your level for the tools listed; the tools you leave out keep theirs. "
            "Nothing is saved when any entry is wrong (an unknown tool, a level that is not a "
            "whole number from 0 to 4, a tool listed twice): the 400 names each entry."
        ),
        responses={
            200: RatingsOutputSerializer,
            400: OpenApiResponse(description="`ratings`: a message for each wrong entry."),
        },
    )
    def put(self, request):
        data = RatingsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        levels = services.ratings_validate(data.validated_data["ratings"])
        services.ratings_save(user=request.user, levels=levels)
        return Response(_ratings_answer(request.user))


# --- the plan --------------------------------------------------------------------------------


class PlanStepOutputSerializer(serializers.Serializer):
    tool = serializers.CharField(
        source="tool.slug", help_text="The tool's slug: PATCH plan/steps/{tool}/ sets its status."
    )
    name = serializers.CharField(source="tool.name")
    order = serializers.IntegerField(
        source="step.position",
        help_text="1, 2, ... in learning order: a tool's prerequisites always come first.",
    )
    status = serializers.ChoiceField(source="step.status", choices=list(planning.STATUSES.items()))
    hours = serializers.IntegerField(
        source="step.hours",
        help_text="Hours it will take you (less for a tool you know a little); for a step "
        "done, the hours it counted when you marked it done.",
    )
    starts = serializers.DateField(source="step.starts", allow_null=True)
    due = serializers.DateField(
        source="step.due",
        allow_null=True,
        help_text="For a step done, the day it was done; null for a skipped step.",
    )
    late = serializers.BooleanField(
        source="step.late", help_text="Its due date passed before it was done: now due today."
    )
    level = serializers.IntegerField(
        min_value=planning.LEVEL_MIN,
        max_value=planning.LEVEL_MAX,
        help_text="Your self-check level for it (0 if not rated).",
    )
    milestones = serializers.ListField(
        child=serializers.CharField(),
        source="tool.milestones",
        help_text="What you can do once you know it well enough.",
    )


class PlanOutputSerializer(serializers.Serializer):
    saved = serializers.BooleanField(
        help_text="False before you have a plan (or once its role is gone from the catalog): "
        "this is the plan you would get, for the top role of your latest result, from today. "
        "PATCH plan/ saves it; only then can you set statuses and get the calendar."
    )
    role = serializers.CharField(allow_null=True, help_text="The role's slug; null: no role yet.")
    role_name = serializers.CharField(allow_null=True)
    hours_per_week = serializers.IntegerField()
    started = serializers.DateField(help_text="The day the plan's dates count from.")
    finish = serializers.DateField(allow_null=True, help_text="When the last step is due.")
    hours_total = serializers.IntegerField(help_text="Hours of every step not skipped.")
    hours_done = serializers.IntegerField()
    percent_done = serializers.IntegerField(help_text="Hours done out of the total, 0-100.")
    steps_done = serializers.IntegerField()
    steps = PlanStepOutputSerializer(many=True)


def plan_answer_data(*, view: selectors.PlanView, plan: Plan | None, today: date) -> dict:
    """What PlanOutputSerializer shows of a worked-out plan: `plan` is the saved plan it is
    of, or None for the plan the person would get. The API and the data export build on it."""
    return {
        "saved": plan is not None,
        "role": view.role_slug,
        "role_name": view.role_name if view.role_slug else None,
        "hours_per_week": view.hours_per_week,
        "started": plan.started_on if plan is not None else today,
        "finish": view.outline.finish,
        "hours_total": view.outline.hours_total,
        "hours_done": view.outline.hours_done,
        "percent_done": view.outline.percent_done,
        "steps_done": view.outline.steps_done,
        "steps": view.steps,
    }


def _plan_answer(user, *, today: date) -> dict:
    view, plan = selectors.person_plan_outline_get(user=user, today=today)
    return PlanOutputSerializer(plan_answer_data(view=view, plan=plan, today=today)).data


class OptionalField(AsSentField):
    """Left out, what the plan has is kept; null is refused rather than guessed at."""

    default_error_messages = {"null": gettext_lazy("Leave it out to keep what you have.")}

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)


@extend_schema_field({"type": "string", "description": "A role's slug, as in GET roles/."})
class RoleField(OptionalField):
    pass


@extend_schema_field(
    {
        "type": "integer",
        "minimum": planning.HOURS_PER_WEEK_MIN,
        "maximum": planning.HOURS_PER_WEEK_MAX,
    }
)
class HoursPerWeekField(OptionalField):
    pass


class PlanInputSerializer(InputSerializer):
    role = RoleField(
        help_text="Switch the plan to this role (its dates then count from today).",
    )
    hours_per_week = HoursPerWeekField(
        help_text=f"The hours a week you have, {planning.HOURS_PER_WEEK_MIN} to "
        f"{planning.HOURS_PER_WEEK_MAX}; the steps left are dated again.",
    )


class StepInputSerializer(InputSerializer):
    status = AsSentField(allow_null=True, help_text=STATUSES_TEXT)


# Written out, as drf-spectacular documents a PATCH body's fields all optional: this one is not.
STEP_INPUT_SCHEMA = {
    "type": "object",
    "properties": {
        "status": {
            "type": "string",
            "enum": list(planning.STATUSES),
            "description": f"The step's new status: {STATUSES_TEXT}.",
        }
    },
    "required": ["status"],
}


class PlanApi(APIView):
    """Your learning plan: one step per tool of its role still to learn, in an order that
    respects prerequisites, each dated from your pace."""

    @extend_schema(responses={200: PlanOutputSerializer})
    def get(self, request):
        return Response(_plan_answer(request.user, today=timezone.localdate()))

    @extend_schema(
        request=PlanInputSerializer,
        description=(
            "Save your plan or change it. Without a plan yet, an empty body saves the plan GET "
            "shows (the top role of your latest result). A new role dates the plan from today; "
            "statuses you set are kept whatever the role."
        ),
        responses={
            200: PlanOutputSerializer,
            400: OpenApiResponse(
                description="`role`: not a role, or a role with no tools; `hours_per_week`: "
                "not a whole number from 1 to 60."
            ),
        },
    )
    def patch(self, request):
        data = PlanInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        today = timezone.localdate()
        services.plan_update(
            user=request.user,
            today=today,
            role=data.validated_data.get("role"),
            hours_per_week=data.validated_data.get("hours_per_week"),
        )
        return Response(_plan_answer(request.user, today=today))


class PlanStepApi(APIView):
    """A step of your saved plan, named by its tool's slug."""

    @extend_schema(
        request={"application/json": STEP_INPUT_SCHEMA},
        parameters=[
            OpenApiParameter(
                "tool", OpenApiTypes.STR, OpenApiParameter.PATH, description="The tool's slug."
            )
        ],
        description=(
            "Set a step's status. Done counts the step's hours as they are now, and the steps "
            "left are dated again from that day. Answers with the whole plan."
        ),
        responses={
            200: PlanOutputSerializer,
            400: OpenApiResponse(description="`status`: not one of the statuses."),
            404: OpenApiResponse(
                description="No saved plan yet, or the tool is not one of its role's."
            ),
        },
    )
    def patch(self, request, tool):
        data = StepInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        today = timezone.localdate()
        try:
            services.step_status_set(
                user=request.user, tool=tool, status=data.validated_data["status"], today=today
            )
        except DjangoValidationError as error:
            # The tool is named by the URL: a step that isn't there is not found.
            if "tool" in error.message_dict:
                raise exceptions.NotFound(error.message_dict["tool"][0]) from None
            raise
        return Response(_plan_answer(request.user, today=today))


class PlanCalendarApi(APIView):
    """Your saved plan's dates as a calendar file to import: an all-day event for each step
    still to learn and one on the day the plan is due to be finished. Importing a newer file
    updates the events instead of adding copies."""

    def perform_content_negotiation(self, request, force=False):
        # The calendar is sent as text/calendar whatever Accept says; errors go out as JSON.
        return (JSONRenderer(), JSONRenderer.media_type)

    @extend_schema(
        operation_id="plan_calendar",
        tags=["plan"],
        responses={
            (200, calendar.MEDIA_TYPE): OpenApiResponse(
                OpenApiTypes.STR, description="An iCalendar (RFC 5545) file, as an attachment."
            ),
            404: OpenApiResponse(description="No saved plan yet (PATCH plan/ saves one)."),
        },
    )
    def get(self, request):
        today = timezone.localdate()
        view, plan = selectors.person_plan_outline_get(user=request.user, today=today)
        if plan is None:
            # A plan not saved is dated afresh each day: nothing worth putting in a calendar.
            raise exceptions.NotFound(_("You have no learning plan yet: PATCH plan/ saves one."))
        body = calendar.plan_calendar(
            view,
            owner_key=calendar.owner_key(user_id=request.user.pk),
            today=today,
            site_url=site_url(request),
        )
        response = HttpResponse(body, content_type=f"{calendar.MEDIA_TYPE}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{calendar.FILENAME}"'
        return response
