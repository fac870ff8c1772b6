import uuid

import pytest

from quizzes import services
from tests import factories
from tests.admin.browser import login
from tests.helpers import answers_leaning_to


@pytest.fixture
def editor(content):
    return factories.EditorFactory(username="editor")


@pytest.fixture
def staff(content):
    return factories.StaffUserFactory(username="staff")


@pytest.fixture
def superuser(content):
    return factories.SuperuserFactory(username="root")


@pytest.fixture
def editor_client(editor):
    return login(editor)


@pytest.fixture
def staff_client(staff):
    return login(staff)


@pytest.fixture
def superuser_client(superuser):
    return login(superuser)


@pytest.fixture
def person(content):
    return factories.UserFactory(username="someone")


@pytest.fixture
def result(version, person):
    """A saved result of the seed quiz version, leaning to data engineering."""
    assessment, _ = services.assessment_submit(
        version=version,
        answers=answers_leaning_to(
            version, ["data-engineer", "data-engineer", "mlops-engineer"]
        ).items(),
        client_id=uuid.uuid4(),
        user=person,
    )
    return assessment
