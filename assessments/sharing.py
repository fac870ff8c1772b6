"""A share link's token: how one is made and which strings can be one, from one constant.
Pure: no ORM, no Django, no I/O."""

import math
import re
import secrets

TOKEN_BYTES = 24  # unguessable
TOKEN_LENGTH = math.ceil(TOKEN_BYTES * 4 / 3)  # URL-safe base64, unpadded: 32 characters
_TOKEN = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")

CARD_VARIANTS = ("anonymous", "named")  # a link's card: without or with the owner's name


def token_new() -> str:
    """A new token, TOKEN_LENGTH URL-safe characters."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_is_wellformed(token: str) -> bool:
    """Whether `token` could be one token_new made (checked before any query: PostgreSQL
    refuses a NUL in a query, and an unknown shape is a 404 at once)."""
    return _TOKEN.fullmatch(token) is not None


def card_variant(*, show_name: bool) -> str:
    """Which card a link unfurls as."""
    return CARD_VARIANTS[1] if show_name else CARD_VARIANTS[0]
