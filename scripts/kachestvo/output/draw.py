"""Charts drawn as static SVG in Python: the two kinds the site shows, a line chart over years and a bar chart by year.

Before, Vega drew them (vl-convert: about 30 ms of a JavaScript engine per chart, most of a cold build). The drawing
here follows the charts' Vega-Lite definition (`output/charts.py: Chart.spec`) as Vega renders it: the same scales
(`output/scale.py`), ticks, number format (`output/number_format.py`), palette, point shapes and dashes, the same
element classes, and aria-labels that say in Russian what Vega's say in English, so `tests/test_chart_drawing.py` can
compare every mark with vl-convert's drawing of the same chart. Text is measured with Arial's widths
(`output/text_width.py`); the SVG names a system font stack and requests nothing from any host. Output depends only
on the chart: the same chart gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from kachestvo.output import chart_style as style
from kachestvo.output import scale
from kachestvo.output.number_format import number
from kachestvo.output.text_width import ASCENT, DESCENT, UNITS_PER_EM, width

PAD = 5  # around the drawing
TICK, LABEL_GAP, TITLE_GAP = 5, 2, 4
LINE_HEIGHT = 14  # of the source's lines
TEXT_HEIGHT = (ASCENT + DESCENT) / UNITS_PER_EM * style.FONT_SIZE
HALF_TEXT = style.FONT_SIZE / 2
MIDDLE = style.FONT_SIZE / 3  # from a text's middle to its baseline
X_LABEL_BASELINE, X_TITLE_BASELINE, X_AXIS_DEPTH = 16, 31, 34  # below the x-axis line
SOURCE_GAP = 3  # between the x-axis title and the source
SOURCE_BASELINE = 9  # first line's baseline below the source's top
YEAR = "Год"
# what a screen reader calls each element when the SVG is opened by itself (on a page, the image's alt text speaks)
ROLES = {"line": "линии", "symbol": "точки", "rect": "столбцы", "text": "подписи значений"}
R = math.sqrt(style.POINT_SIZE) / 2
H = math.sqrt(3) * R / 2
# Vega's symbol paths for a point of POINT_SIZE px², centred on 0,0
SYMBOL_PATHS = {
    "circle": f"M{R:.3f},0A{R:.3f},{R:.3f},0,1,1,{-R:.3f},0A{R:.3f},{R:.3f},0,1,1,{R:.3f},0",
    "square": f"M{-R:.3f},{-R:.3f}h{2 * R:.3f}v{2 * R:.3f}h{-2 * R:.3f}Z",
    "triangle-up": f"M0,{-H:.3f}L{-R:.3f},{H:.3f}L{R:.3f},{H:.3f}Z",
    "diamond": f"M{-R:.3f},0L0,{-R:.3f}L{R:.3f},0L0,{R:.3f}Z",
    "cross": "M{0},{1}L{0},{2}L{1},{2}L{1},{3}L{2},{3}L{2},{2}L{3},{2}L{3},{1}L{2},{1}L{2},{0}L{1},{0}L{1},{1}Z".format(
        *(f"{v:.3f}" for v in (-R, -R / 2.5, R / 2.5, R))
    ),
    "triangle-down": f"M0,{H:.3f}L{-R:.3f},{-H:.3f}L{R:.3f},{-H:.3f}Z",
    "triangle-right": f"M{H:.3f},0L{-H:.3f},{-R:.3f}L{-H:.3f},{R:.3f}Z",
    "triangle-left": f"M{-H:.3f},0L{H:.3f},{-R:.3f}L{H:.3f},{R:.3f}Z",
}


def n(value: float) -> str:
    """A coordinate: at most 3 decimals, no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def rule(x: float, y: float, x2: float, y2: float, colour: str) -> str:
    """A one-pixel line from (x, y), by (x2, y2)."""
    return f'<line transform="translate({n(x)},{n(y)})" x2="{n(x2)}" y2="{n(y2)}" stroke="{colour}" stroke-width="1"/>'


def container(kind: str, marks: list[str]) -> str:
    """Vega's group of the marks of one layer (kind: line, symbol, rect, text)."""
    role = f'role="graphics-object" aria-roledescription="{ROLES[kind]}"'
    return f'<g class="mark-{kind} role-mark" {role}>{"".join(marks)}</g>'


