"""The project's own app configurations."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin with the site's own AdminSite (core.admin.site): the pages it adds are
    declared there, in get_urls(). In INSTALLED_APPS in place of "django.contrib.admin"."""

    default_site = "core.admin.site.AdminSite"
