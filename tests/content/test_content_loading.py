import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from careerguide.content.loader import content_fixture_paths, load_content
from quizzes.models import Quiz, QuizVersion
from roles.models import (
    Role,
    SalaryFigure,
    Tool,
)
from tests.content.helpers import content_models
from tests.helpers import answers_leaning_to, take_assessment

pytestmark = pytest.mark.django_db


def _rows(paths):
    return [row for path in paths for row in json.loads(path.read_text(encoding="utf-8"))]


def _fixture_with_changed_spark_summary(tmp_path, summary):
    rows = json.loads(content_fixture_paths()[0].read_text())
    for row in rows:
        if row["model"] == "roles.tool" and row["fields"]["slug"] == "spark":
            row["fields"]["summary_en"] = summary
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(rows))
    return path


def test_loads_every_row_of_the_fixtures(small_fixtures):
    rows = _rows(small_fixtures)

    in_files = Counter(row["model"] for row in rows)
    assert {model._meta.label_lower: model.objects.count() for model in content_models()} == (
        in_files
    )
    tools = [row["fields"] for row in rows if row["model"] == "roles.tool"]
    for role in Role.objects.all():
        assert Tool.objects.for_role(role.slug).count() == sum(
            [role.slug] in tool["roles"] for tool in tools
        )
    for figure in (row["fields"] for row in rows if row["model"] == "roles.salaryfigure"):
        loaded = SalaryFigure.objects.get(role__slug=figure["role"][0])
        assert (loaded.amount, loaded.currency, loaded.period, loaded.source_url) == (
            figure["amount"],
            figure["currency"],
            figure["period"],
            figure["source_url"],
        )
    assert (
        QuizVersion.objects.get(is_current=True).questions.count() == in_files["quizzes.question"]
    )


def test_running_it_twice_changes_nothing(small_fixtures):
    report = load_content()

    rows_in_fixtures = sum(len(json.loads(path.read_text())) for path in content_fixture_paths())
    assert report.created == [] and report.updated == [] and report.kept_edits == []
    assert len(report.unchanged) == rows_in_fixtures


def test_an_editors_change_is_kept_unless_forced(small_fixtures):
    Tool.objects.filter(slug="spark").update(summary="An editor's better summary.")

    report = load_content()
    assert Tool.objects.get(slug="spark").summary == "An editor's better summary."
    assert report.kept_edits == ['roles.tool ["spark"]']

    load_content(force=True)
    assert Tool.objects.get(slug="spark").summary != "An editor's better summary."


def test_a_newer_fixture_updates_rows_nobody_edited(small_fixtures, tmp_path):
    path = _fixture_with_changed_spark_summary(tmp_path, "A newer summary from the fixture.")

    report = load_content(paths=[path])

    assert Tool.objects.get(slug="spark").summary == "A newer summary from the fixture."
    assert report.updated == ['roles.tool ["spark"]']


def test_a_newer_fixture_does_not_overwrite_an_editors_change(small_fixtures, tmp_path):
    Tool.objects.filter(slug="spark").update(summary="Edited in the admin.")
    path = _fixture_with_changed_spark_summary(tmp_path, "A newer summary from the fixture.")

    load_content(paths=[path])

    assert Tool.objects.get(slug="spark").summary == "Edited in the admin."


def test_tool_roles_are_compared_whatever_their_order(small_fixtures):
    tool = Tool.objects.get(slug="docker")
    tool.roles.add(Role.objects.get(slug="data-engineer"))

    report = load_content()

    assert report.kept_edits == ['roles.tool ["docker"]']
    assert tool.roles.count() == 2


def test_if_empty_loads_nothing_into_a_filled_catalog(small_fixtures):
    Role.objects.filter(slug="data-engineer").update(tagline="Edited")
    call_command("load_content", "--if-empty", "--force", verbosity=0)
    assert Role.objects.get(slug="data-engineer").tagline == "Edited"


