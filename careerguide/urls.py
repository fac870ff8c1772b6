from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

urlpatterns = [
    path("", views.home_view, name="home"),
    path("healthz", views.healthz_view, name="healthz"),
    path("readyz", views.readyz_view, name="readyz"),
    path("", include("roles.urls")),
    path("", include("quizzes.urls")),
    path("", include("plans.urls")),
    path("", include("careerguide.accounts.urls")),
    # Django's password change and reset views, under their usual names.
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("careerguide.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = "careerguide.views.bad_request_view"
handler404 = "careerguide.views.not_found_view"
handler500 = "careerguide.views.server_error_view"
