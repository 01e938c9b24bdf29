"""Charts: an Altair spec per chart type compiled to Vega once, data swapped in, rendered to static SVG.

Rendered SVGs are cached by a hash of the full spec outside build/, so an unchanged rebuild renders nothing.
"""

from __future__ import annotations

import copy
import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import altair as alt

Y_FORMAT = {"доля": ".0%", "процент": ",.1~f", "оценка": ",.2~f", "балл": ",.1~f", "человек": ",d"}
# d3-format locale: decimal comma, non-breaking spaces for thousands and before «%» (Russian typography)
RU_LOCALE = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0₽"], "percent": "\u00a0%"}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


@dataclass
class Chart:
    """One chart: its kind, rows (already protected), unit of the values and alt text."""

    kind: str
    rows: list[dict]
    unit: str
    alt: str

    @property
    def spec(self) -> dict:
        """The Vega-Lite spec (for reading and debugging); rendering uses the compiled Vega template."""
        spec = _vegalite(self.kind, self.unit)
        spec["datasets"] = {"rows": self.rows}
        return spec

    @property
    def vega(self) -> dict:
        """The chart type's Vega spec, compiled once per (kind, unit), with this chart's rows swapped in."""
        spec = copy.deepcopy(_vega_template(self.kind, self.unit))
        next(d for d in spec["data"] if d.get("name") == "rows")["values"] = self.rows
        return spec

    @cached_property
    def key(self) -> str:
        text = json.dumps([self.kind, self.unit, self.rows], ensure_ascii=False, sort_keys=True)
        text += _template_text(self.kind, self.unit)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]

    @property
    def path(self) -> str:
        return f"charts/{self.key}.svg"


def _vegalite(kind: str, unit: str) -> dict:
    spec = copy.deepcopy(_base(kind))
    spec["encoding"]["y"]["axis"] = {"format": Y_FORMAT.get(unit, ",.2~f")}
    if unit == "человек":
        spec["encoding"]["y"]["axis"]["tickMinStep"] = 1
    if unit == "доля":
        spec["encoding"]["y"]["scale"] = {"domain": [0, 1]}
    return spec


@lru_cache(maxsize=None)
def _vega_template(kind: str, unit: str) -> dict:
    import vl_convert

    spec = _vegalite(kind, unit)
    spec["datasets"] = {"rows": []}
    return vl_convert.vegalite_to_vega(spec)


@lru_cache(maxsize=None)
def _template_text(kind: str, unit: str) -> str:
    """What besides the rows decides a chart's SVG (serialised once per chart type, not once per chart)."""
    return json.dumps([_vega_template(kind, unit), RU_LOCALE], sort_keys=True) + _vl_version()


@lru_cache(maxsize=None)
def _base(kind: str) -> dict:
    data = alt.NamedData(name="rows")
    if kind == "lines":
        chart = (
            alt.Chart(data)
            .mark_line(point=alt.OverlayMarkDef(size=60), strokeWidth=2.5)
            .encode(
                x=alt.X("year:O", title="Год", axis=alt.Axis(labelAngle=0)),
                y=alt.Y("value:Q", title=None),
                color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=520)),
                strokeDash=alt.StrokeDash("series:N", legend=None),
            )
        )
    elif kind == "bars":
        chart = (
            alt.Chart(data)
            .mark_bar()
            .encode(
                x=alt.X("year:O", title="Год", axis=alt.Axis(labelAngle=0)),
                y=alt.Y("value:Q", title=None),
                color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom", direction="vertical")),
                xOffset="series:N",
            )
        )
    else:
        raise ValueError(kind)
    spec = chart.properties(width=520, height=220).configure(font=FONT).configure_view(strokeWidth=0).to_dict()
    spec.pop("datasets", None)
    return spec


@lru_cache(maxsize=None)
def _vl_version() -> str:
    import vl_convert

    return getattr(vl_convert, "__version__", "")


PROCESS_THRESHOLD = 150  # below this, starting worker processes (~2 s each) costs more than it saves


def render_all(charts: list[Chart], cache: Path) -> dict[str, bytes]:
    """SVG bytes by asset path, cached by hash. vl-convert renders one chart at a time per process, so
    large batches go to a small pool of worker processes (one per core, started once), small ones run here."""
    cache.mkdir(parents=True, exist_ok=True)
    unique = {c.path: c for c in charts}
    todo = [c for c in unique.values() if not (cache / f"{c.key}.svg").exists()]
    for chart, svg in zip(todo, _render(todo)):
        tmp = cache / f"{chart.key}.svg.tmp"
        tmp.write_text(svg, encoding="utf-8")
        tmp.replace(cache / f"{chart.key}.svg")
    return {path: (cache / f"{c.key}.svg").read_bytes() for path, c in unique.items()}


def _render(todo: list[Chart]):
    workers = os.cpu_count() or 1
    if len(todo) < PROCESS_THRESHOLD or workers < 2:
        return map(_svg, todo)
    context = multiprocessing.get_context("spawn")  # fork after vl-convert's runtime has started can deadlock
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(_svg, todo, chunksize=max(1, len(todo) // (workers * 8))))


def _svg(chart: Chart) -> str:
    import vl_convert

    return vl_convert.vega_to_svg(chart.vega, format_locale=RU_LOCALE, time_format_locale="ru-RU", allowed_base_urls=[])
