"""export_content writes the content back to fixtures/ in the format load_content reads."""

import json
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from careerguide.content.export import export_content
from careerguide.content.loader import content_fixture_paths, load_content
from quizzes import authoring
from quizzes.models import Question, QuizVersion
from roles.models import (
    FocusArea,
    Role,
    Tool,
    ToolCategory,
)
from tests import factories
from tests.content.helpers import content_models, empty_the_database

pytestmark = pytest.mark.django_db


def _rows(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _counts():
    return {model.__name__: model.objects.count() for model in content_models()}


def _empty_the_database():
    empty_the_database()
    assert not any(_counts().values())


def test_exporting_loaded_fixtures_gives_their_rows(small_fixtures, tmp_path):
    exported = export_content(output_dir=tmp_path / "out")

    assert [item.path.name for item in exported] == settings.CONTENT_FIXTURES
    for item, fixture in zip(exported, content_fixture_paths(), strict=True):
        ours, theirs = _rows(item.path), _rows(fixture)
        assert item.rows == len(theirs)
        # The same rows, each with its fields in the same order.
        assert Counter(json.dumps(row) for row in ours) == Counter(
            json.dumps(row) for row in theirs
        )
    # The quiz and labour files come out byte for byte as they were loaded.
    for fixture in small_fixtures[1:]:
        assert (tmp_path / "out" / fixture.name).read_bytes() == fixture.read_bytes()


def test_the_export_format(site_content, tmp_path):
    factories.ToolFactory(
        name="Café “Tools”", slug="cafe", roles=list(Role.objects.all()), summary="Déjà vu"
    )

    export_content(output_dir=tmp_path)

    text = (tmp_path / "catalog.json").read_text(encoding="utf-8")
    assert text.startswith('[\n  {\n    "model": "roles.role",\n    "fields": {\n      "name_en": ')
    assert text.endswith("\n  }\n]\n")
    assert "Café “Tools”" in text and "\\u" not in text
    rows = _rows(tmp_path / "catalog.json")
    assert all(set(row) == {"model", "fields"} for row in rows)  # no database ids
    cafe = next(row for row in rows if row["fields"].get("slug") == "cafe")
    assert cafe["fields"]["roles"] == [["mlops-engineer"], ["data-engineer"]]
    category = ToolCategory.objects.get(tools__slug="cafe")
    assert cafe["fields"]["category"] == [category.slug]
    # Parents before children.
    models = [row["model"] for row in rows]
    assert (
        models.index("roles.focuspoint")
        > models.index("roles.focusarea")
        > models.index("roles.role")
    )


def test_exporting_twice_gives_the_same_bytes(site_content, tmp_path):
    export_content(output_dir=tmp_path / "first")
    export_content(output_dir=tmp_path / "second")

    for name in settings.CONTENT_FIXTURES:
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()


def test_export_then_load_into_an_empty_database_gives_the_same_content(version, tmp_path, user):
    # What editors do: a new draft with a changed question, a new tool, a renamed area.
    draft = authoring.version_copy_as_draft(version=version)
    Question.objects.filter(version=draft, order=1).update(text="Rewritten – with “quotes”?")
    factories.ToolFactory(
        name="dbt",
        slug="dbt",
        roles=list(Role.objects.all()),
        category=ToolCategory.objects.first(),
    )
    FocusArea.objects.filter(pk=FocusArea.objects.first().pk).update(title="Renamed, again")
    authoring.version_publish(version=draft)
    export_content(output_dir=tmp_path / "before")
    counts = _counts()

    _empty_the_database()
    report = load_content(paths=[tmp_path / "before" / name for name in settings.CONTENT_FIXTURES])
    export_content(output_dir=tmp_path / "after")

    assert _counts() == counts
    assert len(report.created) == sum(counts.values())
    for name in settings.CONTENT_FIXTURES:
        assert (tmp_path / "after" / name).read_bytes() == (tmp_path / "before" / name).read_bytes()
    assert QuizVersion.objects.get(number=2).is_current
    assert Question.objects.filter(text="Rewritten – with “quotes”?").count() == 1
    assert Tool.objects.get(slug="dbt").roles.count() == 2


def test_the_command_writes_into_the_output_dir(site_content, tmp_path, capsys):
    call_command("export_content", "--output-dir", str(tmp_path / "out"))

    out = capsys.readouterr().out
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        "catalog.json",
        "labour.json",
        "quiz.json",
    ]
    for path in (tmp_path / "out").iterdir():
        assert f"wrote {len(_rows(path))} rows to" in out
    assert sum(len(_rows(path)) for path in (tmp_path / "out").iterdir()) == sum(_counts().values())


def test_the_command_refuses_an_output_dir_that_is_a_file(db, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")

    with pytest.raises(CommandError, match="is not a directory"):
        call_command("export_content", "--output-dir", str(blocker))
