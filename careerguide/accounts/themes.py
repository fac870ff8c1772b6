"""The colour-mode cookie: what static/js/theme.js reads before the page is painted. The server
writes it (the switch of a signed-in person, a log-in bringing the account's choice to this
device) and never reads it, so pages don't vary by it and the anonymous page cache is whole."""

from django.conf import settings
from django.http import HttpResponse

from .models import THEME_COOKIE, THEME_COOKIE_AGE


def theme_cookie_set(response: HttpResponse, theme: str) -> None:
    """Not HttpOnly: the script reads it (it holds no secret)."""
    response.set_cookie(
        THEME_COOKIE,
        theme,
        max_age=THEME_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
