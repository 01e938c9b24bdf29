"""Charts: an Altair spec per chart type compiled to Vega once, data swapped in, rendered to static SVG.

Rendered SVGs are cached by a hash of the full spec outside build/, so an unchanged rebuild renders nothing.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import textwrap
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import altair as alt
from markupsafe import Markup

from kachestvo import vocabulary
from kachestvo.vocabulary import RESULT_UNITS

# The assessment's full scale, so that a 4 never looks like the maximum (marks run 2–5, scores 0–100).
Y_DOMAIN = {name: [u.low, u.high] for name, u in RESULT_UNITS.items() if u.high is not None}
# d3-format locale: decimal comma, non-breaking spaces for thousands and before «%» (Russian typography)
RU_LOCALE = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0₽"], "percent": "\u00a0%"}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
# Charts are drawn no wider than a 390 px phone's content column, so they are never scaled down there
# and their 12 px text stays 12 px (tests/test_charts.py measures every rendered SVG).
PLOT_WIDTH = 250
FONT_SIZE = 12
MAX_WIDTH = 350
# lines of the source under the plot: ≈ 7 px a character at 12 px in DejaVu Sans, the wide fallback vl-convert
# measures with when the stack's fonts are not installed, so the source fits MAX_WIDTH whatever font draws it
SOURCE_CHARS = 46
# Vega-Lite of the Altair major we pin (its SCHEMA_VERSION is 5.20): charts compile the same under any vl-convert 2.x
VL_VERSION = "5.21"
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-right", "triangle-left"]
# Vega's default categorical scheme («tableau10»), given explicitly: the legend is HTML beside the image and must
# give each series the colour Vega gives it (series in sorted order, colours and shapes cycling)
PALETTE = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac"]
SYMBOL = Markup('<svg class="kq-symbol" width="12" height="12" viewBox="-6 -6 12 12" aria-hidden="true" fill="{}">{}</svg>')
# the legend's symbols, as SVG in a 12 × 12 box centred on 0,0 (the shapes Vega draws for SHAPES)
SYMBOLS = {
    "circle": '<circle r="5"/>',
    "square": '<rect x="-4.5" y="-4.5" width="9" height="9"/>',
    "triangle-up": '<path d="M0,-5.5L5.5,4.5H-5.5Z"/>',
    "diamond": '<path d="M0,-6L6,0L0,6L-6,0Z"/>',
    "cross": '<path d="M-1.8,-5.5h3.6v3.7h3.7v3.6h-3.7v3.7h-3.6v-3.7h-3.7v-3.6h3.7Z"/>',
    "triangle-down": '<path d="M0,5.5L5.5,-4.5H-5.5Z"/>',
    "triangle-right": '<path d="M5.5,0L-4.5,5.5V-5.5Z"/>',
    "triangle-left": '<path d="M-5.5,0L4.5,5.5V-5.5Z"/>',
}


@dataclass
class Chart:
    """One chart: its kind, rows (already protected), unit of the values, alt text, y-axis title,
    source named under the plot and the span of years on the x-axis."""

    kind: str
    rows: list[dict]
    unit: str
    alt: str
    y_title: str = ""
    source: str = ""
    years: tuple[int, int] = (0, 0)

    @property
    def options(self) -> tuple:
        return (self.kind, self.unit, self.y_title, self.source, self.years)

    @property
    def spec(self) -> dict:
        """The Vega-Lite spec (for reading and debugging); rendering uses the compiled Vega template."""
        spec = _vegalite(*self.options)
        spec["datasets"] = {"rows": self.rows}
        return spec

    @property
    def vega(self) -> dict:
        """The chart's compiled Vega template (cached per options), with this chart's rows swapped in."""
        spec = copy.deepcopy(_vega_template(*self.options))
        next(d for d in spec["data"] if d.get("name") == "rows")["values"] = self.rows
        return spec

    @cached_property
    def key(self) -> str:
        text = json.dumps([self.options, self.rows], ensure_ascii=False, sort_keys=True)
        text += _template_text(*self.options)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]

    @property
    def path(self) -> str:
        return f"charts/{self.key}.svg"

    @property
    def legend(self) -> list[tuple[str, Markup]]:
        """(series, its symbol as inline SVG) in the order and colours Vega draws them: the legend is HTML text
        under the image, so a long label wraps like any text on a phone and nothing is clipped."""
        out = []
        for i, series in enumerate(sorted({r["series"] for r in self.rows})):
            shape = SHAPES[i % len(SHAPES)] if self.kind == "lines" else "square"
            out.append((series, SYMBOL.format(PALETTE[i % len(PALETTE)], Markup(SYMBOLS[shape]))))
        return out


def _vegalite(kind: str, unit: str, y_title: str, source: str, years: tuple[int, int]) -> dict:
    spec = copy.deepcopy(_base(kind))
    layers = spec.get("layer", [spec])
    for layer in layers:
        y = layer["encoding"]["y"]
        y["title"] = y_title or None
        y["axis"] = {"format": RESULT_UNITS[unit].axis_format if unit in RESULT_UNITS else ",.2~f", "titleFontWeight": "normal"}
        if unit == vocabulary.PEOPLE:
            y["axis"]["tickMinStep"] = 1
        y["scale"] = {"domain": Y_DOMAIN[unit]} if unit in Y_DOMAIN else {"zero": True}
        if kind == "lines":
            lo, hi = years
            # every year of the span is a tick, so a year with no value shows as a gap in the line
            layer["encoding"]["x"]["scale"] = {"domain": [lo - 0.5, hi + 0.5], "nice": False, "zero": False}
            layer["encoding"]["x"]["axis"]["values"] = list(range(lo, hi + 1))
    if source:
        # wrapped here rather than truncated by Vega («limit»): nothing of the source is cut, and Vega need not
        # measure the text again and again to find where to cut it
        lines = [f"Источник: {line}" if i == 0 else line for i, line in enumerate(source.split("\n"))]
        text = [part for line in lines for part in textwrap.wrap(line, SOURCE_CHARS, break_on_hyphens=False) or [line]]
        spec["title"] = {
            "text": text if len(text) > 1 else text[0],
            "orient": "bottom",
            "anchor": "start",
            "fontWeight": "normal",
        }
    return spec


@lru_cache(maxsize=None)
def _vega_template(kind: str, unit: str, y_title: str = "", source: str = "", years: tuple = (0, 0)) -> dict:
    import vl_convert

    spec = _vegalite(kind, unit, y_title, source, years)
    spec["datasets"] = {"rows": []}
    vega = vl_convert.vegalite_to_vega(spec, vl_version=VL_VERSION)
    if unit == vocabulary.PEOPLE:  # whole counts: Vega-Lite drops the axis' tickMinStep when it compiles, Vega keeps it
        for axis in vega.get("axes", []):
            if axis.get("scale") == "y":
                axis["tickMinStep"] = 1
    return vega


@lru_cache(maxsize=None)
def _template_text(*options) -> str:
    """What besides the rows decides a chart's SVG (serialised once per chart options, not once per chart)."""
    return json.dumps([_vega_template(*options), RU_LOCALE], sort_keys=True) + _vl_version()


