"""System checks of the settings accounts relies on (`manage.py check [--deploy]`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.security)
def site_url_is_an_origin(app_configs, **kwargs):
    """SITE_URL, when set, must be scheme://host[:port] and nothing more: links are built by
    appending paths to it."""
    value = settings.SITE_URL
    if not value:
        return []
    parts = urlsplit(value)
    is_origin = parts.scheme in {"http", "https"} and parts.netloc
    if is_origin and not (parts.path.strip("/") or parts.query or parts.fragment):
        return []
    return [
        Error(
            f"SITE_URL must be the site's origin, like https://careerguide.example.com; it is "
            f"{value!r}.",
            id="accounts.E001",
        )
    ]


@register(Tags.security, deploy=True)
def site_url_is_set(app_configs, **kwargs):
    """In production, links in e-mails must not come from a request's Host header."""
    if settings.SITE_URL:
        return []
    return [
        CheckWarning(
            "SITE_URL is not set, so links in e-mails (password reset, e-mail confirmation) "
            "are built from the Host header of the request that asked for them.",
            hint="Set SITE_URL to the site's address, e.g. https://careerguide.example.com.",
            id="accounts.W001",
        )
    ]
