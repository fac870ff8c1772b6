"""Text as people see it: a length counted in characters on screen, not code points."""

import unicodedata

import regex

_GRAPHEME = regex.compile(r"\X")


def normalized(text: str) -> str:
    """NFC: "é" typed as e plus a combining accent is stored as the one character."""
    return unicodedata.normalize("NFC", text)


def visible_length(text: str) -> int:
    """How many characters a person sees: extended grapheme clusters (Unicode UAX #29), so
    a letter with its accents, a flag or an emoji family each count once."""
    return len(_GRAPHEME.findall(text))
