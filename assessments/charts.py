"""The site's quiz charts as plain numbers for an inline SVG (no chart library), in the frame
every chart of the site shares (core.charts): the profile's fit over time, and a result's place
among everyone's (the histogram of the lean, assessments.peers)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import charts, formats
from core.charts import Point

from . import peers

# Colours with at least 3:1 contrast on white, told apart by marker shape too.
SERIES_STYLES = [
    ("#0b5ed7", "circle"),
    ("#b02a37", "square"),
    ("#146c43", "diamond"),
    ("#6f42c1", "circle"),
]


@dataclass
class Series:
    role: str
    colour: str
    marker: str
    points: list[Point]

    @property
    def polyline(self) -> str:
        return charts.polyline(self.points)

    @property
    def latest_percent(self) -> str:
        """The last point's value as the language writes it ("62 %"), shown beside it."""
        return formats.percent(self.points[-1].value) if self.points else ""


@dataclass
class Chart:
    width: int
    height: int
    series: list[Series]
    rows: list[dict]  # the same data as a table: {"date": ..., "percents": [...]}
    roles: list[str]
    gridlines: list[dict]
    dates: list[dict]  # the x-axis: {"x": ..., "text": ...}, thinned out to fit
    single: bool  # one result: its points are labelled with their values, no line

    @property
    def plot_right(self) -> int:
        return charts.PLOT_RIGHT

    @property
    def axis_y(self) -> str:
        return f"{charts.y_of(0, 100):.1f}"

    @property
    def date_y(self) -> int:
        return charts.HEIGHT - 6


# At most this many dates under the axis (each is about 60 units wide at the phone's size).
DATE_LABELS = 6