def _axis(label: str, at: str, ticks: str, labels: str, domain: str, title: str) -> str:
    return (
        f'<g class="mark-group role-axis" role="graphics-symbol" aria-roledescription="ось" aria-label="{label}" '
        f'transform="translate({at})"><g class="mark-rule role-axis-tick">{ticks}</g>'
        f'<g class="mark-text role-axis-label">{labels}</g><g class="mark-rule role-axis-domain">{domain}</g>'
        f'<g class="mark-text role-axis-title">{title}</g></g>'
    )


def text(x: float, y: float, content: str, anchor: str = "middle", extra: str = "") -> str:
    return (
        f'<text text-anchor="{anchor}" transform="translate({n(x)},{n(y)})" font-family="{escape(style.FONT)}" '
        f'font-size="{style.FONT_SIZE}px"{extra} fill="#000">{escape(content)}</text>'
    )


@dataclass
class Plot:
    """What a chart kind draws inside its plot: y ticks, x-axis labels and title, marks, and how far the marks reach
    beyond the plot (px: top above 0, bottom below the plot's height, right beyond its width)."""

    y_ticks: list[tuple[float, str]]
    y_domain: tuple[float, float]
    x_labels: list[tuple[float, str]]
    x_aria: str
    marks: list[str]
    top: float = 0.0
    bottom: float = float(style.PLOT_HEIGHT)
    right: float = float(style.PLOT_WIDTH)
    x_ticks: list[float] = field(default_factory=list)


def svg(chart) -> str:
    """The chart (output.charts.Chart) as a standalone SVG document."""
    plot = (draw_lines if chart.kind == "lines" else draw_bars)(chart)
    return _document(chart, plot)


def _series(chart) -> dict[str, int]:
    """Each series' index in sorted order: its colour, shape and dash."""
    return {s: i for i, s in enumerate(sorted({r["series"] for r in chart.rows}))}


def _y_scale(chart, values: list[float]) -> tuple[Callable[[float], float], list[tuple[float, str]], tuple[float, float]]:
    """The y scale (value → px), its ticks (px, label) and domain: the unit's full scale, or from zero, rounded."""
    if chart.unit in style.Y_DOMAIN:
        lo, hi = style.Y_DOMAIN[chart.unit]
    else:
        lo, hi = scale.nice(min([0.0, *values]), max([0.0, *values]))
    y = scale.linear((lo, hi), (style.PLOT_HEIGHT, 0))
    count = scale.tick_count(lo, hi, style.TICKS, style.min_step(chart.unit))
    fmt = style.axis_format(chart.unit)
    return y, [(y(v), number(v, fmt)) for v in scale.ticks(lo, hi, count)], (lo, hi)


def _colour(i: int) -> str:
    return style.PALETTE[i % len(style.PALETTE)]


def _datum(chart, row: dict) -> str:
    """A line's or point's aria-label: what Vega writes, in Russian."""
    return f"{YEAR}: {number(row['x'], 'd')}; {_value_label(chart, row['value'])}; ряд: {escape(row['series'])}"


def _value_label(chart, value: float) -> str:
    return f"{escape(chart.y_title or 'value')}: {number(value, style.axis_format(chart.unit))}"


def draw_lines(chart) -> Plot:
    lo, hi = chart.years
    x = scale.linear((lo - 0.5, hi + 0.5), (0, style.PLOT_WIDTH))
    y, y_ticks, domain = _y_scale(chart, [r["value"] for r in chart.rows])
    order = _series(chart)
    years = list(range(lo, hi + 1))  # every year a tick: a year without a value is a visible gap
    labels = _without_overlap([(x(v), number(v, "d")) for v in years])
    plot = Plot(y_ticks, domain, labels, f"годы с {lo} по {hi}", [], x_ticks=[x(v) for v in years])
    plot.marks = [_line_paths(chart, x, y, order), _points(chart, x, y, order)]
    reach = [y(r["value"]) for r in chart.rows]
    plot.top, plot.bottom = min([0.0, *reach]) - R, max([float(style.PLOT_HEIGHT), *reach]) + R
    return plot


def _without_overlap(labels: list[tuple[float, str]]) -> list[tuple[float, str]]:
    """Vega's «parity» label overlap: every other label is dropped until none overlaps its neighbour."""

    def overlaps(items):
        half = [width(label, style.FONT_SIZE) / 2 for _, label in items]
        return any(items[i + 1][0] - half[i + 1] < items[i][0] + half[i] for i in range(len(items) - 1))

    items = labels
    while len(items) >= 3 and overlaps(items):
        items = items[::2]
    if len(items) < 3 and labels and items[-1] != labels[-1]:
        items = items[:-1] + [labels[-1]] if len(items) > 1 else items + [labels[-1]]
    return items


