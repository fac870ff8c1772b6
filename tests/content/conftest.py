"""Content tests run the loader and the exporter on small fixture files of their own, written
in tmp_path from the factories' world, never on the shipped fixtures/ (see
test_shipped_fixtures.py for the one test that loads those)."""

from pathlib import Path

import pytest

from careerguide.content.export import export_content
from careerguide.content.loader import content_fixture_paths, load_content
from tests import factories
from tests.content.helpers import empty_the_database


@pytest.fixture
def small_fixtures(db, tmp_path, settings) -> list[Path]:
    """The factories' world, federal figures too, written as content fixtures into tmp_path,
    made the fixture directory (settings.FIXTURE_DIRS), and loaded into an empty database as
    `make run` does."""
    factories.site_content_create(question_count=2)  # the loader is slow: a row at a time
    factories.labour_figures_create()
    fixture_dir = tmp_path / "fixtures"
    export_content(output_dir=fixture_dir)
    empty_the_database()
    settings.FIXTURE_DIRS = [fixture_dir]
    load_content()
    return content_fixture_paths()
