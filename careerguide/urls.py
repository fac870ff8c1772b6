from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

# These have one address: the API speaks the language of its Accept-Language header, and the
# editors' admin is in English. They come first because English pages have no prefix: listed
# after the pages, every API path was tried against all of the pages' patterns before its own
# (a third of a cached API answer's time).
urlpatterns = [
    path("healthz", views.healthz_view, name="healthz"),
    path("readyz", views.readyz_view, name="readyz"),
    path("metrics", views.metrics_view, name="metrics"),
    path("language/", views.language_set_view, name="language_set"),
    path("theme/", views.theme_set_view, name="theme_set"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("careerguide.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

# Pages are in every language: English at the addresses they always had, Spanish under /es/.
urlpatterns += i18n_patterns(
    path("", views.home_view, name="home"),
    path("", include("roles.urls")),
    path("", include("assessments.urls")),
    path("", include("plans.urls")),
    path("", include("careerguide.accounts.urls")),
    # Django's password change and reset views, under their usual names.
    path("accounts/", include("django.contrib.auth.urls")),
    prefix_default_language=False,
)

handler400 = "careerguide.views.bad_request_view"
handler404 = "careerguide.views.not_found_view"
handler500 = "careerguide.views.server_error_view"
