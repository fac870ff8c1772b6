from django.urls import path

from .views import (
    assessment,
    attempt,
    feedback,
    figures,
    follow_up,
    rescoring,
    sharing,
    tie_breakers,
)

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
    path(
        "assessment/result/<uuid:assessment_id>/follow-up/",
        follow_up.follow_up_consent_view,
        name="follow-up-consent",
    ),
    path(
        "assessment/result/<uuid:assessment_id>/follow-up/withdraw/",
        follow_up.follow_up_withdraw_view,
        name="follow-up-withdraw",
    ),
    # The links of the follow-up e-mail: the signed token is the only way in.
    path(
        "follow-up/unsubscribe/<str:token>/",
        follow_up.follow_up_unsubscribe_view,
        name="follow-up-unsubscribe",
    ),
    path("follow-up/<str:token>/", follow_up.follow_up_answer_view, name="follow-up"),
    # A shared result: private, unlisted, never in a sitemap (the token is the only way in).
    path("s/<str:token>/", sharing.shared_view, name="shared"),
    path("s/<str:token>/card.png", sharing.shared_card_view, name="shared_card"),
    path("methodology/", figures.methodology_view, name="methodology"),
]
