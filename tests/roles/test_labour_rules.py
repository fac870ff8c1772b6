"""The pure rules of the federal figures (roles.labour, roles.labour_file), their words
(roles.labour_words) and the wage range chart (roles.charts): no database."""

import datetime

import pytest
from django.utils import translation

from roles import charts, labour, labour_file, labour_words
from roles.models import LabourSource, Outlook
from tests.roles.conftest import LABOUR_CSV

HEADER = (
    "soc_code,occupation,proxy_for,dataset,reference_period,measure,value,unit,cite_url,checked"
)
OEWS = "BLS Occupational Employment and Wage Statistics (national; cross-industry)"
OOH = "BLS Occupational Outlook Handbook (employment projections)"
CATALOG = labour_file.Catalog(
    occupations={"15-1243", "15-2051", "15-1252"},
    roles={"data-engineer", "mlops-engineer"},
    proxies={
        ("data-engineer", "15-1243"),
        ("mlops-engineer", "15-2051"),
        ("mlops-engineer", "15-1252"),
    },
)


def _row(measure, value, unit="USD a year", code="15-1243", role="data-engineer", **other):
    period = other.get(
        "period", "2024-34" if "jobs" in measure or "growth" in measure else "May 2024"
    )
    dataset = other.get("dataset", OOH if period == "2024-34" else OEWS)
    title = other.get("title", "Database Architects")
    url = other.get("url", "https://www.bls.gov/oes/2024/may/oes151243.htm")
    return f"{code},{title},{role},{dataset},{period},{measure},{value},{unit},{url},two sources"


def _file(*rows):
    return "\n".join([HEADER, *rows]) + "\n"


def _problems(text):
    with pytest.raises(labour_file.LabourFileError) as error:
        labour_file.parse_file(text, catalog=CATALOG)
    return error.value.problems


# The shipped file ---------------------------------------------------------------------------


def test_the_shipped_file_parses_into_three_wage_groups_and_three_outlooks():
    parsed = labour_file.parse_file(LABOUR_CSV.read_text(encoding="utf-8"), catalog=CATALOG)

    assert parsed.figure_count == len(LABOUR_CSV.read_text().splitlines()) - 1 == 32
    assert [group.code for group in parsed.wages] == ["15-1243", "15-2051", "15-1252"]
    assert [group.code for group in parsed.outlooks] == [
        "15-1242+15-1243",
        "15-2051",
        "15-1252+15-1253",
    ]
    architects = parsed.wages[0]
    assert architects.figures == {
        "employment": 64770,
        "p10": 81630,
        "p25": 107900,
        "median": 135980,
        "p75": 169480,
        "p90": 209990,
    }
    # The median was checked on the Handbook's page; the group cites the page most rows do.
    assert architects.page_url == "https://www.bls.gov/oes/2024/may/oes151243.htm"
    assert architects.source.kind == labour.WAGES
    scientists = parsed.outlooks[1]
    assert scientists.figures == {
        "jobs": 245900,
        "growth_percent": 34,
        "growth_words": "Much faster than average",
        "openings_per_year": 23400,
    }
    assert scientists.page_url == "https://www.bls.gov/ooh/math/data-scientists.htm"


def test_a_byte_order_mark_and_blank_lines_are_fine():
    text = "\ufeff" + _file(_row("annual_wage_p10", "81630"), "", _row("annual_wage_p90", "209990"))

    parsed = labour_file.parse_file(text, catalog=CATALOG)

    assert parsed.wages[0].figures == {"p10": 81630, "p90": 209990}


