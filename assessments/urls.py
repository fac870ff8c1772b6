from django.urls import path

from . import views

app_name = "assessments"

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
    path(
        "assessment/result/<uuid:assessment_id>/share/",
        views.share_create_view,
        name="share",
    ),
    path(
        "assessment/result/<uuid:assessment_id>/share/<str:token>/revoke/",
        views.share_revoke_view,
        name="share_revoke",
    ),
    # A shared result: private, unlisted, never in a sitemap (the token is the only way in).
    path("s/<str:token>/", views.shared_view, name="shared"),
    path("s/<str:token>/card.png", views.shared_card_view, name="shared_card"),
    path("methodology/", views.methodology_view, name="methodology"),
]