def _line_paths(chart, x, y, order: dict[str, int]) -> str:
    segments: dict[tuple[str, str], list[dict]] = {}
    for r in chart.rows:
        segments.setdefault((r["series"], r["segment"]), []).append(r)
    paths = []
    for (series, _), rows in segments.items():
        rows = sorted(rows, key=lambda r: r["x"])
        points = "L".join(f"{n(x(r['x']))},{n(y(r['value']))}" for r in rows)
        i = order[series]
        dash = ",".join(map(str, style.DASHES[i % len(style.DASHES)]))
        aria = _datum(chart, rows[0])  # a series' segments start in different years
        close = "Z" if len(rows) == 1 else ""
        paths.append(
            f'<path aria-label="{aria}" role="graphics-symbol" aria-roledescription="линия" d="M{points}{close}" '
            f'stroke="{_colour(i)}" stroke-width="{style.LINE_WIDTH}" stroke-dasharray="{dash}"/>'
        )
    return container("line", paths)


def _points(chart, x, y, order: dict[str, int]) -> str:
    out = []
    for r in chart.rows:
        i = order[r["series"]]
        aria = _datum(chart, r)
        out.append(
            f'<path aria-label="{aria}" role="graphics-symbol" aria-roledescription="точка" '
            f'transform="translate({n(x(r["x"]))},{n(y(r["value"]))})" d="{SYMBOL_PATHS[style.SHAPES[i % len(style.SHAPES)]]}" '
            f'fill="{_colour(i)}"/>'
        )
    return container("symbol", out)


def _stacked(rows: list[dict]) -> list[tuple[dict, float, float]]:
    """(row, start, end) of each bar: rows of one year and series stack, as Vega-Lite stacks them."""
    totals: dict[tuple, float] = {}
    out = []
    for r in rows:
        start = totals.get((r["year"], r["series"]), 0.0)
        totals[(r["year"], r["series"])] = start + r["value"]
        out.append((r, start, start + r["value"]))
    return out


def draw_bars(chart) -> Plot:
    years = sorted({r["year"] for r in chart.rows})
    order = _series(chart)
    stacked = _stacked(chart.rows)
    y, y_ticks, domain = _y_scale(chart, [v for _, start, end in stacked for v in (start, end)])
    starts, bandwidth = scale.band(len(years), style.PLOT_WIDTH, style.BAR_PADDING, style.BAR_PADDING)
    offsets, bar = scale.band(len(order), bandwidth)
    left = {year: start for year, start in zip(years, starts)}
    # Vega sets a band axis' ticks and labels half a pixel left of the band's centre (its axis offset)
    centres = [left[year] + bandwidth / 2 - 0.5 for year in years]
    listed = ", ".join(map(str, years))
    plot = Plot(y_ticks, domain, [(c, str(year)) for c, year in zip(centres, years)], "", [], x_ticks=centres)
    plot.x_aria = f"годы {listed}"
    rects, labels, reach = [], [], [0.0, float(style.PLOT_HEIGHT)]
    for r, start, end in stacked:
        i = order[r["series"]]
        x0 = left[r["year"]] + offsets[i]
        top, base = y(end), y(start)
        aria = f"{YEAR}: {r['year']}; {_value_label(chart, r['value'])}; ряд: {escape(r['series'])}"
        rects.append(
            f'<path aria-label="{aria}" role="graphics-symbol" aria-roledescription="столбец" '
            f'd="M{n(x0)},{n(min(top, base))}h{n(bar)}v{n(abs(base - top))}h{n(-bar)}Z" fill="{_colour(i)}"/>'
        )
        label = number(r["value"], "")
        centre = y(r["value"]) - 7
        labels.append(text(x0 + bar / 2, centre + MIDDLE, label, extra=f' aria-label="{aria}; значение: {escape(label)}"'))
        reach += [centre - HALF_TEXT, centre + HALF_TEXT, top, base]
    plot.marks = [container("rect", rects), container("text", labels)]
    plot.top, plot.bottom = min(reach), max(reach)
    return plot


def _grid(plot: Plot) -> str:
    lines = "".join(rule(0, scale.round_half_up(py), style.PLOT_WIDTH, 0, "#ddd") for py, _ in plot.y_ticks)
    return f'<g class="mark-rule role-axis-grid" aria-hidden="true" transform="translate(0.5,0.5)">{lines}</g>'