def fit_chart(history: list[dict]) -> Chart:
    """Build the chart from fit_history rows (oldest first, one row per assessment and role):
    one point per result at the middle of its own band of the x-axis, labelled with its date
    (every few when there are many), the roles by their names in the active language."""
    assessments: list = []
    created = {}
    percents: dict[str, dict] = {}
    for row in history:
        assessment_id = row["assessment_id"]
        if assessment_id not in created:
            assessments.append(assessment_id)
            created[assessment_id] = timezone.localtime(row["assessment__created_at"])
        percents.setdefault(row["role_name"], {})[assessment_id] = row["percent"]

    xs = charts.band_positions(len(assessments))
    x_of = dict(zip(assessments, xs, strict=True))
    series = []
    for number, (role, by_assessment) in enumerate(percents.items()):
        colour, marker = SERIES_STYLES[number % len(SERIES_STYLES)]
        points = [
            Point(
                x=x_of[assessment_id],
                y=charts.y_of(by_assessment[assessment_id], 100),
                value=by_assessment[assessment_id],
                label=_("%(role)s: %(percent)s on %(date)s")
                % {
                    "role": role,
                    "percent": formats.percent(by_assessment[assessment_id]),
                    "date": date_format(created[assessment_id], "SHORT_DATE_FORMAT"),
                },
            )
            for assessment_id in assessments
            if assessment_id in by_assessment
        ]
        series.append(Series(role=role, colour=colour, marker=marker, points=points))
    roles = list(percents)
    rows = [
        {
            "date": date_format(created[assessment_id], "SHORT_DATETIME_FORMAT"),
            "percents": [
                None
                if percents[role].get(assessment_id) is None
                else formats.percent(percents[role][assessment_id])
                for role in roles
            ],
        }
        for assessment_id in assessments
    ]
    every = max(1, -(-len(assessments) // DATE_LABELS))
    shown = set(range(len(assessments) - 1, -1, -every))  # the latest always named
    dates = [
        {"x": f"{x:.1f}", "text": formats.day_month(created[assessment_id])}
        for index, (assessment_id, x) in enumerate(zip(assessments, xs, strict=True))
        if index in shown
    ]
    return Chart(
        width=charts.WIDTH,
        height=charts.HEIGHT,
        series=series,
        rows=rows,
        roles=roles,
        gridlines=charts.gridlines((0, 25, 50, 75, 100), top=100, label=formats.percent),
        dates=dates,
        single=len(assessments) == 1,
    )


# Where a result stands among everyone's: the histogram of the lean ----------------------------

LEAN_BAR_COLOUR = "#6c757d"  # 4.7:1 on white
LEAN_YOU_COLOUR = "#0b5ed7"  # the bar holding this result: a colour, a label and an outline
LEAN_BAR_GAP = 2.0
YOU_LABEL_HALF_WIDTH = 36  # about half of "you are here" at 12px, to keep it inside the frame


def lean_x(value: float) -> float:
    """Where a lean (-100 to 100 points) lands across the plot: the other role(s) on the left,
    the reference role on the right."""
    span = peers.LEAN_MAX - peers.LEAN_MIN
    return charts.PADDING_LEFT + charts.PLOT_WIDTH * (value - peers.LEAN_MIN) / span


def lean_range_words(start: int, end: int, *, toward: str, away: str) -> str:
    """A bar's range in words, e.g. "10 to 19 points towards MLOps engineer". `end` is
    exclusive, except at the top band, which holds 100."""
    last = peers.LEAN_MAX if end >= peers.LEAN_MAX else end - 1
    if start >= 0:
        return _("%(start)s to %(end)s points towards %(role)s") % {
            "start": start,
            "end": last,
            "role": toward,
        }
    if last < 0:
        return _("%(start)s to %(end)s points towards %(role)s") % {
            "start": -last,
            "end": -start,
            "role": away,
        }
    return _("from %(away_points)s points towards %(away)s to %(points)s towards %(toward)s") % {
        "away_points": -start,
        "away": away,
        "points": last,
        "toward": toward,
    }


def lean_words(value: int, *, toward: str, away: str) -> str:
    """One result's lean in words: "30 points towards Data engineer", or "even"."""
    if value == 0:
        return _("even: no lean either way")
    points = abs(value)
    role = toward if value > 0 else away
    return ngettext(
        "%(points)s point towards %(role)s", "%(points)s points towards %(role)s", points
    ) % {"points": points, "role": role}


@dataclass
class LeanBar:
    x: str
    y: str
    width: str
    height: str
    centre: str
    count: int
    words: str  # its range, for the table and the bar's tooltip
    has_you: bool

    @property
    def colour(self) -> str:
        return LEAN_YOU_COLOUR if self.has_you else LEAN_BAR_COLOUR


@dataclass
class LeanChart:
    width: int
    height: int
    bars: list[LeanBar]
    gridlines: list[dict]
    toward: str
    away: str
    you_words: str
    you_bar: LeanBar | None
    you_label_x: str
    you_label_y: str
    you_line_top: str
    middle_x: str
    axis_y: str
    axis_label_y: str

    @property
    def plot_left(self) -> int:
        return charts.PADDING_LEFT

    @property
    def plot_right(self) -> int:
        return charts.PLOT_RIGHT

    @property
    def results(self) -> int:
        return sum(bar.count for bar in self.bars)


def lean_chart(bars: Sequence[peers.Bar], *, toward: str, away: str, you: int) -> LeanChart:
    """The histogram from peers.histogram's bars (each already standing for at least
    SMALLEST_BAR results): bar heights against the tallest, this result's bar marked."""
    tallest = max((bar.count for bar in bars), default=0) or 1
    floor = charts.y_of(0, tallest)
    lean_bars = []
    for bar in bars:
        left, right = lean_x(bar.start), lean_x(min(bar.end, peers.LEAN_MAX))
        top = charts.y_of(bar.count, tallest)
        lean_bars.append(
            LeanBar(
                x=f"{left + LEAN_BAR_GAP / 2:.1f}",
                y=f"{top:.1f}",
                width=f"{max(right - left - LEAN_BAR_GAP, 1.0):.1f}",
                height=f"{floor - top:.1f}",
                centre=f"{(left + right) / 2:.1f}",
                count=bar.count,
                words=lean_range_words(bar.start, bar.end, toward=toward, away=away),
                has_you=bar.has_you,
            )
        )
    you_bar = next((bar for bar in lean_bars if bar.has_you), None)
    you_label_x = 0.0
    if you_bar is not None:
        # Above every bar (the tallest reaches PADDING_TOP), kept inside the frame.
        low = charts.PADDING_LEFT + YOU_LABEL_HALF_WIDTH
        high = charts.PLOT_RIGHT - YOU_LABEL_HALF_WIDTH
        you_label_x = min(max(float(you_bar.centre), low), high)
    half = (tallest + 1) // 2
    return LeanChart(
        width=charts.WIDTH,
        height=charts.HEIGHT,
        bars=lean_bars,
        gridlines=charts.gridlines(sorted({0, half, tallest}), top=tallest, unit=""),
        toward=toward,
        away=away,
        you_words=lean_words(you, toward=toward, away=away),
        you_bar=you_bar,
        you_label_x=f"{you_label_x:.1f}",
        you_label_y=f"{charts.PADDING_TOP - 4}",
        you_line_top=f"{charts.PADDING_TOP - 1}",
        middle_x=f"{lean_x(0):.1f}",
        axis_y=f"{floor:.1f}",
        axis_label_y=f"{charts.HEIGHT - 10}",
    )
