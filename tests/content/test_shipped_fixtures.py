"""The one test that reads the editorial fixtures in fixtures/: they load, the quiz version
they make current could be published as it is, an assessment on it scores every role, every
tool has what a learning plan needs (hours, 3 to 6 milestones, prerequisites without a
circle), the federal labour figures are those of the CSV they were imported from, and
exporting them gives the same files back (so `make export` after `make run` changes nothing).

Every other test builds its own data with tests/factories.py, so editors may change fixtures/
freely; only a change that breaks one of these promises turns this test red.
"""

import io
import json
import uuid
from collections import Counter

import pytest
from django.core.management import call_command

from assessments.models import Assessment
from assessments.services.assessment import assessment_submit
from assessments.services.tie_breakers import tie_breakers_answer
from careerguide.content.export import export_content
from careerguide.content.loader import content_fixture_paths, load_content
from quizzes import selectors as quiz_selectors
from quizzes.authoring import version_problems
from roles.models import (
    HOURS_TO_LEARN_MAX,
    MILESTONE_MAX_LENGTH,
    MILESTONES_MAX,
    MILESTONES_MIN,
    LabourSource,
    Outlook,
    Role,
    RoleProxy,
    Tool,
    WageDistribution,
)
from roles.prerequisites import prerequisite_cycle
from tests.factories import UserFactory
from tests.helpers import answers_leaning_to, choice_leaning_to

pytestmark = pytest.mark.django_db


def _rows(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_shipped_fixtures_load_publish_score_and_export_unchanged(tmp_path):
    report = load_content()

    shipped = content_fixture_paths()
    assert len(report.created) == sum(len(_rows(path)) for path in shipped)
    assert not (report.updated or report.kept_edits or report.skipped)

    version = quiz_selectors.current_version_get()
    assert version_problems(version=version) == []

    roles = list(Role.objects.order_by("order", "name"))
    assert len(roles) >= 2
    for role in roles:
        assessment, _ = assessment_submit(
            version=version,
            answers=answers_leaning_to(version, [role.slug]).items(),
            client_id=uuid.uuid4(),
        )
        percents = {score.role.slug: score.percent for score in assessment.scores.all()}
        assert set(percents) == {other.slug for other in roles}
        assert percents[role.slug] == max(percents.values()), (role.slug, percents)
        assert assessment.answers.count() == version.questions.filter(is_tie_breaker=False).count()

    exported = export_content(output_dir=tmp_path)
    for item, fixture in zip(exported, shipped, strict=True):
        assert item.path.name == fixture.name
        # The same rows, each with its fields in the same order.
        assert Counter(json.dumps(row) for row in _rows(item.path)) == Counter(
            json.dumps(row) for row in _rows(fixture)
        )
    # Both files come out byte for byte as they are in fixtures/.
    for fixture in shipped:
        assert (tmp_path / fixture.name).read_bytes() == fixture.read_bytes(), fixture.name


def test_the_shipped_quiz_settles_a_close_call_with_its_tie_breakers():
    load_content()
    version = quiz_selectors.current_version_get()
    tie_breakers = quiz_selectors.question_list(version=version, tie_breakers=True)
    assert len(tie_breakers) >= 5
    for question in tie_breakers:
        assert question.text_en and question.text_es
        assert all(choice.text_en and choice.text_es for choice in question.choices.all())
    mlops, data = (role.slug for role in Role.objects.order_by("order", "name")[:2])
    close_call, _ = assessment_submit(
        version=version,
        answers=answers_leaning_to(version, [mlops, data]).items(),
        client_id=uuid.uuid4(),
    )
    assert close_call.margin < 10
    for role in (mlops, data):
        # Answering every tie-breaker one way settles the close call that way.
        owner = UserFactory()
        Assessment.objects.filter(pk=close_call.pk).update(user=owner)
        Assessment.objects.filter(pk=close_call.pk).update(
            settled_by_tie_breakers=False, tie_breaker_client_id=None
        )
        settled = tie_breakers_answer(
            assessment_id=close_call.pk,
            user=owner,
            answers=[
                (question.pk, choice_leaning_to(question, role).pk)
                for question in quiz_selectors.question_list(
                    version=version, with_weights=True, tie_breakers=True
                )
            ],
            client_id=uuid.uuid4(),
        )
        assert settled.top_role.slug == role
        # Back to the close call for the other way round.
        close_call.answers.filter(question__is_tie_breaker=True).delete()
        Assessment.objects.filter(pk=close_call.pk).update(
            margin=close_call.margin, top_role=close_call.top_role
        )


def test_every_shipped_tool_has_what_a_learning_plan_needs():
    load_content()

    tools = list(Tool.objects.prefetch_related("prerequisites"))
    assert len(tools) >= 21
    for tool in tools:
        assert 1 <= tool.hours_to_learn <= HOURS_TO_LEARN_MAX, tool.slug
        assert MILESTONES_MIN <= len(tool.milestone_list) <= MILESTONES_MAX, tool.slug
        assert all(len(line) <= MILESTONE_MAX_LENGTH for line in tool.milestone_list), tool.slug
        assert tool.milestones == "\n".join(tool.milestone_list), tool.slug  # one a line
        assert tool not in tool.prerequisites.all(), tool.slug
    assert prerequisite_cycle() is None
    assert Tool.objects.get(slug="kubeflow").prerequisites.filter(slug="docker").exists()


def test_the_shipped_labour_figures_are_exactly_those_of_their_csv(tmp_path):
    """fixtures/labour.json holds what importing fixtures/sources/us-labour-market.csv gives:
    importing it again over the loaded fixtures and exporting changes no byte."""
    load_content()
    csv_path = content_fixture_paths()[0].parent / "sources" / "us-labour-market.csv"
    retrieved = {source.retrieved_on for source in LabourSource.objects.all()}
    assert len(retrieved) == 1
    assert RoleProxy.objects.count() >= len(Role.objects.all())
    assert all(proxy.note for proxy in RoleProxy.objects.all())
    counts = {model: model.objects.count() for model in (WageDistribution, Outlook)}

    call_command(
        "import_labour_figures",
        str(csv_path),
        "--retrieved-on",
        retrieved.pop().isoformat(),
        stdout=io.StringIO(),
    )
    export_content(output_dir=tmp_path)

    assert {model: model.objects.count() for model in counts} == counts
    labour = next(path for path in content_fixture_paths() if path.name == "labour.json")
    assert (tmp_path / "labour.json").read_bytes() == labour.read_bytes()