def test_if_empty_loads_an_empty_catalog(small_fixtures):
    QuizVersion.objects.all().delete()
    Quiz.objects.all().delete()
    Tool.objects.all().delete()
    Role.objects.all().delete()
    assert not Role.objects.exists()

    call_command("load_content", "--if-empty", verbosity=0)

    tools = [row for row in _rows(small_fixtures) if row["model"] == "roles.tool"]
    assert Tool.objects.count() == len(tools) > 0


# 17. load_content loads content only, and valid content -------------------------------------


def _fixture(tmp_path, rows) -> Path:
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path


def test_load_content_refuses_a_row_that_is_not_content(tmp_path, settings):
    settings.FIXTURE_DIRS = [tmp_path]
    settings.CONTENT_FIXTURES = ["fixture.json"]
    _fixture(
        tmp_path,
        [
            {
                "model": "roles.role",
                "fields": {"name": "R", "slug": "r", "tagline": "t", "summary": "s"},
            },
            {
                "model": "accounts.user",
                "fields": {
                    "username": "intruder",
                    "is_superuser": True,
                    "is_staff": True,
                    "password": "x",
                },
            },
        ],
    )
    with pytest.raises(CommandError, match=r"not content: accounts\.user"):
        call_command("load_content", verbosity=0)
    assert not Role.objects.exists()


def test_load_content_validates_each_row_and_loads_nothing_on_error(tmp_path, settings):
    settings.FIXTURE_DIRS = [tmp_path]
    settings.CONTENT_FIXTURES = ["fixture.json"]
    _fixture(
        tmp_path,
        [
            {
                "model": "roles.role",
                "fields": {"name": "Fine", "slug": "fine", "tagline": "t", "summary": "s"},
            },
            {
                "model": "roles.role",
                "fields": {"name": "Bad", "slug": "not a slug!", "tagline": "t", "summary": "s"},
            },
        ],
    )
    with pytest.raises(CommandError, match="not valid"):
        call_command("load_content", verbosity=0)
    assert not Role.objects.exists()


def test_load_content_refuses_to_add_to_an_answered_version(
    tmp_path, settings, site_content, version
):
    from careerguide.content.export import export_content
    from quizzes.models import Question

    take_assessment(Client(), answers_leaning_to(version, [site_content.data.slug]))
    export_content(output_dir=tmp_path)
    rows = json.loads((tmp_path / "quiz.json").read_text(encoding="utf-8"))
    question = next(row for row in rows if row["model"] == "quizzes.question")
    rows.append({**question, "fields": {**question["fields"], "key": "sneaked-in", "order": 99}})
    (tmp_path / "quiz.json").write_text(json.dumps(rows), encoding="utf-8")
    settings.FIXTURE_DIRS = [tmp_path]
    count = Question.objects.count()

    with pytest.raises(CommandError, match="people have answered"):
        call_command("load_content", verbosity=0)
    assert Question.objects.count() == count


def test_a_new_current_version_in_the_fixtures_takes_over_from_an_answered_one(
    tmp_path, settings, site_content, version
):
    """How a new quiz version ships: the fixtures hold the answered version (now not current,
    which loading can't write: it is frozen) and the new one, current; loading makes the new
    one current, as publishing would, and the answered one stays published and unchanged."""
    from careerguide.content.export import export_content

    take_assessment(Client(), answers_leaning_to(version, [site_content.data.slug]))
    export_content(output_dir=tmp_path)
    rows = json.loads((tmp_path / "quiz.json").read_text(encoding="utf-8"))
    old = next(row for row in rows if row["model"] == "quizzes.quizversion")
    old["fields"]["is_current"] = False
    rows.append(
        {
            "model": "quizzes.quizversion",
            "fields": {
                **old["fields"],
                "number": old["fields"]["number"] + 1,
                "is_current": True,
                "notes": "The next version.",
            },
        }
    )
    (tmp_path / "quiz.json").write_text(json.dumps(rows), encoding="utf-8")
    settings.FIXTURE_DIRS = [tmp_path]

    call_command("load_content", verbosity=0)

    assert list(
        QuizVersion.objects.filter(quiz=version.quiz)
        .order_by("number")
        .values_list("number", "is_current", "status")
    ) == [(version.number, False, "published"), (version.number + 1, True, "published")]
