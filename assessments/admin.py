"""People's results in the admin: superusers only, read-only, for investigating a problem.
Editors never see them (their group has no permission on these models)."""

from django.contrib import admin

from core.admin import ReadOnlyInline, SuperuserReadOnlyAdmin

from .models import Answer, Assessment, RecommendedTool, RoleScore


class RoleScoreInline(ReadOnlyInline):
    model = RoleScore
    fields = ("rank", "role", "percent", "points", "max_points")


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ("question", "choice", "reason_rank")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question", "choice")


class RecommendedToolInline(ReadOnlyInline):
    model = RecommendedTool
    fields = ("rank", "tool")


@admin.register(Assessment)
class AssessmentAdmin(SuperuserReadOnlyAdmin):
    """People's results, for superusers investigating a problem. Editors never see them."""

    list_display = ("created_at", "top_role", "margin", "version", "user")
    list_filter = ("version", "top_role")
    list_select_related = ("top_role", "version__quiz", "user")
    fields = ("id", "created_at", "user", "version", "top_role", "margin", "client_id")
    inlines = (RoleScoreInline, AnswerInline, RecommendedToolInline)
