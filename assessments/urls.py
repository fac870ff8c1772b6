from django.urls import path

from .views import assessment, attempt, feedback, figures, rescoring, sharing, tie_breakers

app_name = "assessments"

urlpatterns = [
    path("assessment/", attempt.assessment_start_view, name="start"),
    path("assessment/restart/", attempt.assessment_restart_view, name="restart"),
    path("assessment/step/<int:step>/", attempt.assessment_step_view, name="step"),
    path("assessment/result/<uuid:assessment_id>/", assessment.assessment_view, name="result"),
    path(
        "assessment/result/<uuid:assessment_id>/delete/",
        assessment.assessment_delete_view,
        name="result_delete",
    ),
    path(
        "assessment/result/<uuid:assessment_id>/feedback/",
        feedback.feedback_view,
        name="feedback",
    ),
    path(
        "assessment/result/<uuid:assessment_id>/feedback/delete/",
        feedback.feedback_delete_view,
        name="feedback_delete",
    ),
    path(
        "assessment/result/<uuid:assessment_id>/tie-breakers/",
        tie_breakers.tie_breakers_view,
        name="tie_breakers",
    ),
    path(
        "assessment/result/<uuid:assessment_id>/rescore/",
        rescoring.rescore_view,
        name="rescore",
    ),
    path(
        "assessment/result/<uuid:assessment_id>/share/",
        sharing.share_create_view,
        name="share",
    ),
    path(
        "assessment/result/<uuid:assessment_id>/share/<str:token>/revoke/",
        sharing.share_revoke_view,
        name="share_revoke",
    ),
    # A shared result: private, unlisted, never in a sitemap (the token is the only way in).
    path("s/<str:token>/", sharing.shared_view, name="shared"),
    path("s/<str:token>/card.png", sharing.shared_card_view, name="shared_card"),
    path("methodology/", figures.methodology_view, name="methodology"),
]
