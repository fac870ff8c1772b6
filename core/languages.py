"""The site's languages (settings.LANGUAGES): the one check of whether a code is one of them."""

from django.conf import settings


def is_site_language(code: object) -> bool:
    """Whether `code` is exactly one of the site's language codes ("es", never "es-mx" or
    "fr", which Django has catalogs for but the site has no addresses for)."""
    return isinstance(code, str) and code in dict(settings.LANGUAGES)
