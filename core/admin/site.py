"""The site's admin: Django's AdminSite with the pages of its own that it declares in
get_urls(). Installed as the default site by careerguide.apps.AdminConfig (Django's documented
way), so `admin.site` is this one everywhere."""

from django.contrib import admin
from django.urls import path

from .translations_page import missing_translations_view


class AdminSite(admin.AdminSite):
    """Django's admin, plus the page of missing translations at <admin>/translations/ (URL
    name "admin:translations"; the index links to it)."""

    def get_urls(self):
        return [
            path("translations/", self.admin_view(self.translations_view), name="translations"),
            *super().get_urls(),
        ]

    def translations_view(self, request):
        return missing_translations_view(request, self)
