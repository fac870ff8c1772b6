from django.urls import path

from . import reminder_views, views

app_name = "plans"

urlpatterns = [
    path("plan/", views.plan_view, name="plan"),
    path("plan/skills/", views.skills_view, name="skills"),
    path("plan/steps/<slug:tool>/", views.step_status_view, name="step"),
    path("plan/calendar.ics", views.calendar_view, name="calendar"),
    path("plan/reminders/", reminder_views.reminders_view, name="reminders"),
    path(
        "plan/reminders/done/<str:token>/",
        reminder_views.reminder_step_view,
        name="reminder-step",
    ),
    path(
        "plan/reminders/unsubscribe/<str:token>/",
        reminder_views.reminder_unsubscribe_view,
        name="reminder-unsubscribe",
    ),
]
