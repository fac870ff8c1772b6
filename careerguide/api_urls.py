"""The REST API, version 1, under /api/v1/ (see README: "The API")."""

from django.urls import path

from assessments.api import assessment as assessment_api
from assessments.api import feedback as feedback_api
from assessments.api import figures as figures_api
from assessments.api import follow_up as follow_up_api
from assessments.api import rescoring as rescoring_api
from assessments.api import sharing as sharing_api
from assessments.api import tie_breakers as tie_breakers_api
from careerguide.accounts import api as accounts_api
from careerguide.accounts import api_export as export_api
from plans import api as plans_api
from plans import reminder_api as plan_reminders_api
from roles import api as roles_api

app_name = "api"

urlpatterns = [
    path("auth/register/", accounts_api.RegisterApi.as_view(), name="register"),
    path("auth/login/", accounts_api.LoginApi.as_view(), name="login"),
    path("auth/logout/", accounts_api.LogoutApi.as_view(), name="logout"),
    path("me/", accounts_api.MeApi.as_view(), name="me"),
    path("me/export/", export_api.MeExportApi.as_view(), name="me-export"),
    path("roles/", roles_api.RoleListApi.as_view(), name="role-list"),
    path("roles/<slug:slug>/", roles_api.RoleDetailApi.as_view(), name="role-detail"),
    path("tools/", roles_api.ToolListApi.as_view(), name="tool-list"),
    path("tools/<slug:slug>/", roles_api.ToolDetailApi.as_view(), name="tool-detail"),
    path("assessment/", assessment_api.CurrentAssessmentApi.as_view(), name="assessment-current"),
    path("assessments/", assessment_api.AssessmentListCreateApi.as_view(), name="assessment-list"),
    path(
        "assessments/<uuid:assessment_id>/",
        assessment_api.AssessmentDetailApi.as_view(),
        name="assessment-detail",
    ),
    path(
        "assessments/<uuid:assessment_id>/feedback/",
        feedback_api.AssessmentFeedbackApi.as_view(),
        name="assessment-feedback",
    ),
    path(
        "assessments/<uuid:assessment_id>/rescore/",
        rescoring_api.AssessmentRescoreApi.as_view(),
        name="assessment-rescore",
    ),
    path(
        "assessments/<uuid:assessment_id>/tie-breakers/",
        tie_breakers_api.TieBreakersApi.as_view(),
        name="assessment-tie-breakers",
    ),
    path(
        "assessments/<uuid:assessment_id>/shares/",
        sharing_api.AssessmentSharesApi.as_view(),
        name="assessment-shares",
    ),
    path(
        "assessments/<uuid:assessment_id>/shares/<str:token>/",
        sharing_api.AssessmentShareApi.as_view(),
        name="assessment-share",
    ),
    path(
        "assessments/<uuid:assessment_id>/follow-up/",
        follow_up_api.AssessmentFollowUpApi.as_view(),
        name="assessment-follow-up",
    ),
    path("follow-ups/<str:token>/", follow_up_api.FollowUpAnswerApi.as_view(), name="follow-up"),
    path("methodology/", figures_api.MethodologyApi.as_view(), name="methodology"),
    path("skills/", plans_api.SkillsApi.as_view(), name="skills"),
    path("plan/", plans_api.PlanApi.as_view(), name="plan"),
    path("plan/steps/<slug:tool>/", plans_api.PlanStepApi.as_view(), name="plan-step"),
    path("plan/reminders/", plan_reminders_api.PlanRemindersApi.as_view(), name="plan-reminders"),
    path("plan.ics", plans_api.PlanCalendarApi.as_view(), name="plan-calendar"),
]
