"""Tools' hours, milestones and prerequisites in content fixtures: the loader sets a
prerequisite listed later in the file, refuses prerequisites that go round in a circle (and
loads nothing), and the exporter writes them all back as they were loaded."""

import json

import pytest
from django.core.management import CommandError, call_command

from careerguide.content.export import export_content
from careerguide.content.loader import ContentError, content_fixture_paths, load_content
from roles.models import Role, Tool
from tests import factories
from tests.content.helpers import content_models, empty_the_database

pytestmark = pytest.mark.django_db


def _rows(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _tool_rows(rows) -> dict[str, dict]:
    return {row["fields"]["slug"]: row["fields"] for row in rows if row["model"] == "roles.tool"}


def _write(tmp_path, rows, name="catalog.json"):
    path = tmp_path / name
    path.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return path


def _counts():
    return {model.__name__: model.objects.count() for model in content_models()}


def _prerequisites(slug: str) -> list[str]:
    return list(Tool.objects.get(slug=slug).prerequisites.values_list("slug", flat=True))


@pytest.fixture
def catalog_rows(small_fixtures) -> list[dict]:
    """The small world's catalog rows, as loaded into the database (Kubeflow needs Docker)."""
    return _rows(small_fixtures[0])


def test_hours_milestones_and_prerequisites_are_exported(site_content, tmp_path):
    docker = site_content.tools["docker"]
    Tool.objects.filter(pk=docker.pk).update(
        hours_to_learn=25, milestones="Write a Dockerfile\nBuild an image\nRun a container"
    )

    export_content(output_dir=tmp_path)

    tools = _tool_rows(_rows(tmp_path / "catalog.json"))
    assert tools["docker"]["hours_to_learn"] == 25
    assert tools["docker"]["milestones_en"] == "Write a Dockerfile\nBuild an image\nRun a container"
    assert tools["docker"]["prerequisites"] == []
    assert tools["kubeflow"]["prerequisites"] == [["docker"]]
    # The models' own field order: the new fields after the old ones.
    # The models' own field order: the new fields after the old ones, a translated field as
    # its columns, one per language.
    assert list(tools["docker"])[-5:] == [
        "order",
        "hours_to_learn",
        "milestones_en",
        "milestones_es",
        "prerequisites",
    ]


def test_prerequisites_are_exported_in_catalog_order(site_content, tmp_path):
    site_content.tools["airflow"].prerequisites.set(
        [site_content.tools[slug] for slug in ("spark", "docker", "kafka")]
    )

    export_content(output_dir=tmp_path)

    airflow = _tool_rows(_rows(tmp_path / "catalog.json"))["airflow"]
    order = {slug: tool.order for slug, tool in site_content.tools.items()}
    assert airflow["prerequisites"] == sorted(
        [["spark"], ["docker"], ["kafka"]], key=lambda key: order[key[0]]
    )


def test_a_prerequisite_later_in_the_file_is_loaded(catalog_rows, tmp_path):
    # Docker (early in the file) now needs a new tool listed at the very end.
    rows = catalog_rows
    tools = _tool_rows(rows)
    tools["docker"]["prerequisites"] = [["linux"]]
    linux = {**tools["dvc"], "slug": "linux", "name": "Linux", "prerequisites": [], "order": 99}
    rows.append({"model": "roles.tool", "fields": linux})
    path = _write(tmp_path, rows)
    empty_the_database()

    report = load_content(paths=[path])

    assert _prerequisites("docker") == ["linux"]
    assert _prerequisites("kubeflow") == ["docker"]
    assert len(report.created) == len(rows)
    # Loaded as the fixture says, so a second load finds every row unchanged.
    again = load_content(paths=[path])
    assert again.created == again.updated == again.kept_edits == []


def test_an_existing_tool_gets_a_prerequisite_added_later_in_the_file(catalog_rows, tmp_path):
    rows = catalog_rows
    tools = _tool_rows(rows)
    tools["docker"]["prerequisites"] = [["linux"]]
    linux = {**tools["dvc"], "slug": "linux", "name": "Linux", "prerequisites": [], "order": 99}
    rows.append({"model": "roles.tool", "fields": linux})

    report = load_content(paths=[_write(tmp_path, rows)])

    assert _prerequisites("docker") == ["linux"]
    assert report.updated == ['roles.tool ["docker"]']
    assert report.created == ['roles.tool ["linux"]']


def test_an_editors_prerequisites_are_kept(catalog_rows, tmp_path):
    Tool.objects.get(slug="mlflow").prerequisites.add(Tool.objects.get(slug="docker"))
    rows = catalog_rows
    tools = _tool_rows(rows)
    tools["mlflow"]["prerequisites"] = [["linux"]]
    linux = {**tools["dvc"], "slug": "linux", "name": "Linux", "prerequisites": [], "order": 99}
    rows.append({"model": "roles.tool", "fields": linux})

    report = load_content(paths=[_write(tmp_path, rows)])

    assert _prerequisites("mlflow") == ["docker"]
    assert report.kept_edits == ['roles.tool ["mlflow"]']


@pytest.mark.parametrize("fresh", [True, False], ids=["empty database", "over a loaded one"])
def test_a_cycle_is_refused_named_and_nothing_is_loaded(catalog_rows, tmp_path, fresh):
    rows = catalog_rows
    tools = _tool_rows(rows)
    tools["docker"]["prerequisites"] = [["mlflow"]]
    tools["mlflow"]["prerequisites"] = [["kubeflow"]]  # Kubeflow already needs Docker
    tools["spark"]["summary_en"] = "Changed along with the cycle."
    path = _write(tmp_path, rows)
    if fresh:
        empty_the_database()
    counts = _counts()

    with pytest.raises(ContentError) as refused:
        load_content(paths=[path])

    assert "Docker -> MLflow -> Kubeflow -> Docker" in str(refused.value)
    assert _counts() == counts
    assert not Tool.objects.filter(summary="Changed along with the cycle.").exists()
    if not fresh:
        assert _prerequisites("docker") == [] and _prerequisites("mlflow") == []


def test_a_tool_requiring_itself_is_refused(catalog_rows, tmp_path):
    rows = catalog_rows
    _tool_rows(rows)["spark"]["prerequisites"] = [["spark"]]

    with pytest.raises(ContentError, match="Apache Spark -> Apache Spark"):
        load_content(paths=[_write(tmp_path, rows)])
    assert _prerequisites("spark") == []


def test_a_cycle_made_with_an_editors_change_is_refused(catalog_rows, tmp_path):
    # The editor made Docker need MLflow; a newer fixture makes MLflow need Kubeflow.
    Tool.objects.get(slug="docker").prerequisites.add(Tool.objects.get(slug="mlflow"))
    rows = catalog_rows
    _tool_rows(rows)["mlflow"]["prerequisites"] = [["kubeflow"]]

    with pytest.raises(ContentError, match="Docker -> MLflow -> Kubeflow -> Docker"):
        load_content(paths=[_write(tmp_path, rows)])
    assert _prerequisites("mlflow") == []


def test_an_unknown_prerequisite_is_refused(catalog_rows, tmp_path):
    rows = catalog_rows
    _tool_rows(rows)["spark"]["prerequisites"] = [["no-such-tool"]]
    path = _write(tmp_path, rows)
    empty_the_database()

    with pytest.raises(ContentError, match="can't be loaded"):
        load_content(paths=[path])
    assert not any(_counts().values())


def test_bad_hours_or_milestones_are_refused(catalog_rows, tmp_path):
    for field, value, message in [
        ("hours_to_learn", 0, "greater than or equal to 1"),
        ("milestones_en", "Just one", "Write 3 to 6 milestones"),
        ("milestones_es", "Solo uno", "Write 3 to 6 milestones"),
    ]:
        rows = json.loads(json.dumps(catalog_rows))
        _tool_rows(rows)["spark"][field] = value
        with pytest.raises(ContentError, match=message):
            load_content(paths=[_write(tmp_path, rows)])


def test_the_command_says_nothing_was_loaded(catalog_rows, tmp_path, settings):
    rows = catalog_rows
    _tool_rows(rows)["docker"]["prerequisites"] = [["kubeflow"]]
    fixture_dir = tmp_path / "cyclic"
    fixture_dir.mkdir()
    _write(fixture_dir, rows)
    for path in content_fixture_paths()[1:]:
        (fixture_dir / path.name).write_bytes(path.read_bytes())
    settings.FIXTURE_DIRS = [fixture_dir]

    with pytest.raises(CommandError) as refused:
        call_command("load_content", verbosity=0)

    assert "Docker -> Kubeflow -> Docker" in str(refused.value)
    assert str(refused.value).endswith("Nothing was loaded.")


def test_export_load_export_gives_the_same_bytes_with_forward_prerequisites(site_content, tmp_path):
    # Docker comes first in the catalog's order and now needs a tool exported after it.
    tools = site_content.tools
    linux = factories.ToolFactory(
        name="Linux",
        slug="linux",
        category=tools["docker"].category,
        roles=list(Role.objects.all()),
        order=50,
        hours_to_learn=30,
        milestones="Use a shell\nManage files and permissions\nWrite a small shell script",
    )
    tools["docker"].prerequisites.set([linux])
    tools["airflow"].prerequisites.set([tools["kafka"], tools["spark"]])
    export_content(output_dir=tmp_path / "before")
    before = _tool_rows(_rows(tmp_path / "before" / "catalog.json"))
    assert list(before).index("docker") < list(before).index("linux")

    empty_the_database()
    load_content(paths=sorted((tmp_path / "before").iterdir()))
    export_content(output_dir=tmp_path / "after")

    for name in ("catalog.json", "quiz.json"):
        assert (tmp_path / "after" / name).read_bytes() == (tmp_path / "before" / name).read_bytes()
    assert _prerequisites("docker") == ["linux"]
