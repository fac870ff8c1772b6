"""The profile's chart of hours learnt over time, as plain numbers for an inline SVG, in the
frame every chart of the site shares (core.charts)."""

import math
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import charts
from core.charts import Point

COLOUR = "#146c43"  # 3:1 or more on white


@dataclass
class HoursChart:
    width: int
    height: int
    colour: str
    points: list[Point]
    rows: list[dict]  # the same data as a table: {"date": ..., "hours": ...}
    gridlines: list[dict]

    @property
    def plot_right(self) -> int:
        return charts.PLOT_RIGHT

    @property
    def polyline(self) -> str:
        return charts.polyline(self.points)


def axis_top(hours: int) -> int:
    """The top of the hours axis: at least `hours`, a multiple of 4 so its quarters are whole."""
    return max(4, math.ceil(hours / 4) * 4)


# "2 Dec 2026" in English, "2 dic 2026" in Spanish (careerguide/formats/).
DAY_FORMAT = "SHORT_DATE_FORMAT"


def _day(day: date) -> str:
    return date_format(day, DAY_FORMAT)


def hours_chart(history: list[tuple[date, int]], *, hours_total: int) -> HoursChart:
    """Build the chart from hours_done_history (oldest first: a day and the hours done by
    its end), on an axis that reaches the plan's total hours."""
    top = axis_top(max([hours_total, *(hours for _when, hours in history)]))
    xs = charts.x_positions(len(history))
    points = [
        Point(
            x=x,
            y=charts.y_of(hours, top),
            value=hours,
            label=_("%(hours)s h done by %(date)s") % {"hours": hours, "date": _day(day)},
        )
        for x, (day, hours) in zip(xs, history, strict=True)
    ]
    return HoursChart(
        width=charts.WIDTH,
        height=charts.HEIGHT,
        colour=COLOUR,
        points=points,
        rows=[{"date": _day(day), "hours": hours} for day, hours in history],
        gridlines=charts.gridlines(range(0, top + 1, top // 4), top=top, unit=" h"),
    )
