"""How charts look, in one place: size, font, palette, point shapes and dashes, scales and number formats per unit.

Both the drawing (`output/draw.py`) and the Vega-Lite definition of the same charts (`output/charts.py`, the reference
the drawing is tested against) read these."""

from __future__ import annotations

import math

from kachestvo import vocabulary
from kachestvo.vocabulary import RESULT_UNITS

# The assessment's full scale, so that a 4 never looks like the maximum (marks run 2–5, scores 0–100).
Y_DOMAIN = {name: (u.low, u.high) for name, u in RESULT_UNITS.items() if u.high is not None}
DEFAULT_FORMAT = ",.2~f"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
# Charts are drawn no wider than a 390 px phone's content column, so they are never scaled down there
# and their 12 px text stays 12 px (tests/test_charts.py measures every rendered SVG).
PLOT_WIDTH = 250
PLOT_HEIGHT = 200
FONT_SIZE = 12
MAX_WIDTH = 350
# lines of the source under the plot: ≈ 7 px a character at 12 px in DejaVu Sans, the widest font a reader may see,
# so the source fits MAX_WIDTH whatever font draws it
SOURCE_CHARS = 46
POINT_SIZE = 70  # area of a point, px²
LINE_WIDTH = 2
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-right", "triangle-left"]
# Vega's default categorical scheme («tableau10») and stroke dashes, given explicitly: series in sorted order,
# colours, shapes and dashes cycling
PALETTE = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac"]
DASHES = [[1, 0], [4, 2], [2, 1], [1, 1], [1, 2, 4, 2]]
BAR_PADDING = 0.2  # of a year's band, inside and at the ends
TICKS = math.ceil(PLOT_HEIGHT / 40)  # Vega-Lite's tick count for a height


def axis_format(unit: str) -> str:
    return RESULT_UNITS[unit].axis_format if unit in RESULT_UNITS else DEFAULT_FORMAT


def min_step(unit: str) -> int | None:
    """Whole counts get whole ticks."""
    return 1 if unit == vocabulary.PEOPLE else None


def source_lines(source: str) -> list[str]:
    """The source named under the plot, wrapped rather than cut: nothing of it is lost."""
    import textwrap

    if not source:
        return []
    lines = [f"Источник: {line}" if i == 0 else line for i, line in enumerate(source.split("\n"))]
    return [part for line in lines for part in textwrap.wrap(line, SOURCE_CHARS, break_on_hyphens=False) or [line]]
