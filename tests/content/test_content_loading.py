import json

import pytest
from django.core.management import call_command

from careerguide.content.loader import content_fixture_paths, load_content
from quizzes.models import Quiz, QuizVersion
from roles.models import (
    AspectText,
    CareerAspect,
    FocusArea,
    FocusPoint,
    Role,
    SalaryFigure,
    Tool,
    ToolCategory,
)

pytestmark = pytest.mark.django_db


def _fixture_with_changed_spark_summary(tmp_path, summary):
    rows = json.loads(content_fixture_paths()[0].read_text())
    for row in rows:
        if row["model"] == "roles.tool" and row["fields"]["slug"] == "spark":
            row["fields"]["summary"] = summary
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(rows))
    return path


def test_loads_all_of_the_articles_content(content):
    assert Role.objects.count() == 2
    assert FocusArea.objects.count() == 8
    assert FocusPoint.objects.count() == 22
    assert ToolCategory.objects.count() == 13
    assert Tool.objects.count() == 21
    assert Tool.objects.for_role("data-engineer").count() == 10
    assert Tool.objects.for_role("mlops-engineer").count() == 11
    assert SalaryFigure.objects.count() == 2
    assert CareerAspect.objects.count() == 3
    assert AspectText.objects.count() == 6
    mlops = SalaryFigure.objects.get(role__slug="mlops-engineer")
    data = SalaryFigure.objects.get(role__slug="data-engineer")
    assert (mlops.amount, mlops.currency, mlops.period) == (125_000, "USD", "year")
    assert (data.amount, data.source_name) == (115_000, "Glassdoor")
    assert data.source_url.endswith("data-engineer-salary-SRCH_KO0,13.htm")


def test_running_it_twice_changes_nothing(content):
    report = load_content()

    rows_in_fixtures = sum(len(json.loads(path.read_text())) for path in content_fixture_paths())
    assert report.created == [] and report.updated == [] and report.kept_edits == []
    assert len(report.unchanged) == rows_in_fixtures


def test_an_editors_change_is_kept_unless_forced(content):
    Tool.objects.filter(slug="spark").update(summary="An editor's better summary.")

    report = load_content()
    assert Tool.objects.get(slug="spark").summary == "An editor's better summary."
    assert report.kept_edits == ['roles.tool ["spark"]']

    load_content(force=True)
    assert Tool.objects.get(slug="spark").summary != "An editor's better summary."


def test_a_newer_fixture_updates_rows_nobody_edited(content, tmp_path):
    path = _fixture_with_changed_spark_summary(tmp_path, "A newer summary from the fixture.")

    report = load_content(paths=[path])

    assert Tool.objects.get(slug="spark").summary == "A newer summary from the fixture."
    assert report.updated == ['roles.tool ["spark"]']


def test_a_newer_fixture_does_not_overwrite_an_editors_change(content, tmp_path):
    Tool.objects.filter(slug="spark").update(summary="Edited in the admin.")
    path = _fixture_with_changed_spark_summary(tmp_path, "A newer summary from the fixture.")

    load_content(paths=[path])

    assert Tool.objects.get(slug="spark").summary == "Edited in the admin."


def test_tool_roles_are_compared_whatever_their_order(content):
    tool = Tool.objects.get(slug="docker")
    tool.roles.add(Role.objects.get(slug="data-engineer"))

    report = load_content()

    assert report.kept_edits == ['roles.tool ["docker"]']
    assert tool.roles.count() == 2


def test_if_empty_loads_nothing_into_a_filled_catalog(content):
    Role.objects.filter(slug="data-engineer").update(tagline="Edited")
    call_command("load_content", "--if-empty", "--force", verbosity=0)
    assert Role.objects.get(slug="data-engineer").tagline == "Edited"


def test_if_empty_loads_an_empty_catalog(db):
    QuizVersion.objects.all().delete()
    Quiz.objects.all().delete()
    Tool.objects.all().delete()
    Role.objects.all().delete()
    assert not Role.objects.exists()

    call_command("load_content", "--if-empty", verbosity=0)

    assert Tool.objects.count() == 21
