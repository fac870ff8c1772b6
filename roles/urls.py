from django.urls import path

from core.caching import cache_public_response

from . import views

app_name = "roles"

urlpatterns = [
    path("roles/", cache_public_response(views.role_list_view), name="list"),
    path("roles/<slug:slug>/", cache_public_response(views.role_detail_view), name="detail"),
    path("tools/", cache_public_response(views.tool_list_view), name="tool_list"),
    path("tools/<slug:slug>/", cache_public_response(views.tool_detail_view), name="tool_detail"),
    path("compare/", cache_public_response(views.compare_view), name="compare"),
]
