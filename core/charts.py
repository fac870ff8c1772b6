"""The frame the site's small line charts share, as plain numbers for an inline SVG (no chart
library): where a point lands, the gridlines, the line through the points. The charts
themselves (the fit over time, the hours learnt over time) are built by their apps from these."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 240
PADDING_LEFT = 40
PADDING_RIGHT = 16
PADDING_TOP = 16
PADDING_BOTTOM = 32
PLOT_WIDTH = WIDTH - PADDING_LEFT - PADDING_RIGHT
PLOT_HEIGHT = HEIGHT - PADDING_TOP - PADDING_BOTTOM
PLOT_RIGHT = WIDTH - PADDING_RIGHT


@dataclass
class Point:
    x: float
    y: float
    value: int
    label: str

    # Coordinates as text, formatted here once: template filters would cost far more.
    @property
    def cx(self) -> str:
        return f"{self.x:.1f}"

    @property
    def cy(self) -> str:
        return f"{self.y:.1f}"


def band_positions(count: int) -> list[float]:
    """`count` points at the middles of as many equal bands across the plot: the first and
    last away from the edges, one alone in the middle (a category axis)."""
    step = PLOT_WIDTH / max(count, 1)
    return [PADDING_LEFT + step * (index + 0.5) for index in range(count)]


def x_positions(count: int) -> list[float]:
    """`count` points spread evenly across the plot, one alone in its middle."""
    if count == 1:
        return [PADDING_LEFT + PLOT_WIDTH / 2]
    step = PLOT_WIDTH / (count - 1) if count > 1 else 0
    return [PADDING_LEFT + index * step for index in range(count)]


def y_of(value: float, top: float) -> float:
    """Where `value` lands on an axis from 0 (bottom) to `top`."""
    return PADDING_TOP + PLOT_HEIGHT * (1 - value / top)


def polyline(points: Sequence[Point]) -> str:
    return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in points)


def gridlines(
    values: Iterable[int], *, top: float, unit: str = "", label: Callable[[int], str] | None = None
) -> list[dict]:
    """A horizontal line at each value, labelled with the value and `unit` (" h"), or with
    `label(value)` (core.formats.percent)."""
    return [
        {
            "value": value,
            "label": label(value) if label else f"{value}{unit}",
            "y": f"{y_of(value, top):.1f}",
            "label_y": f"{y_of(value, top) + 4:.1f}",
        }
        for value in values
    ]
