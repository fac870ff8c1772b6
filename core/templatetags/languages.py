"""The page in every language the site speaks: for the language switcher and the hreflang
alternates that tell search engines which address holds which language."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from core.security import site_url

register = template.Library()


@dataclass(frozen=True)
class PageLanguage:
    code: str
    name: str  # in its own language: people look for "Español", not "Spanish"
    url: str  # this page's address in that language (path and query)
    absolute_url: str  # the same from SITE_URL, for the hreflang alternates
    current: bool


@register.simple_tag(takes_context=True)
def page_languages(context) -> list[PageLanguage]:
    """This page in each language. A page with no other address (the admin, an error page
    outside the site's URLs) lists its own address for every language."""
    request = context.get("request")
    if request is None:
        return []
    here, origin = request.get_full_path(), site_url(request)
    current = translation.get_language()
    languages = []
    for code, name in settings.LANGUAGES:
        url = here if code == current else translate_url(here, code)
        if url == here and code != current:
            # An address that resolves to nothing (a 404) has no translation Django can find:
            # the same path under the other language's prefix, so the link never points back
            # to this very page.
            url = _with_prefix(here, current=current, target=code)
        languages.append(PageLanguage(code, name, url, origin + url, code == current))
    return languages


def _with_prefix(path: str, *, current: str, target: str) -> str:
    """`path` moved from the `current` language's prefix to the `target`'s (the default
    language has none: i18n_patterns' prefix_default_language=False)."""
    default = settings.LANGUAGE_CODE
    if current != default and path.startswith(f"/{current}/"):
        path = path[len(current) + 1 :]
    return path if target == default else f"/{target}{path}"