@lru_cache(maxsize=None)
def _base(kind: str) -> dict:
    data = alt.NamedData(name="rows")
    # no legend in the image: it is HTML under it (Chart.legend), in these colours and shapes
    colors = alt.Scale(range=PALETTE)
    if kind == "lines":
        # x is the year shifted a little per series (column «x»), so equal values of two series stay apart;
        # a line joins only consecutive years with values (column «segment»): a missing year is a gap.
        x = alt.X("x:Q", title="Год", axis=alt.Axis(format="d", labelAngle=0, grid=False, labelOverlap=True))
        series = alt.Color("series:N", legend=None, scale=colors)
        shape = alt.Shape("series:N", legend=None, scale=alt.Scale(range=SHAPES))
        base = alt.Chart(data).encode(x=x, y=alt.Y("value:Q", title=None))
        chart = alt.layer(
            base.mark_line(strokeWidth=2).encode(
                # stroke, not color: a second color legend would not merge with the points' color+shape legend
                stroke=alt.Stroke("series:N", legend=None, scale=colors),
                detail="segment:N",
                strokeDash=alt.StrokeDash("series:N", legend=None),
            ),
            base.mark_point(size=70, filled=True, opacity=1).encode(color=series, shape=shape),
        )
    elif kind == "bars":
        # each bar carries its value as a label, so a real zero reads «0», never as a missing bar
        base = alt.Chart(data).encode(
            x=alt.X("year:O", title="Год", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=None),
            xOffset="series:N",
        )
        chart = alt.layer(
            base.mark_bar().encode(color=alt.Color("series:N", legend=None, scale=colors)),
            base.mark_text(dy=-7, fontSize=FONT_SIZE).encode(text=alt.Text("value:Q")),
        )
    else:
        raise ValueError(kind)
    spec = (
        chart.properties(width=PLOT_WIDTH, height=200)
        .configure(font=FONT)
        .configure_view(strokeWidth=0)
        .configure_axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE)
        .configure_title(fontSize=FONT_SIZE)
        .to_dict()
    )
    spec.pop("datasets", None)
    return spec