# Bad files: every problem, each with its line -----------------------------------------------


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [_row("annual_wage_p10", "81630", code="15-9999")],
            "line 2: unknown occupation 15-9999: add it in the admin first",
        ),
        (
            [_row("annual_wage_p10", "81630", code="151243")],
            "line 2: '151243' is not an occupation",
        ),
        (
            [_row("jobs_2024", "100", unit="jobs", code="15-9998+15-9999")],
            "line 2: unknown occupation 15-9998+15-9999",
        ),
        ([_row("annual_wage_p10", "lots")], "line 2: the value 'lots' of annual_wage_p10 is not"),
        ([_row("annual_wage_p10", '"81,630"')], "line 2: the value '81,630' of annual_wage_p10"),
        ([_row("annual_wage_p10", "")], "line 2: the value '' of annual_wage_p10 is not"),
        ([_row("annual_wage_p10", "-5")], "line 2: the value '-5' of annual_wage_p10"),
        ([_row("annual_wage_p10", "1.5e5")], "line 2: the value '1.5e5' of annual_wage_p10"),
        ([_row("hourly_wage_p10", "40", unit="USD an hour")], "line 2: unknown measure"),
        (
            [_row("annual_wage_p10", "81630", unit="USD an hour")],
            "line 2: the unit of annual_wage_p10",
        ),
        (
            [_row("jobs_2023", "100", unit="jobs")],
            "line 2: measure jobs_2023 is not for the base year",
        ),
        ([_row("growth_words", "Quite fast", unit="")], "line 2: 'Quite fast' is not one of"),
        ([_row("annual_wage_p10", "81630", role="astronaut")], "line 2: unknown role 'astronaut'"),
        (
            [_row("annual_wage_p10", "81630", role="mlops-engineer")],
            "line 2: 15-1243 does not stand in for mlops-engineer",
        ),
        (
            [_row("annual_wage_p10", "81630", period="2024-34")],
            "line 2: annual_wage_p10 is a wage figure (OEWS), but 2024-34 is a projection",
        ),
        ([_row("annual_wage_p10", "81630", period="Spring 2024")], "line 2: reference period"),
        ([_row("annual_wage_p10", "81630", url="bls.gov")], "line 2: cite_url 'bls.gov'"),
        (
            [_row("annual_wage_p10", "81630"), _row("annual_wage_p10", "81631")],
            "line 3: a second annual_wage_p10 for 15-1243 (May 2024); the first is on line 2",
        ),
        (
            [_row("annual_wage_p10", "81630"), _row("annual_wage_p90", "1", title="Architects")],
            "line 3: 15-1243 is called 'Architects' here, 'Database Architects' on line 2",
        ),
        (
            [_row("annual_wage_p25", "107900"), _row("annual_wage_median", "100000")],
            "lines 2 and 3: the percentiles of 15-1243 (May 2024) are out of order: the median "
            "(100,000) is below the P25 (107,900)",
        ),
        (
            [_row("annual_wage_p10", "81630") + ",extra"],
            "line 2: 11 cells, but the header has 10",
        ),
        ([",".join([""] * 10)], "line 2: the file holds no figures"),
    ],
)
def test_a_bad_row_is_reported_at_its_line(rows, expected):
    problems = _problems(_file(*rows))
    assert any(problem.startswith(expected) for problem in problems), problems


def test_every_bad_row_is_reported_not_only_the_first():
    problems = _problems(
        _file(
            _row("annual_wage_p10", "81630"),
            _row("annual_wage_p25", "abc"),
            _row("annual_wage_median", "135980", code="15-0000"),
            _row("annual_wage_p75", "169480"),
        )
    )

    assert [problem.split(":")[0] for problem in problems] == ["line 3", "line 4"]


@pytest.mark.parametrize("dropped", labour_file.REQUIRED_COLUMNS)
def test_a_missing_column_is_reported_on_line_1(dropped):
    columns = HEADER.split(",")
    index = columns.index(dropped)
    lines = [
        ",".join(cell for position, cell in enumerate(line.split(",")) if position != index)
        for line in [HEADER, _row("annual_wage_p10", "81630")]
    ]

    assert _problems("\n".join(lines)) == [f"line 1: missing column: {dropped}"]


def test_an_empty_file_is_refused():
    assert _problems("") == ["line 1: missing columns: " + ", ".join(labour_file.REQUIRED_COLUMNS)]


def test_equal_neighbouring_percentiles_are_allowed():
    parsed = labour_file.parse_file(
        _file(_row("annual_wage_p75", "239200"), _row("annual_wage_p90", "239200")),
        catalog=CATALOG,
    )
    assert parsed.wages[0].figures == {"p75": 239200, "p90": 239200}


def test_a_decline_and_zero_growth_are_numbers():
    parsed = labour_file.parse_file(
        _file(_row("growth_percent", "-3", unit="percent", url="https://www.bls.gov/ooh/x.htm")),
        catalog=CATALOG,
    )
    assert parsed.outlooks[0].figures == {"growth_percent": -3}


# Periods, percentiles, the outlook in one line ----------------------------------------------


