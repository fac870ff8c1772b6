"""Reading and checking a release of the BLS file (us-labour-market.csv's shape), as pure
functions: no ORM and no Django here. The import (roles.authoring) gives this module what the
catalog knows (occupation codes, role slugs, which occupation stands in for which role) and
gets back either every figure of the file, grouped by occupation and source, or every problem
in it with its line number.

Two families of figures come in one file and are never mixed (roles.labour): a group of rows
is OEWS wages or the Handbook's outlook, never both.
"""

import csv
import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from .labour import (
    GROUP_CODE,
    GROWTH_WORDS,
    OCCUPATION_CODE,
    OUTLOOK,
    WAGES,
    group_parts,
    percentile_words,
    percentiles_out_of_order,
    period_base_year,
    period_kind,
)

REQUIRED_COLUMNS = (
    "soc_code",
    "occupation",
    "proxy_for",
    "dataset",
    "reference_period",
    "measure",
    "value",
    "unit",
    "cite_url",
)

# measure -> (field, unit the file must give)
WAGE_MEASURES = {
    "annual_wage_p10": ("p10", "USD a year"),
    "annual_wage_p25": ("p25", "USD a year"),
    "annual_wage_median": ("median", "USD a year"),
    "annual_wage_p75": ("p75", "USD a year"),
    "annual_wage_p90": ("p90", "USD a year"),
    "annual_wage_mean": ("mean", "USD a year"),
    "employment": ("employment", "people"),
}
OUTLOOK_MEASURES = {
    "growth_percent": ("growth_percent", "percent"),
    "growth_words": ("growth_words", ""),
    "openings_per_year": ("openings_per_year", "openings"),
}
# Measures named after the projection's base year (jobs_2024 for 2024-34).
OUTLOOK_YEAR_MEASURES = {
    "jobs": ("jobs", "jobs"),
    "median_pay": ("median_pay", "USD a year"),
}
_YEAR_MEASURE = re.compile(r"(jobs|median_pay)_(\d{4})")

_URL = re.compile(r"https?://[^\s/]+\.[^\s]+")
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")  # not \d: int() takes other scripts' digits


@dataclass(frozen=True)
class SourceKey:
    """One cited page of one dataset and period: what a source row is."""

    dataset: str
    reference_period: str
    page_url: str
    kind: str