@lru_cache(maxsize=None)
def _vl_version() -> str:
    import vl_convert

    return getattr(vl_convert, "__version__", "")


class Renderer:
    """Renders charts in the background while the rest of the build goes on, each chart as soon as it is made.

    vl-convert 2 renders in a pool of its own JavaScript workers (one per core) and releases the GIL while it
    does, so the pages are generated on one core while charts render on the other. A chart whose SVG is in the
    cache (by the hash of its spec) is not rendered again; nothing is fetched from the network."""

    def __init__(self, cache: Path):
        self.cache = cache
        self.cache.mkdir(parents=True, exist_ok=True)
        self._charts: dict[str, Chart] = {}
        self._reused: dict[str, str] = {}  # asset path → key of a chart already in the cache (on a reused page)
        self._pending: list[Future] = []
        self._pool: ThreadPoolExecutor | None = None

    def submit(self, chart: Chart) -> None:
        if chart.path in self._charts:
            return
        self._charts[chart.path] = chart
        if cached(self.cache, chart.key) is None:
            self._pending.append(self._start().submit(self._render, chart))

    def reuse(self, key: str) -> None:
        """A chart of a page reused from the previous build: its SVG is in the cache (pages.memo checked)."""
        self._reused[f"charts/{key}.svg"] = key

    def collect(self) -> dict[str, bytes]:
        """Wait for every submitted chart; SVG bytes by asset path. A failed render raises here."""
        try:
            for future in self._pending:
                future.result()
        finally:
            self.close()
        out = {}
        for path, key in list(self._reused.items()) + [(p, c.key) for p, c in self._charts.items()]:
            svg = cached(self.cache, key)
            if svg is None:  # removed or altered since it was checked: never publish an unverified file
                raise RuntimeError(f"chart {key} changed in the cache during the build")
            out[path] = svg
        return out

    def close(self) -> None:
        """Stop rendering (the build failed elsewhere): charts not yet started are dropped."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._pending = []

    def _start(self) -> ThreadPoolExecutor:
        if self._pool is None:
            import vl_convert

            workers = 1
            if hasattr(vl_convert, "configure"):  # vl-convert 2: a pool of JavaScript workers, one per core
                workers = max(1, os.cpu_count() or 1)
                vl_convert.configure(num_workers=workers, allowed_base_urls=[], base_url=False, auto_google_fonts=False)
            self._pool = ThreadPoolExecutor(workers, thread_name_prefix="charts")
        return self._pool

    def _file(self, key: str) -> Path:
        return self.cache / f"{key}.svg"

    def _render(self, chart: Chart) -> None:
        store(self.cache, chart.key, _svg(chart).encode("utf-8"))


def store(folder: Path, key: str, svg: bytes) -> None:
    """Write a chart's cache entry (sealed, see `cached`) atomically."""
    tmp = folder / f"{key}.svg.{threading.get_ident()}.tmp"
    tmp.write_bytes(_seal(key, svg) + svg)
    tmp.replace(folder / f"{key}.svg")


# Each cached SVG starts with a line holding the hash of its key (the hash of the chart's spec, which includes the
# tool's templates) and its bytes; an entry whose line does not match is not used.
def _seal(key: str, svg: bytes) -> bytes:
    return b"kachestvo-chart " + hashlib.sha256(key.encode() + b"\n" + svg).hexdigest().encode() + b"\n"


def cached(folder: Path, key: str) -> bytes | None:
    """A cached chart's SVG if its entry is intact, else None (absent, torn, or altered by hand)."""
    try:
        data = (folder / f"{key}.svg").read_bytes()
    except OSError:
        return None
    head, _, svg = data.partition(b"\n")
    return svg if head + b"\n" == _seal(key, svg) else None


def _svg(chart: Chart) -> str:
    import vl_convert

    if hasattr(vl_convert, "configure"):  # vl-convert 2: no external request is allowed (configured once)
        return vl_convert.vega_to_svg(chart.vega, format_locale=RU_LOCALE, time_format_locale="ru-RU")
    # vl-convert 1.x (the stable release): the same guard per call, one render at a time
    return vl_convert.vega_to_svg(chart.vega, allowed_base_urls=[], format_locale=RU_LOCALE, time_format_locale="ru-RU")
