from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("plan/", views.plan_view, name="plan"),
    path("plan/skills/", views.skills_view, name="skills"),
    path("plan/steps/<slug:tool>/", views.step_status_view, name="step"),
    path("plan/calendar.ics", views.calendar_view, name="calendar"),
]
