"""Fixtures of the core tests."""

import pytest
from django.core import signals
from django.db import close_old_connections


@pytest.fixture
def in_process_requests():
    """Requests that go straight to the WSGI app (a generated client, schemathesis) keep the
    test's database connection open between them, as Django's test client does: it holds the
    test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