def _x_axis(plot: Plot) -> str:
    ticks = "".join(rule(scale.round_half_up(px), 0, 0, TICK, "#888") for px in plot.x_ticks)
    labels = "".join(text(px, X_LABEL_BASELINE, label) for px, label in plot.x_labels)
    title = text(style.PLOT_WIDTH / 2, X_TITLE_BASELINE, YEAR, extra=' font-weight="bold"')
    label = f"Ось X «{YEAR}»: {plot.x_aria}"
    return _axis(label, f"0.5,{style.PLOT_HEIGHT + 0.5}", ticks, labels, rule(0, 0, style.PLOT_WIDTH, 0, "#888"), title)


def _label_width(plot: Plot) -> float:
    return max((width(label, style.FONT_SIZE) for _, label in plot.y_ticks), default=0.0)


def _y_axis(chart, plot: Plot) -> str:
    ticks = "".join(rule(0, scale.round_half_up(py), -TICK, 0, "#888") for py, _ in plot.y_ticks)
    labels = "".join(text(-(TICK + LABEL_GAP), py + MIDDLE, label, "end") for py, label in plot.y_ticks)
    baseline = -(TICK + LABEL_GAP + _label_width(plot) + TITLE_GAP + DESCENT / UNITS_PER_EM * style.FONT_SIZE)
    title = text(0, 0, chart.y_title).replace(
        'transform="translate(0,0)"', f'transform="translate({n(baseline)},{n(style.PLOT_HEIGHT / 2)}) rotate(-90)"'
    )
    lo, hi = (number(v, style.axis_format(chart.unit)) for v in plot.y_domain)
    label = f"Ось Y «{escape(chart.y_title)}»: шкала от {lo} до {hi}"
    domain = rule(0, style.PLOT_HEIGHT, 0, -style.PLOT_HEIGHT, "#888")
    return _axis(label, "0.5,0.5", ticks, labels, domain, title)


def _left(chart, plot: Plot) -> float:
    """How far the y axis (ticks, labels, title) reaches left of the plot."""
    return TICK + LABEL_GAP + _label_width(plot) + (TITLE_GAP + TEXT_HEIGHT if chart.y_title else 0)


def _source(lines: list[str], left: float, top: float) -> str:
    if not lines:
        return ""
    first, *rest = (escape(line) for line in lines)
    spans = f"<tspan>{first}</tspan>" + "".join(f'<tspan x="0" dy="{LINE_HEIGHT}">{line}</tspan>' for line in rest)
    aria = escape(" ".join(lines))
    body = text(0, SOURCE_BASELINE, "", "start").replace("></text>", f">{spans}</text>")
    return (
        f'<g class="mark-text role-title-text" role="graphics-symbol" aria-roledescription="источник" '
        f'aria-label="{aria}" transform="translate({n(-left)},{n(top)})">{body}</g>'
    )


def _document(chart, plot: Plot) -> str:
    lines = style.source_lines(chart.source)
    left = _left(chart, plot)
    # the y-axis title is centred on the plot's height, and may be longer than it
    half_title = width(chart.y_title, style.FONT_SIZE) / 2
    top = min(plot.top, plot.y_ticks[-1][0] - HALF_TEXT if plot.y_ticks else 0.0, style.PLOT_HEIGHT / 2 - half_title)
    source_top = max(plot.bottom, style.PLOT_HEIGHT + X_AXIS_DEPTH, style.PLOT_HEIGHT / 2 + half_title) + SOURCE_GAP
    bottom = source_top + SOURCE_BASELINE + LINE_HEIGHT * (len(lines) - 1) + 3 if lines else style.PLOT_HEIGHT + X_AXIS_DEPTH
    right = max(plot.right, max((width(line, style.FONT_SIZE) for line in lines), default=0.0) - left)
    w, h = math.ceil(PAD + left + right + PAD), math.ceil(PAD - top + bottom + PAD)
    desc = f"<desc>{escape(' '.join(lines))}</desc>" if lines else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img">'
        f"<title>{escape(chart.alt)}</title>{desc}"
        f'<rect width="{w}" height="{h}" fill="white"/>'
        f'<g fill="none" stroke-miterlimit="10" transform="translate({n(PAD + left)},{n(PAD - top)})">'
        f"{_grid(plot)}{_x_axis(plot)}{_y_axis(chart, plot)}{''.join(plot.marks)}{_source(lines, left, source_top)}"
        "</g></svg>"
    )
