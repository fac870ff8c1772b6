"""Fixtures of the learning plan tests: a clock the test sets, and people signed in with or
without a plan."""

import pytest
from django.utils import timezone

from tests.plans.helpers import MLOPS_TOOLS, TODAY, all_levels


@pytest.fixture
def today(monkeypatch):
    """timezone.localdate() answers a day the test sets (today.set(day))."""

    class Today:
        day = TODAY

        def set(self, day):
            self.day = day

    clock = Today()
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return clock.day if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return clock


@pytest.fixture
def signed_in(client, site_content, person):
    client.force_login(person)
    return client


@pytest.fixture
def planned(signed_in, person, site_content):
    """A signed-in person whose plan is for MLOps, rated new to everything but MLflow."""
    response = signed_in.post(
        "/plan/skills/?role=mlops-engineer", {**all_levels(MLOPS_TOOLS), "level-mlflow": 3}
    )
    assert response.status_code == 302
    return signed_in
