"""Helpers of the account tests."""

from tests.factories import TEST_PASSWORD


def register(api, username, email, password=TEST_PASSWORD):
    """Signs up over the API."""
    return api.post(
        "/api/v1/auth/register/", {"username": username, "email": email, "password": password}
    )
