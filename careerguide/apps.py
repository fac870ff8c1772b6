"""The project's own app configurations."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin with the site's own AdminSite (careerguide.admin_site, on core's): the
    pages it adds and its log-in form are declared there. In INSTALLED_APPS in place of
    "django.contrib.admin"."""

    default_site = "careerguide.admin_site.AdminSite"
