"""Fixtures shared by the quiz, result, sharing, peers and rescoring tests."""

import uuid

import pytest
from django.test import Client

from quizzes import services
from tests.helpers import answers_leaning_to, publish_changed_version


@pytest.fixture
def owner_web(owner):
    """The site, logged in as the owner (each file's `owner` fixture says who that is)."""
    web = Client()
    web.force_login(owner)
    return web


@pytest.fixture
def old_result(version, person):
    """The person's result on version 1: a tie, so MLOps (first in the catalog) comes first."""
    assessment, _ = services.assessment_submit(
        version=version,
        answers=answers_leaning_to(version, ["mlops-engineer", "data-engineer"]).items(),
        client_id=uuid.uuid4(),
        user=person,
    )
    return assessment


@pytest.fixture
def version_two(old_result, version):
    """Version 2, current: version 1's last question removed, "cloud" and "dashboards" added,
    question 1's MLOps choice reweighted."""
    return publish_changed_version(version)
