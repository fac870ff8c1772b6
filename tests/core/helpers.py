"""Helpers of the core tests."""

from knox.models import AuthToken


def token_of(person) -> str:
    """A new API token of the person's."""
    return AuthToken.objects.create(person)[1]