@pytest.mark.parametrize(
    ("period", "kind", "as_of"),
    [
        ("May 2024", labour.WAGES, datetime.date(2024, 5, 31)),
        ("December 2025", labour.WAGES, datetime.date(2025, 12, 31)),
        ("February 2024", labour.WAGES, datetime.date(2024, 2, 29)),
        ("2024-34", labour.OUTLOOK, datetime.date(2024, 12, 31)),
        ("2094-04", labour.OUTLOOK, datetime.date(2094, 12, 31)),
        ("2024-24", None, None),
        ("may 2024", None, None),
        ("2024", None, None),
        ("", None, None),
    ],
)
def test_periods(period, kind, as_of):
    assert labour.period_kind(period) == kind
    assert labour.period_as_of(period) == as_of


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"p10": 1, "p25": 2, "median": 3, "p75": 4, "p90": 5}, None),
        ({"p10": 1, "median": 3, "p90": 5}, None),
        ({"p10": 1, "p25": None, "median": 3}, None),
        ({"p10": 5, "p25": 2}, ("p10", "p25")),
        ({"p10": 1, "p25": None, "median": 3, "p75": 2}, ("median", "p75")),
        ({}, None),
    ],
)
def test_percentiles_out_of_order(values, expected):
    assert labour.percentiles_out_of_order(values) == expected


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        (
            (34, "Much faster than average", 23400),
            "34% growth 2024-34, much faster than average, about 23,400 openings a year",
        ),
        ((4, "", None), "4% growth 2024-34"),
        ((-3, "Decline", 1200), "3% decline 2024-34, decline, about 1,200 openings a year"),
        ((None, "As fast as average", None), "As fast as average (2024-34)"),
        ((None, "", 7800), "About 7,800 openings a year"),
        ((None, "", None), ""),
    ],
)
def test_the_outlook_in_one_line(figures, expected):
    percent, words, openings = figures
    outlook = Outlook(
        source=LabourSource(reference_period="2024-34"),
        growth_percent=percent,
        growth_words=words,
        openings_per_year=openings,
    )
    with translation.override("en"):
        parts = labour_words.outlook_parts(outlook)
    assert ", ".join(part.text for part in parts) == expected


# The chart ----------------------------------------------------------------------------------

ARCHITECTS = {"p10": 81630, "p25": 107900, "median": 135980, "p75": 169480, "p90": 209990}
SCIENTISTS = {"p10": 63650, "p25": 82630, "median": 112590, "p75": 155810, "p90": 194410}


def test_one_axis_for_every_chart_of_a_page():
    scale = charts.wage_scale([ARCHITECTS, SCIENTISTS, {"p10": None}])

    assert (scale.low, scale.high, scale.step) == (50_000, 250_000, 50_000)
    assert scale.x(50_000) == charts.PLOT_LEFT and scale.x(250_000) == charts.PLOT_RIGHT
    assert charts.wage_scale([{"p10": None, "median": None}]) is None
    assert charts.wage_scale([]) is None
    narrow = charts.wage_scale([{"median": 40_000}])
    assert narrow.low <= 40_000 < narrow.high


def test_the_chart_draws_p10_to_p90_the_middle_half_and_the_median():
    scale = charts.wage_scale([ARCHITECTS])
    chart = charts.wage_chart(
        ARCHITECTS, title="Database Architects", period="May 2024", scale=scale
    )

    x = {name: scale.x(value) for name, value in ARCHITECTS.items()}
    assert chart.whisker == (f"{x['p10']:.1f}", f"{x['p90'] - x['p10']:.1f}")
    assert chart.band == (f"{x['p25']:.1f}", f"{x['p75'] - x['p25']:.1f}")
    assert chart.median_x == f"{x['median']:.1f}"
    assert [label.text for label in chart.labels] == ["median $135,980", "$81,630", "$209,990"]
    assert [tick.text for tick in chart.ticks] == ["$50k", "$100k", "$150k", "$200k", "$250k"]
    assert chart.title == "Annual wages of Database Architects, May 2024"
    assert chart.description == (
        "Range of the annual wages of Database Architects in May 2024: a tenth earn less than "
        "$81,630; a tenth earn more than $209,990; the middle half earn between $107,900 and "
        "$169,480; half earn less than $135,980 (the median)."
    )


def test_a_missing_percentile_is_not_drawn_nor_said():
    figures = {"p10": None, "p25": 82630, "median": 112590, "p75": None, "p90": 194410}
    scale = charts.wage_scale([figures])
    chart = charts.wage_chart(figures, title="Data Scientists", period="May 2024", scale=scale)

    assert chart.whisker is None and chart.band is None
    assert chart.median_x is not None
    assert "$194,410" in [label.text for label in chart.labels]
    assert "tenth earn less" not in chart.description
    assert "a quarter earn less than $82,630" in chart.description
    assert charts.wage_chart({"mean": 1}, title="x", period="May 2024", scale=scale) is None


def test_labels_stay_inside_the_chart():
    figures = {"p10": 50_000, "median": 51_000, "p90": 250_000}
    chart = charts.wage_chart(
        figures, title="x", period="May 2024", scale=charts.wage_scale([figures])
    )
    for label in chart.labels:
        half = len(label.text) * charts.CHARACTER_WIDTH / 2
        assert half <= float(label.x) <= charts.WIDTH - half
