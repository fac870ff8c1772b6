"""The one test that reads the editorial fixtures in fixtures/: they load, the quiz version
they make current could be published as it is, an assessment on it scores every role, and
exporting them gives the same rows back (so `make export` after `make run` changes nothing).

Every other test builds its own data with tests/factories.py, so editors may change fixtures/
freely; only a change that breaks one of these promises turns this test red.
"""

import json
import uuid
from collections import Counter

import pytest

from careerguide.content.export import export_content
from careerguide.content.loader import content_fixture_paths, load_content
from quizzes import selectors, services
from quizzes.authoring import version_problems
from roles.models import Role
from tests.helpers import answers_leaning_to

pytestmark = pytest.mark.django_db


def _rows(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_shipped_fixtures_load_publish_score_and_export_unchanged(tmp_path):
    report = load_content()

    shipped = content_fixture_paths()
    assert len(report.created) == sum(len(_rows(path)) for path in shipped)
    assert not (report.updated or report.kept_edits or report.skipped)

    version = selectors.current_version_get()
    assert version_problems(version=version) == []

    roles = list(Role.objects.order_by("order", "name"))
    assert len(roles) >= 2
    for role in roles:
        assessment, _ = services.assessment_submit(
            version=version,
            answers=answers_leaning_to(version, [role.slug]).items(),
            client_id=uuid.uuid4(),
        )
        percents = {score.role.slug: score.percent for score in assessment.scores.all()}
        assert set(percents) == {other.slug for other in roles}
        assert percents[role.slug] == max(percents.values()), (role.slug, percents)
        assert assessment.answers.count() == version.questions.count()

    exported = export_content(output_dir=tmp_path)
    for item, fixture in zip(exported, shipped, strict=True):
        assert item.path.name == fixture.name
        # The same rows, each with its fields in the same order.
        assert Counter(json.dumps(row) for row in _rows(item.path)) == Counter(
            json.dumps(row) for row in _rows(fixture)
        )
    # The quiz file comes out byte for byte as it is in fixtures/.
    assert (tmp_path / "quiz.json").read_bytes() == shipped[1].read_bytes()
