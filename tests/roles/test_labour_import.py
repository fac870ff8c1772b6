"""`manage.py import_labour_figures CSV` (`make labour-figures CSV=...`): a release of the
BLS file checked row by row, then loaded in one transaction; a bad file changes nothing."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from roles.models import LabourSource, Occupation, Outlook, RoleProxy, WageDistribution
from tests.roles.conftest import LABOUR_CSV

pytestmark = pytest.mark.django_db

LABOUR_MODELS = [LabourSource, Occupation, RoleProxy, WageDistribution, Outlook]


def _import(path, *options):
    out = io.StringIO()
    call_command("import_labour_figures", str(path), *options, stdout=out)
    return out.getvalue()


def _snapshot():
    """Every labour row with every field, to tell whether anything changed."""
    rows = []
    for model in LABOUR_MODELS:
        for row in model.objects.order_by("pk"):
            fields = model_to_dict(row)
            if "occupations" in fields:
                fields["occupations"] = sorted(o.pk for o in fields["occupations"])
            rows.append((model.__name__, row.pk, sorted(fields.items(), key=str)))
    return rows


def _csv_rows():
    with LABOUR_CSV.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def _write(tmp_path, rows, name="release.csv"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_shipped_file_imports_every_figure(proxies):
    out = _import(LABOUR_CSV, "--retrieved-on", "2026-12-02")

    assert "imported 32 figures" in out and "6 rows created" in out
    assert LabourSource.objects.count() == 6
    assert {source.retrieved_on for source in LabourSource.objects.all()} == {
        datetime.date(2026, 12, 2)
    }
    for row in _csv_rows():
        measure, value = row["measure"], row["value"]
        if row["dataset"].startswith("BLS Occupational Employment"):
            wages = WageDistribution.objects.get(occupation__code=row["soc_code"])
            name = measure.removeprefix("annual_wage_")
            assert getattr(wages, name) == int(value), row
            assert wages.source.reference_period == row["reference_period"]
        else:
            outlook = Outlook.objects.get(group_code=row["soc_code"])
            name = {"jobs_2024": "jobs", "median_pay_2024": "median_pay"}.get(measure, measure)
            expected = value if name == "growth_words" else int(value)
            assert getattr(outlook, name) == expected, row
            assert outlook.source.page_url == row["cite_url"]
    # A figure the file does not give stays empty.
    scientists = WageDistribution.objects.get(occupation__code="15-2051")
    assert scientists.mean is None and scientists.employment is None
    assert Outlook.objects.get(group_code="15-2051").median_pay is None
    # A Handbook group covers the proxy occupations among its codes.
    group = Outlook.objects.get(group_code="15-1242+15-1243")
    assert [occupation.code for occupation in group.occupations.all()] == ["15-1243"]
    assert group.group_title == "Database Administrators and Architects"


def test_importing_the_same_release_again_replaces_and_adds_nothing(proxies):
    _import(LABOUR_CSV, "--retrieved-on", "2026-12-01")
    counts = [model.objects.count() for model in LABOUR_MODELS]

    out = _import(LABOUR_CSV, "--retrieved-on", "2026-12-02")

    assert "0 rows created, 6 replaced" in out
    assert [model.objects.count() for model in LABOUR_MODELS] == counts
    assert set(LabourSource.objects.values_list("retrieved_on", flat=True)) == {
        datetime.date(2026, 12, 2)
    }


def test_a_newer_release_is_added_beside_the_old_and_is_the_one_shown(client, proxies, tmp_path):
    _import(LABOUR_CSV)
    rows = [
        {
            **row,
            "reference_period": "May 2025",
            "value": str(int(row["value"]) + 1000),
            "cite_url": row["cite_url"].replace("/2024/", "/2025/"),
        }
        for row in _csv_rows()
        if row["soc_code"] == "15-1243" and row["measure"].startswith("annual_wage")
    ]

    _import(_write(tmp_path, rows))

    assert WageDistribution.objects.filter(occupation__code="15-1243").count() == 2
    html = client.get("/roles/data-engineer/").content.decode()
    assert "$136,980" in html and "May 2025" in html
    assert "$135,980" not in html
    # The release gave no employment figure: the old one is not carried over.
    assert "64,770" not in html


def test_the_retrieved_on_date_defaults_to_today(proxies):
    _import(LABOUR_CSV)
    assert LabourSource.objects.first().retrieved_on == datetime.date.today()


def _bad_release(tmp_path, change):
    rows = _csv_rows()
    change(rows)
    return _write(tmp_path, rows)


def _unknown_code(rows):
    rows[5]["soc_code"] = "15-9999"


def _out_of_order(rows):
    rows[2]["value"] = "79999"  # the P25 of 15-1243 below its P10 (81,630)


def _not_a_number(rows):
    rows[8]["value"] = "about 112k"


def _missing_column(rows):
    for row in rows:
        del row["unit"]


def _unknown_role(rows):
    rows[0]["proxy_for"] = "astronaut"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_unknown_code, "line 7: unknown occupation 15-9999"),
        (
            _out_of_order,
            "lines 3 and 4: the percentiles of 15-1243 (May 2024) are out of order: the P25 "
            "(79,999) is below the P10 (81,630)",
        ),
        (_not_a_number, "line 10: the value 'about 112k' of annual_wage_median is not a whole"),
        (_missing_column, "line 1: missing column: unit"),
        (_unknown_role, "line 2: unknown role 'astronaut' in proxy_for"),
    ],
    ids=["unknown-code", "percentiles-out-of-order", "not-a-number", "missing-column", "role"],
)
@pytest.mark.parametrize("first", [True, False], ids=["first-import", "over-a-release"])
def test_a_bad_file_is_refused_with_its_lines_and_changes_nothing(
    proxies, tmp_path, change, message, first
):
    if not first:
        _import(LABOUR_CSV, "--retrieved-on", "2026-01-05")
    before = _snapshot()
    path = _bad_release(tmp_path, change)

    with pytest.raises(CommandError) as error:
        _import(path, "--retrieved-on", "2026-12-02")

    assert "was not imported; nothing changed" in str(error.value)
    assert f"  {message}" in str(error.value)
    assert _snapshot() == before


def test_a_bad_row_late_in_the_file_leaves_the_good_ones_unsaved(proxies, tmp_path):
    path = _bad_release(tmp_path, lambda rows: rows[-1].update(value="n/a"))

    with pytest.raises(CommandError, match="line 33: the value 'n/a' of median_pay_2024"):
        _import(path)

    assert not LabourSource.objects.exists() and not WageDistribution.objects.exists()


def test_a_row_the_model_refuses_rolls_the_whole_import_back(proxies, tmp_path):
    # The last group's page of record is too long to store: the file reads well, the
    # groups before it are saved first, and then all of it is undone.
    _import(LABOUR_CSV, "--retrieved-on", "2026-01-05")
    before = _snapshot()
    long_url = "https://www.bls.gov/ooh/" + "x" * 200 + ".htm"

    def change(rows):
        for row in rows[-5:]:
            row["cite_url"] = long_url

    with pytest.raises(CommandError) as error:
        _import(_bad_release(tmp_path, change), "--retrieved-on", "2026-12-02")

    assert (
        "lines 29, 30, 31, 32, 33: 15-1252+15-1253 (2024-34): Ensure this value has at most"
        in str(error.value)
    )
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["/no/such/file.csv"], "Could not read /no/such/file.csv"),
        ([str(LABOUR_CSV), "--retrieved-on", "yesterday"], "is not a date like"),
    ],
)
def test_bad_arguments_are_a_clear_error(proxies, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_labour_figures", *arguments)
    assert not LabourSource.objects.exists()


def test_a_file_that_is_not_text_is_refused(proxies, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_bytes(b"\xff\xfe\x00binary")

    with pytest.raises(CommandError, match="Could not read"):
        _import(path)
    assert not LabourSource.objects.exists()


# Odd bytes are refused at their line, like any bad row ----------------------------------------


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
