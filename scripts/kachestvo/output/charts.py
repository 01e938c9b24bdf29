"""Charts: each drawn as static SVG in Python (`output/draw.py`), defined as Vega-Lite too (`Chart.spec`, through
Altair), the reference the drawing is tested against (vl-convert draws the same chart in the tests).

Drawn SVGs are cached by a hash of the chart and of the drawing code outside build/, so an unchanged rebuild draws
nothing and a changed renderer draws everything again.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from markupsafe import Markup

from kachestvo.output import chart_style as style
from kachestvo.output.chart_style import MAX_WIDTH, PALETTE, SHAPES  # noqa: F401 (the charts' public constants)

# the modules whose code decides a chart's bytes (paths in the package): their source is part of every chart's cache
# key — vocabulary.py too, whose units give each axis its number format, range and step
RENDERER = tuple(f"output/{name}.py" for name in ("charts", "chart_style", "draw", "scale", "number_format", "text_width"))
RENDERER += ("vocabulary.py",)
# Vega-Lite of the Altair major we pin (its SCHEMA_VERSION is 5.20): the reference compiles the same under vl-convert 1.x/2.x
VL_VERSION = "5.21"
SYMBOL = Markup('<svg class="kq-symbol" width="12" height="12" viewBox="-6 -6 12 12" aria-hidden="true" fill="{}">{}</svg>')
# the legend's symbols, as SVG in a 12 × 12 box centred on 0,0 (the shapes drawn for SHAPES)
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
        """The Vega-Lite definition of this chart (the reference the drawing is tested against, and for reading)."""
        spec = _vegalite(*self.options)
        spec["datasets"] = {"rows": self.rows}
        return spec

    @property
    def vega(self) -> dict:
        """The chart's Vega spec as vl-convert compiles `spec` (tests draw it with vl-convert to compare)."""
        spec = copy.deepcopy(_vega_template(*self.options))
        next(d for d in spec["data"] if d.get("name") == "rows")["values"] = self.rows
        return spec

    @cached_property
    def key(self) -> str:
        """Hash of everything the SVG is made of: the chart (its alt text is the SVG's title) and the drawing code."""
        text = json.dumps([self.options, self.alt, self.rows], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256((text + renderer_fingerprint()).encode("utf-8")).hexdigest()[:20]

    @property
    def path(self) -> str:
        return f"charts/{self.key}.svg"

    @property
    def legend(self) -> list[tuple[str, Markup]]:
        """(series, its symbol as inline SVG) in the order and colours the chart draws them: the legend is HTML text
        under the image, so a long label wraps like any text on a phone and nothing is clipped."""
        out = []
        for i, series in enumerate(sorted({r["series"] for r in self.rows})):
            shape = SHAPES[i % len(SHAPES)] if self.kind == "lines" else "square"
            out.append((series, SYMBOL.format(PALETTE[i % len(PALETTE)], Markup(SYMBOLS[shape]))))
        return out


def fingerprint(folder: Path) -> str:
    """Hash of the source of the drawing modules (RENDERER) in `folder` (the package's folder)."""
    digest = hashlib.sha256()
    for name in RENDERER:
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=None)
def renderer_fingerprint() -> str:
    """Hash of the code that draws charts: a change to any of its modules changes every chart's key."""
    return fingerprint(Path(__file__).parent.parent)


def _y_encoding(unit: str, y_title: str) -> dict:
    axis = {"format": style.axis_format(unit), "titleFontWeight": "normal"}
    if style.min_step(unit):
        axis["tickMinStep"] = style.min_step(unit)
    domain = style.Y_DOMAIN.get(unit)
    return {"title": y_title or None, "axis": axis, "scale": {"domain": list(domain)} if domain else {"zero": True}}


def _vegalite(kind: str, unit: str, y_title: str, source: str, years: tuple[int, int]) -> dict:
    spec = copy.deepcopy(_base(kind))
    for layer in spec.get("layer", [spec]):
        layer["encoding"]["y"].update(_y_encoding(unit, y_title))
        if kind == "lines":
            lo, hi = years
            # every year of the span is a tick, so a year with no value shows as a gap in the line
            layer["encoding"]["x"]["scale"] = {"domain": [lo - 0.5, hi + 0.5], "nice": False, "zero": False}
            layer["encoding"]["x"]["axis"]["values"] = list(range(lo, hi + 1))
    text = style.source_lines(source)
    if text:
        title = text if len(text) > 1 else text[0]
        spec["title"] = {"text": title, "orient": "bottom", "anchor": "start", "fontWeight": "normal"}
    return spec


