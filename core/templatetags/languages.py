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
        languages.append(PageLanguage(code, name, url, origin + url, code == current))
    return languages
