"""The rules of the federal labour-market figures, as pure functions: what date a reference
period stands for, the order of wage percentiles, the codes of occupations and Handbook
groups, and the texts marked for the pages (said in the active language by
roles.labour_words). Reading a release of the BLS file is roles.labour_file.

No ORM and no Django here. Two families of figures are never mixed: OEWS wages
(percentiles, mean and employment: wage and salary workers in one month) and the Handbook's
outlook (jobs of all workers in the base year, growth, openings, median pay).
"""

import datetime
import itertools
import re
from collections.abc import Mapping

from core.marks import gettext_noop

PUBLISHER = "U.S. Bureau of Labor Statistics"
# The default credit line of a source, translated where it is shown.
CREDIT = gettext_noop(
    "Figures from the U.S. Bureau of Labor Statistics, a work of the U.S. government in the "
    "public domain. Shown by careerguide; BLS does not endorse this site."
)

WAGES = "wages"
OUTLOOK = "outlook"

# The wage percentiles, lowest first, with the words a reader sees.
PERCENTILES = (("p10", "P10"), ("p25", "P25"), ("median", "median"), ("p75", "P75"), ("p90", "P90"))

# How each wage figure is said in a table: what it means, not an experience level.
# (Marked for translation; the page translates them.)
WAGE_WORDS = {
    "p10": gettext_noop("P10: a tenth earn less"),
    "p25": gettext_noop("P25: a quarter earn less"),
    "median": gettext_noop("Median: half earn less"),
    "p75": gettext_noop("P75: a quarter earn more"),
    "p90": gettext_noop("P90: a tenth earn more"),
    "mean": gettext_noop("Mean (the average)"),
}

# The Handbook's words for projected growth, in its own scale. They are also the values
# stored and given by the API, so they stay in English there; a page translates them.
GROWTH_WORDS = (
    gettext_noop("Decline"),
    gettext_noop("Little or no change"),
    gettext_noop("Slower than average"),
    gettext_noop("As fast as average"),
    gettext_noop("Faster than average"),
    gettext_noop("Much faster than average"),
)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_PERIOD = re.compile(rf"({'|'.join(MONTHS)}) (\d{{4}})")
_PROJECTION_PERIOD = re.compile(r"(\d{4})-(\d{2})")
OCCUPATION_CODE = re.compile(r"\d{2}-\d{4}")
GROUP_CODE = re.compile(r"\d{2}-\d{4}(\+\d{2}-\d{4})*")

# Reference periods --------------------------------------------------------------------------


def period_kind(period: str) -> str | None:
    """WAGES for a survey month ("May 2024"), OUTLOOK for a projection ("2024-34"), else None."""
    if _MONTH_PERIOD.fullmatch(period):
        return WAGES
    match = _PROJECTION_PERIOD.fullmatch(period)
    if match and int(match.group(2)) != int(match.group(1)) % 100:
        return OUTLOOK
    return None


def period_as_of(period: str) -> datetime.date | None:
    """The day the figures describe: the survey month's last day, or the last day of a
    projection's base year (its jobs and pay are counted in that year). None if unreadable."""
    if match := _MONTH_PERIOD.fullmatch(period):
        year, month = int(match.group(2)), MONTHS.index(match.group(1)) + 1
        next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
        return next_month - datetime.timedelta(days=1)
    if period_kind(period) == OUTLOOK:
        return datetime.date(int(period[:4]), 12, 31)
    return None


def period_base_year(period: str) -> int | None:
    """A projection's base year (2024 for "2024-34")."""
    return int(period[:4]) if period_kind(period) == OUTLOOK else None


def group_parts(group_code: str) -> list[str]:
    """The occupation codes a Handbook group covers ("15-1242+15-1243" -> both)."""
    return group_code.split("+")


# Figures ------------------------------------------------------------------------------------


def percentiles_out_of_order(values: Mapping[str, object]) -> tuple[str, str] | None:
    """The first two recorded percentiles (field names, lowest first) where the higher one is
    below the lower, or None when the recorded ones rise; missing ones are skipped, equal
    neighbours are allowed (a top-coded wage may repeat)."""
    recorded = [
        (name, value) for name, _ in PERCENTILES if isinstance(value := values.get(name), int)
    ]
    for (low_name, low), (high_name, high) in itertools.pairwise(recorded):
        if high < low:
            return low_name, high_name
    return None


def percentile_words(name: str) -> str:
    """How a percentile field is said: P10, P25, median, P75, P90."""
    return dict(PERCENTILES)[name]