@lru_cache(maxsize=None)
def _vega_template(kind: str, unit: str, y_title: str = "", source: str = "", years: tuple = (0, 0)) -> dict:
    import vl_convert

    spec = _vegalite(kind, unit, y_title, source, years)
    spec["datasets"] = {"rows": []}
    vega = vl_convert.vegalite_to_vega(spec, vl_version=VL_VERSION)
    if style.min_step(unit):  # whole counts: Vega-Lite drops the axis' tickMinStep when it compiles, Vega keeps it
        for axis in vega.get("axes", []):
            if axis.get("scale") == "y":
                axis["tickMinStep"] = style.min_step(unit)
    return vega


@lru_cache(maxsize=None)
def _base(kind: str) -> dict:
    import altair as alt

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
            base.mark_line(strokeWidth=style.LINE_WIDTH).encode(
                # stroke, not color: a second color legend would not merge with the points' color+shape legend
                stroke=alt.Stroke("series:N", legend=None, scale=colors),
                detail="segment:N",
                strokeDash=alt.StrokeDash("series:N", legend=None, scale=alt.Scale(range=style.DASHES)),
            ),
            base.mark_point(size=style.POINT_SIZE, filled=True, opacity=1).encode(color=series, shape=shape),
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
            base.mark_text(dy=-7, fontSize=style.FONT_SIZE).encode(text=alt.Text("value:Q")),
        )
    else:
        raise ValueError(kind)
    spec = (
        chart.properties(width=style.PLOT_WIDTH, height=style.PLOT_HEIGHT)
        .configure(font=style.FONT)
        .configure_view(strokeWidth=0)
        .configure_axis(labelFontSize=style.FONT_SIZE, titleFontSize=style.FONT_SIZE)
        .configure_title(fontSize=style.FONT_SIZE)
        .to_dict()
    )
    spec.pop("datasets", None)
    return spec


class Renderer:
    """Draws each chart as it is made, unless its SVG is in the cache (by the chart's key); nothing is fetched from
    the network. A chart costs well under a millisecond to draw, so drawing happens in line with page generation."""

    def __init__(self, cache: Path):
        self.cache = cache
        self.cache.mkdir(parents=True, exist_ok=True)
        self._charts: dict[str, Chart] = {}
        self._reused: dict[str, str] = {}  # asset path → key of a chart already in the cache (on a reused page)

    def submit(self, chart: Chart) -> None:
        if chart.path in self._charts:
            return
        self._charts[chart.path] = chart
        if cached(self.cache, chart.key) is None:
            store(self.cache, chart.key, _svg(chart).encode("utf-8"))

    def reuse(self, key: str) -> None:
        """A chart of a page reused from the previous build: its SVG is in the cache (pages.memo checked)."""
        self._reused[f"charts/{key}.svg"] = key

    def collect(self) -> dict[str, bytes]:
        """SVG bytes by asset path, each read back from the cache and checked."""
        out = {}
        for path, key in list(self._reused.items()) + [(p, c.key) for p, c in self._charts.items()]:
            svg = cached(self.cache, key)
            if svg is None:  # removed or altered since it was checked: never publish an unverified file
                raise RuntimeError(f"chart {key} changed in the cache during the build")
            out[path] = svg
        return out


def store(folder: Path, key: str, svg: bytes) -> None:
    """Write a chart's cache entry (sealed, see `cached`) atomically."""
    tmp = folder / f"{key}.svg.{threading.get_ident()}.tmp"
    tmp.write_bytes(_seal(key, svg) + svg)
    tmp.replace(folder / f"{key}.svg")


# Each cached SVG starts with a line holding the hash of its key (`Chart.key`: the chart's options, alt text and rows
# and the drawing code's fingerprint) and its bytes; an entry whose line does not match is not used.
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
    from kachestvo.output import draw

    return draw.svg(chart)
