from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("assessment/", views.assessment_start_view, name="start"),
    path("assessment/restart/", views.assessment_restart_view, name="restart"),
    path("assessment/step/<int:step>/", views.assessment_step_view, name="step"),
    path("assessment/result/<uuid:assessment_id>/", views.result_view, name="result"),
    path(
        "assessment/result/<uuid:assessment_id>/delete/",
        views.result_delete_view,
        name="result_delete",
    ),
    path(
        "assessment/result/<uuid:assessment_id>/feedback/",
        views.feedback_view,
        name="feedback",
    ),
    path(
        "assessment/result/<uuid:assessment_id>/feedback/delete/",
        views.feedback_delete_view,
        name="feedback_delete",
    ),
    path(
        "assessment/result/<uuid:assessment_id>/rescore/",
        views.rescore_view,
        name="rescore",
    ),
    path("methodology/", views.methodology_view, name="methodology"),
]
