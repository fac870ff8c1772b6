"""The profile's fit-over-time chart, as plain numbers for an inline SVG (no chart library)."""

from dataclasses import dataclass

WIDTH = 640
HEIGHT = 240
PADDING_LEFT = 40
PADDING_RIGHT = 16
PADDING_TOP = 16
PADDING_BOTTOM = 32
# Colours with at least 3:1 contrast on white, told apart by marker shape too.
SERIES_STYLES = [
    ("#0b5ed7", "circle"),
    ("#b02a37", "square"),
    ("#146c43", "diamond"),
    ("#6f42c1", "circle"),
]


@dataclass
class Point:
    x: float
    y: float
    percent: int
    label: str

    # Coordinates as text, formatted here once: template filters would cost far more.
    @property
    def cx(self) -> str:
        return f"{self.x:.1f}"

    @property
    def cy(self) -> str:
        return f"{self.y:.1f}"


@dataclass
class Series:
    role: str
    colour: str
    marker: str
    points: list[Point]

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)


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
        return self.width - PADDING_RIGHT

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

    plot_width = WIDTH - PADDING_LEFT - PADDING_RIGHT
    plot_height = HEIGHT - PADDING_TOP - PADDING_BOTTOM
    step = plot_width / (len(assessments) - 1) if len(assessments) > 1 else 0

    def x_of(index):
        return PADDING_LEFT + (index * step if len(assessments) > 1 else plot_width / 2)

    def y_of(percent):
        return PADDING_TOP + plot_height * (1 - percent / 100)

    series = []
    for number, (role, by_assessment) in enumerate(percents.items()):
        colour, marker = SERIES_STYLES[number % len(SERIES_STYLES)]
        points = [
            Point(
                x=x_of(index),
                y=y_of(by_assessment[assessment_id]),
                percent=by_assessment[assessment_id],
                label=f"{role}: {by_assessment[assessment_id]}% on "
                f"{created[assessment_id]:%d %b %Y}",
            )
            for index, assessment_id in enumerate(assessments)
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
    gridlines = [
        {"percent": value, "y": f"{y_of(value):.1f}", "label_y": f"{y_of(value) + 4:.1f}"}
        for value in (0, 25, 50, 75, 100)
    ]
    return Chart(
        width=WIDTH, height=HEIGHT, series=series, rows=rows, roles=roles, gridlines=gridlines
    )
