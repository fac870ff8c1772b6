"""The profile's fit-over-time chart, as plain numbers for an inline SVG (no chart library),
in the frame every chart of the site shares (core.charts)."""

from dataclasses import dataclass

from core import charts
from core.charts import Point

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


@dataclass
class Chart:
    width: int
    height: int
    series: list[Series]
    rows: list[dict]  # the same data as a table: {"date": ..., "percents": [...]}
    roles: list[str]
    gridlines: list[dict]

    @property
    def plot_right(self) -> int:
        return charts.PLOT_RIGHT

    @property
    def point_count(self) -> int:
        return max((len(series.points) for series in self.series), default=0)


def fit_chart(history: list[dict]) -> Chart:
    """Build the chart from fit_history rows (oldest first, one row per assessment and role)."""
    assessments: list = []
    created = {}
    percents: dict[str, dict] = {}
    for row in history:
        assessment_id = row["assessment_id"]
        if assessment_id not in created:
            assessments.append(assessment_id)
            created[assessment_id] = row["assessment__created_at"]
        percents.setdefault(row["role__name"], {})[assessment_id] = row["percent"]

    x_of = dict(zip(assessments, charts.x_positions(len(assessments)), strict=True))
    series = []
    for number, (role, by_assessment) in enumerate(percents.items()):
        colour, marker = SERIES_STYLES[number % len(SERIES_STYLES)]
        points = [
            Point(
                x=x_of[assessment_id],
                y=charts.y_of(by_assessment[assessment_id], 100),
                value=by_assessment[assessment_id],
                label=f"{role}: {by_assessment[assessment_id]}% on "
                f"{created[assessment_id]:%d %b %Y}",
            )
            for assessment_id in assessments
            if assessment_id in by_assessment
        ]
        series.append(Series(role=role, colour=colour, marker=marker, points=points))
    roles = list(percents)
    rows = [
        {
            "date": f"{created[assessment_id]:%d %b %Y, %H:%M}",
            "percents": [percents[role].get(assessment_id) for role in roles],
        }
        for assessment_id in assessments
    ]
    return Chart(
        width=charts.WIDTH,
        height=charts.HEIGHT,
        series=series,
        rows=rows,
        roles=roles,
        gridlines=charts.gridlines((0, 25, 50, 75, 100), top=100, unit="%"),
    )