@dataclass
class Group:
    """The rows of one occupation (or Handbook group) in one dataset and period."""

    code: str
    title: str
    dataset: str
    reference_period: str
    kind: str
    roles: set[str] = field(default_factory=set)
    figures: dict[str, int | str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # field -> line it came from
    urls: list[str] = field(default_factory=list)

    @property
    def page_url(self) -> str:
        """The page most of the group's rows cite (the first, on a tie): a figure checked on
        another page of the same dataset and period (the Handbook repeats OEWS medians) is
        also on this one."""
        return Counter(self.urls).most_common(1)[0][0]

    @property
    def source(self) -> SourceKey:
        return SourceKey(self.dataset, self.reference_period, self.page_url, self.kind)


@dataclass
class LabourFile:
    wages: list[Group]
    outlooks: list[Group]

    @property
    def figure_count(self) -> int:
        return sum(len(group.figures) for group in [*self.wages, *self.outlooks])


class LabourFileError(Exception):
    """The file can't be imported; `problems` says every reason, each with its line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Catalog:
    """What the catalog knows, for checking a file: occupation codes, role slugs, and the
    (role slug, occupation code) pairs where the occupation stands in for the role."""

    occupations: Collection[str]
    roles: Collection[str]
    proxies: Collection[tuple[str, str]]


def _number(value: str, *, signed: bool) -> int | None:
    if not _WHOLE_NUMBER.fullmatch(value) or (not signed and value.startswith("-")):
        return None
    return int(value)


def _measure(measure: str, period: str) -> tuple[str, str, str] | str:
    """(kind, field, unit) of a measure, or the problem with it."""
    if measure in WAGE_MEASURES:
        return (WAGES, *WAGE_MEASURES[measure])
    if measure in OUTLOOK_MEASURES:
        return (OUTLOOK, *OUTLOOK_MEASURES[measure])
    if match := _YEAR_MEASURE.fullmatch(measure):
        base_year = period_base_year(period)
        if base_year is not None and int(match.group(2)) != base_year:
            return f"measure {measure} is not for the base year of {period} ({base_year})"
        return (OUTLOOK, *OUTLOOK_YEAR_MEASURES[match.group(1)])
    known = [*WAGE_MEASURES, *OUTLOOK_MEASURES, "jobs_<year>", "median_pay_<year>"]
    return f"unknown measure {measure!r} (known: {', '.join(known)})"


def _value(name: str, raw: str) -> int | str | None:
    if name == "growth_words":
        return next((words for words in GROWTH_WORDS if words.lower() == raw.lower()), None)
    number = _number(raw, signed=name == "growth_percent")
    if number is None or (name not in ("growth_percent", "employment") and number == 0):
        return None
    return number


def _value_problem(name: str, measure: str, raw: str) -> str:
    if name == "growth_words":
        return f"{raw!r} is not one of the Handbook's words for growth ({', '.join(GROWTH_WORDS)})"
    if name == "growth_percent":
        return f"the value {raw!r} of {measure} is not a whole number"
    return f"the value {raw!r} of {measure} is not a whole number above zero"


def _code_problem(code: str, kind: str, catalog: Catalog) -> str | None:
    if kind == WAGES:
        if not OCCUPATION_CODE.fullmatch(code):
            return f"{code!r} is not an occupation code (like 15-1243)"
        if code not in catalog.occupations:
            return (
                f"unknown occupation {code}: add it in the admin first, with the roles it "
                "stands in for"
            )
        return None
    if not GROUP_CODE.fullmatch(code):
        return f"{code!r} is not an occupation code or a group of them (like 15-1242+15-1243)"
    if not set(group_parts(code)) & set(catalog.occupations):
        return f"unknown occupation {code}: none of its codes is an occupation in the admin"
    return None


def _proxy_problem(code: str, kind: str, role: str, catalog: Catalog) -> str | None:
    if role not in catalog.roles:
        return f"unknown role {role!r} in proxy_for"
    codes = [code] if kind == WAGES else group_parts(code)
    if not any((role, part) in catalog.proxies for part in codes):
        return f"{code} does not stand in for {role} in the admin"
    return None


def _rows(text: str) -> tuple[list[str], Iterable[tuple[int, list[str]]]]:
    reader = csv.reader(text.splitlines(keepends=True))
    header = next(reader, None)
    return [column.strip() for column in header or []], (
        (reader.line_num, row) for row in reader if any(cell.strip() for cell in row)
    )


def _row_problems(
    row: dict[str, str],
    line: int,
    catalog: Catalog,
    groups: dict[tuple[str, str, str, str], Group],
    titles: dict[tuple[str, str], tuple[str, int]],
) -> list[str]:
    """What is wrong with one row; a row with nothing wrong joins its group."""
    if nul := [column for column, cell in row.items() if "\x00" in cell]:
        # PostgreSQL refuses a NUL in text: a traceback at the save, not a line's message.
        return [f"a NUL character in {', '.join(nul)}"]
    empty = [
        column for column in REQUIRED_COLUMNS if column not in ("value", "unit") and not row[column]
    ]
    if empty:
        return [f"empty {', '.join(empty)}"]
    code, period, raw_measure = row["soc_code"], row["reference_period"], row["measure"]
    problems = []
    kind_of_period = period_kind(period)
    if kind_of_period is None:
        problems.append(
            f"reference period {period!r} is neither a survey month (like May 2024) nor a "
            "projection (like 2024-34)"
        )
    measure = _measure(raw_measure, period)
    if isinstance(measure, str):
        return [*problems, measure]
    kind, name, unit = measure
    if kind_of_period is not None and kind != kind_of_period:
        figure, other = (
            ("a wage figure (OEWS)", "a projection period")
            if kind == WAGES
            else ("an outlook figure (Handbook)", "a survey month")
        )
        problems.append(f"{raw_measure} is {figure}, but {period} is {other}")
    if row["unit"] != unit:
        problems.append(f"the unit of {raw_measure} is {row['unit']!r}; it must be {unit!r}")
    value = _value(name, row["value"])
    if value is None:
        problems.append(_value_problem(name, raw_measure, row["value"]))
    if code_problem := _code_problem(code, kind, catalog):
        problems.append(code_problem)
    elif proxy_problem := _proxy_problem(code, kind, row["proxy_for"], catalog):
        problems.append(proxy_problem)
    if not _URL.fullmatch(row["cite_url"]):
        problems.append(f"cite_url {row['cite_url']!r} is not a web address")
    title, first_line = titles.setdefault((code, kind), (row["occupation"], line))
    if title != row["occupation"]:
        problems.append(
            f"{code} is called {row['occupation']!r} here, {title!r} on line {first_line}"
        )
    if problems:
        return problems
    group = groups.setdefault(
        (code, row["dataset"], period, kind),
        Group(code=code, title=title, dataset=row["dataset"], reference_period=period, kind=kind),
    )
    if name in group.lines:
        first = group.lines[name]
        return [f"a second {raw_measure} for {code} ({period}); the first is on line {first}"]
    assert value is not None
    group.figures[name] = value
    group.lines[name] = line
    group.roles.add(row["proxy_for"])
    group.urls.append(row["cite_url"])
    return []


def parse_file(text: str, *, catalog: Catalog) -> LabourFile:
    """Every figure of a release, grouped by occupation (or Handbook group), dataset and
    period; or LabourFileError with every problem in the file, each with its line."""
    header, rows = _rows(text.removeprefix("\ufeff"))
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise LabourFileError([f"line 1: missing column{plural}: {', '.join(missing)}"])
    problems: list[str] = []
    groups: dict[tuple[str, str, str, str], Group] = {}
    titles: dict[tuple[str, str], tuple[str, int]] = {}
    for line, cells in rows:
        if len(cells) != len(header):
            problems.append(f"line {line}: {len(cells)} cells, but the header has {len(header)}")
            continue
        row = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
        problems += [
            f"line {line}: {problem}"
            for problem in _row_problems(row, line, catalog, groups, titles)
        ]
    if not groups and not problems:
        problems.append("line 2: the file holds no figures")
    for group in groups.values():
        if pair := percentiles_out_of_order(group.figures):
            low, high = pair
            problems.append(
                f"lines {group.lines[low]} and {group.lines[high]}: the percentiles of "
                f"{group.code} ({group.reference_period}) are out of order: the "
                f"{percentile_words(high)} ({group.figures[high]:,}) is below the "
                f"{percentile_words(low)} ({group.figures[low]:,})"
            )
    if problems:
        raise LabourFileError(problems)
    return LabourFile(
        wages=[group for group in groups.values() if group.kind == WAGES],
        outlooks=[group for group in groups.values() if group.kind == OUTLOOK],
    )
