"""Text as people see it: a length counted in characters on screen, not code points."""

import unicodedata

import regex
from django.utils.translation import gettext as _

_GRAPHEME = regex.compile(r"\X")


def normalized(text: str) -> str:
    """NFC: "é" typed as e plus a combining accent is stored as the one character."""
    return unicodedata.normalize("NFC", text)


def visible_length(text: str) -> int:
    """How many characters a person sees: extended grapheme clusters (Unicode UAX #29), so
    a letter with its accents, a flag or an emoji family each count once."""
    return len(_GRAPHEME.findall(text))


def has_lone_surrogate(text: str) -> bool:
    """JSON may escape half of a character ("\\ud83d"); no database can store the result."""
    return any("\ud800" <= character <= "\udfff" for character in text)


def free_text_clean(value: object, *, most: int) -> tuple[str, str | None]:
    """A person's free text (a comment) as we keep it, and what is wrong with it (None when
    nothing is). None is no text. One line break is one character however it was sent (a
    browser's textarea sends CRLF), the ends are trimmed, and it is stored in NFC and counted
    as people see it, so the site, the API and the page's live count agree."""
    if value is None:
        return "", None
    if not isinstance(value, str):
        return "", _("The comment must be text.")
    text = value.replace("\r\n", "\n").strip()
    if "\x00" in text or has_lone_surrogate(text):
        return text, _("The comment holds a character we can't keep.")
    text = normalized(text)
    length = visible_length(text)
    if length > most:
        return text, _("Keep the comment to %(max)s characters (it has %(count)s).") % {
            "max": most,
            "count": length,
        }
    return text, None
