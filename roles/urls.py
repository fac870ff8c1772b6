from django.urls import path

from . import views

app_name = "roles"

urlpatterns = [
    path("roles/", views.role_list_view, name="list"),
    path("roles/<slug:slug>/", views.role_detail_view, name="detail"),
    path("tools/", views.tool_list_view, name="tool_list"),
    path("tools/<slug:slug>/", views.tool_detail_view, name="tool_detail"),
    path("compare/", views.compare_view, name="compare"),
]
