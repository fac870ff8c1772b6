"""The wage range chart as plain numbers for an inline SVG (no chart library): a thin bar from
the 10th to the 90th percentile, a thick one from the 25th to the 75th, the median marked, on
a dollar axis shared by every chart of a page so that they compare at a glance. (The figures'
other words are roles.labour_words.)

Figures in, positions and words out (no ORM, no request): the words in the active language,
the amounts written by core.formats. A percentile that is not recorded is not drawn (never
estimated); a chart with nothing to draw is None.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core import formats

from . import labour

WIDTH = 480
HEIGHT = 104
PLOT_LEFT = 28
PLOT_RIGHT = 452
MEDIAN_LABEL_Y = 12
MEDIAN_TOP, MEDIAN_BOTTOM = 17, 59  # the median's line reaches past the bars
BAND_TOP, BAND_HEIGHT = 28, 24
WHISKER_TOP, WHISKER_HEIGHT = 36, 8
VALUE_LABEL_Y = 70
AXIS_Y = 80
TICK_LABEL_Y = 98
CHARACTER_WIDTH = 8.4  # of the 15px labels, to keep them inside the chart
# Axis steps to choose from, in dollars: the smallest giving at most MAX_TICK_GAPS intervals.
STEPS = (5_000, 10_000, 20_000, 25_000, 50_000, 100_000, 200_000, 250_000, 500_000)
MAX_TICK_GAPS = 5

Figures = Mapping[str, int | None]


@dataclass(frozen=True)
class Scale:
    low: int
    high: int
    step: int

    def x(self, value: float) -> float:
        return PLOT_LEFT + (value - self.low) / (self.high - self.low) * (PLOT_RIGHT - PLOT_LEFT)


@dataclass(frozen=True)
class Label:
    x: str
    y: int
    text: str


@dataclass(frozen=True)
class WageChart:
    title: str
    description: str
    whisker: tuple[str, str] | None  # x and width of the P10-P90 bar
    band: tuple[str, str] | None  # x and width of the P25-P75 bar
    median_x: str | None
    labels: list[Label]
    ticks: list[Label]
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def plot_left(self) -> int:
        return PLOT_LEFT

    @property
    def plot_right(self) -> int:
        return PLOT_RIGHT

    # The rows of the drawing, for the template.
    axis_y: int = AXIS_Y
    band_top: int = BAND_TOP
    band_height: int = BAND_HEIGHT
    band_bottom: int = BAND_TOP + BAND_HEIGHT
    whisker_top: int = WHISKER_TOP
    whisker_height: int = WHISKER_HEIGHT
    median_top: int = MEDIAN_TOP
    median_bottom: int = MEDIAN_BOTTOM


def _percentiles(figures: Figures) -> dict[str, int]:
    return {
        name: value for name, _ in labour.PERCENTILES if isinstance(value := figures.get(name), int)
    }


def wage_scale(all_figures: Iterable[Figures]) -> Scale | None:
    """One axis for every chart of a page: from a round number at or below the lowest
    percentile to one at or above the highest. None when no percentile is recorded."""
    values = [value for figures in all_figures for value in _percentiles(figures).values()]
    if not values:
        return None
    lowest, highest = min(values), max(values)
    for step in STEPS:
        low, high = math.floor(lowest / step) * step, math.ceil(highest / step) * step
        if high == low:
            high += step
        if (high - low) // step <= MAX_TICK_GAPS:
            break
    return Scale(low=low, high=high, step=step)


def dollars(value: int) -> str:
    """ "$125,000" in English, "125.000 USD" in Spanish."""
    return formats.money(value, "USD", style=formats.SYMBOL)


def _short_dollars(value: int) -> str:
    return formats.money(value, "USD", style=formats.SHORT)


def _kept_inside(x: float, text: str) -> str:
    half = len(text) * CHARACTER_WIDTH / 2
    return f"{min(max(x, half + 2), WIDTH - half - 2):.1f}"


def _description(title: str, period: str, values: dict[str, int]) -> str:
    amounts = {name: dollars(value) for name, value in values.items()}
    parts = []
    if "p10" in values:
        parts.append(_("a tenth earn less than %(amount)s") % {"amount": amounts["p10"]})
    if "p90" in values:
        parts.append(_("a tenth earn more than %(amount)s") % {"amount": amounts["p90"]})
    if "p25" in values and "p75" in values:
        parts.append(
            _("the middle half earn between %(low)s and %(high)s")
            % {"low": amounts["p25"], "high": amounts["p75"]}
        )
    else:
        if "p25" in values:
            parts.append(_("a quarter earn less than %(amount)s") % {"amount": amounts["p25"]})
        if "p75" in values:
            parts.append(_("a quarter earn more than %(amount)s") % {"amount": amounts["p75"]})
    if "median" in values:
        parts.append(
            _("half earn less than %(amount)s (the median)") % {"amount": amounts["median"]}
        )
    return _("Range of the annual wages of %(occupation)s in %(period)s: %(figures)s.") % {
        "occupation": title,
        "period": period,
        # Clauses of one list, each whole in itself.
        "figures": "; ".join(parts),
    }


def wage_chart(figures: Figures, *, title: str, period: str, scale: Scale) -> WageChart | None:
    """The chart of one occupation's wages on the page's `scale` (wage_scale)."""
    values = _percentiles(figures)
    if not values:
        return None
    x = {name: scale.x(value) for name, value in values.items()}
    whisker = band = None
    if "p10" in x and "p90" in x:
        whisker = (f"{x['p10']:.1f}", f"{x['p90'] - x['p10']:.1f}")
    if "p25" in x and "p75" in x:
        band = (f"{x['p25']:.1f}", f"{x['p75'] - x['p25']:.1f}")
    median_x = None
    labels = []
    if "median" in x:
        median_x = f"{x['median']:.1f}"
        text = _("median %(amount)s") % {"amount": dollars(values["median"])}
        labels.append(Label(x=_kept_inside(x["median"], text), y=MEDIAN_LABEL_Y, text=text))
    ends = [(name, dollars(values[name])) for name in ("p10", "p90") if name in x]
    positions = [float(_kept_inside(x[name], text)) for name, text in ends]
    # Both ends are labelled only when the labels do not run into each other.
    if len(ends) < 2 or positions[1] - positions[0] > len(ends[0][1]) * CHARACTER_WIDTH + 8:
        labels += [
            Label(x=f"{position:.1f}", y=VALUE_LABEL_Y, text=text)
            for position, (_, text) in zip(positions, ends, strict=True)
        ]
    ticks = [
        Label(x=f"{scale.x(value):.1f}", y=TICK_LABEL_Y, text=_short_dollars(value))
        for value in range(scale.low, scale.high + 1, scale.step)
    ]
    return WageChart(
        title=_("Annual wages of %(occupation)s, %(period)s")
        % {"occupation": title, "period": period},
        description=_description(title, period, values),
        whisker=whisker,
        band=band,
        median_x=median_x,
        labels=labels,
        ticks=ticks,
    )
