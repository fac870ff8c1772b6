from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home_view, name="home"),
    path("healthz", views.healthz_view, name="healthz"),
    path("readyz", views.readyz_view, name="readyz"),
    path("", include("roles.urls")),
    path("", include("quizzes.urls")),
    path("", include("careerguide.accounts.urls")),
    # Django's password change and reset views, under their usual names.
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "careerguide.views.server_error_view"
