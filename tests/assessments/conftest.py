"""Fixtures shared by the tests of people's results: taking the assessment, results, feedback,
figures, re-scoring and sharing."""

import uuid

import pytest
from django.test import Client

from assessments.services.assessment import assessment_submit
from tests.assessments.helpers import submit
from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import answers_leaning_to, publish_changed_version

OWNER_NAME = "quinn-sharer"


@pytest.fixture
def owner(db):
    """Someone with a saved result (each file's fixtures make it)."""
    return UserFactory(username=OWNER_NAME, email="quinn@example.com")


@pytest.fixture
def owner_web(owner):
    """The site, logged in as the owner ."""
    web = Client()
    web.force_login(owner)
    return web


@pytest.fixture
def old_result(version, person):
    """The person's result on version 1: a tie, so MLOps (first in the catalog) comes first."""
    assessment, _ = assessment_submit(
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


@pytest.fixture
def mine(version, owner):
    """The owner's saved result, leaning to data engineering."""
    assessment, _ = assessment_submit(
        version=version,
        answers=answers_leaning_to(
            version, ["data-engineer", "data-engineer", "mlops-engineer"]
        ).items(),
        client_id=uuid.uuid4(),
        user=owner,
    )
    return assessment


@pytest.fixture
def mine_mlops(version, owner):
    """The owner's saved result, leaning clearly to MLOps."""
    return submit(version, owner)


@pytest.fixture
def web(person):
    """The person, logged in through the log-in page as a browser is."""
    client = Client()
    client.post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})
    return client
