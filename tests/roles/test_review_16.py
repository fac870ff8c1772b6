"""Review of issue 16: odd bytes in a BLS release are refused at their line, like any bad row."""

import pytest
from django.core.management import CommandError

from tests import factories
from tests.roles.test_labour_import import _csv_rows, _import, _snapshot, _write

pytestmark = pytest.mark.django_db


@pytest.fixture
def proxies(site_content):
    return factories.labour_proxies_create()


def _changed(index, **cells):
    rows = _csv_rows()
    rows[index].update(cells)
    return rows


@pytest.mark.parametrize("column", ["dataset", "occupation", "cite_url"])
def test_a_nul_character_is_refused_at_its_line(tmp_path, proxies, column):
    # PostgreSQL refuses a NUL in text (a traceback, not a message); SQLite would keep it.
    before = _snapshot()
    rows = _changed(1, **{column: _csv_rows()[1][column] + "\x00"})

    with pytest.raises(CommandError, match=r"line 3: .*NUL"):
        _import(_write(tmp_path, rows))
    assert _snapshot() == before


@pytest.mark.parametrize(
    "value", ["\u0663\u0660\u0660\u0660\u0660", "\uff18\uff11\uff16\uff13\uff10"]
)
def test_a_number_in_other_digits_is_refused(tmp_path, proxies, value):
    # Python's \d and int() take Arabic-Indic or full-width digits; BLS writes 0-9.
    before = _snapshot()

    with pytest.raises(CommandError, match="line 3: the value"):
        _import(_write(tmp_path, _changed(1, value=value)))
    assert _snapshot() == before
