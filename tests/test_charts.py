"""Honest charts: every rendered SVG of every example has a finite size, values, the assessment's scale,
readable text on a 390 px phone and its source; chart rows leave gaps where a year has no value."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import PROJECTS, each_example, read_rows
from kachestvo.output.charts import MAX_WIDTH, Chart, _svg
from kachestvo.pages.context import _plotted

SVG = "{http://www.w3.org/2000/svg}"
PHONE_CONTENT = 358  # Material's content column on a 390 px phone: 390 − 2 × 16 px margins
MIN_FONT = 12


def _texts(root) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def _axis_labels(root, axis: str) -> list[str]:
    """Tick labels of an axis («X» or «Y»), in drawing order (bottom to top for y)."""
    out = []
    for g in root.iter(f"{SVG}g"):
        if g.get("aria-label", "").startswith(f"Ось {axis} "):
            for labels in g.iter(f"{SVG}g"):
                if "role-axis-label" in (labels.get("class") or ""):
                    out += ["".join(t.itertext()) for t in labels.iter(f"{SVG}text")]
    return out


def _y_axis_labels(root) -> list[str]:
    return _axis_labels(root, "Y")


@pytest.mark.parametrize("name", each_example())
def test_every_chart_is_finite_readable_sourced_and_on_its_scale(built, name):
    project = built(name)
    charts = sorted((project.site / "charts").glob("*.svg")) if (project.site / "charts").exists() else []
    pages = "".join(p.read_text(encoding="utf-8") for p in project.site.rglob("*.html"))
    marks_charts = 0
    for path in charts:
        root = ET.fromstring(path.read_text(encoding="utf-8"))
        width, height = float(root.get("width")), float(root.get("height"))
        assert math.isfinite(width) and math.isfinite(height) and 0 < width <= MAX_WIDTH and 0 < height < 2000, (
            path.name,
            width,
            height,
        )
        # drawn, not an empty box: at least one point or bar
        marks = [g for g in root.iter(f"{SVG}g") if "role-mark" in (g.get("class") or "")]
        assert any(len(list(g)) for g in marks), path.name
        # text at least 12 px as displayed on a phone (the SVG is scaled down only if wider than the column)
        scale = min(1.0, PHONE_CONTENT / width)
        sizes = [float(m) for m in re.findall(r'font-size="([0-9.]+)px"', path.read_text(encoding="utf-8"))]
        assert sizes and min(sizes) * scale >= MIN_FONT, (path.name, min(sizes), scale)
        texts = _texts(root)
        assert any(t.startswith("Источник:") for t in texts), path.name
        y_title = next(g.get("aria-label") for g in root.iter(f"{SVG}g") if g.get("aria-label", "").startswith("Ось Y "))
        if "оценка" in y_title.lower():  # a chart of marks spans the whole scale of marks
            marks_charts += 1
            assert _y_axis_labels(root)[0] == "2" and _y_axis_labels(root)[-1] == "5", (path.name, _y_axis_labels(root))
        elif "балл" in y_title.lower() or "%" in y_title:
            assert _y_axis_labels(root)[0].startswith("0") and _y_axis_labels(root)[-1].startswith("100"), path.name
        assert f"charts/{path.name}" in pages, path.name
    results = PROJECTS[name] / "data" / "results.csv"
    years = {r["year"] for r in read_rows(name, "results") if r["value"]} if results.is_file() else set()
    if len(years) > 1:
        assert charts, "examples with results of two years or more draw charts"
    if name == "kotelnikovsky":
        assert marks_charts >= 3


def test_marks_chart_has_full_scale_gap_and_distinct_points():
    rows = [
        dict(year=2019, series="Математика", value=4.0, value_missing=None),
        dict(year=2020, series="Математика", value=None, value_missing="не проводилось"),
        dict(year=2021, series="Математика", value=3.33, value_missing=None),
        dict(year=2019, series="Русский язык", value=4.0, value_missing=None),
        dict(year=2021, series="Русский язык", value=3.2, value_missing=None),
    ]
    plotted = _plotted("lines", rows, [2019, 2020, 2021])
    # the line is broken at 2020: the two years of each series are in different segments
    for series in ("Математика", "Русский язык"):
        segments = {r["segment"] for r in plotted if r["series"] == series}
        assert len(segments) == 2, plotted
    # equal values of two series in the same year are drawn apart
    x2019 = {r["x"] for r in plotted if r["year"] == 2019}
    assert len(x2019) == 2
    chart = Chart("lines", plotted, "оценка", "alt", "Средняя оценка (от 2 до 5)", "Протокол от 20.05.2021", (2019, 2021))
    root = ET.fromstring(_svg(chart))
    labels = _y_axis_labels(root)
    assert labels[0] == "2" and labels[-1] == "5", labels
    x_labels = _axis_labels(root, "X")
    assert x_labels == ["2019", "2020", "2021"]  # the year not held is on the axis, so the gap is visible
    line_paths = [p for g in root.iter(f"{SVG}g") if "mark-line" in (g.get("class") or "") for p in g.iter(f"{SVG}path")]
    assert len(line_paths) == 4  # 2 series × 2 one-year segments: no line bridges 2020


def test_long_source_is_wrapped_within_the_chart_not_cut():
    rows = [dict(year=2021, series="Математика", value=4.0, value_missing=None)]
    label = (
        "Приказ управления образования администрации муниципального района № 123-од от 01.09.2024 "
        "«Об утверждении перечня общеобразовательных организаций с низкими результатами»"
    )
    chart = Chart("lines", _plotted("lines", rows, [2021]), "оценка", "alt", "Средняя оценка", label, (2021, 2021))
    root = ET.fromstring(_svg(chart))
    assert float(root.get("width")) <= MAX_WIDTH
    source = " ".join(t for t in _texts(root) if t not in _axis_labels(root, "X") + _y_axis_labels(root))
    for word in f"Источник: {label}".split():
        assert word in source, (word, source)  # wrapped onto lines, no word cut off or ellipsised
    assert "…" not in source


def test_no_chart_without_values(mini):
    from kachestvo.dataset import load
    from kachestvo.pages.context import Context

    ctx = Context(load(mini))
    rows = [dict(year=2021, series="ЕГЭ: Математика", value=None, value_missing="нет участников", document_id="prikaz-1")]
    fig = ctx.figure("lines", rows, "балл", "ЕГЭ", "Значений нет (нет участников).")
    assert fig["chart"] is None and ctx.charts == []
    assert "нет участников" in str(fig["table"].rows[0]["cells"][1])


def test_renderer_renders_each_chart_once_and_reuses_the_cache(tmp_path, monkeypatch):
    from kachestvo.output import charts

    rows = [dict(year=2021, series="Математика", value=v, value_missing=None) for v in (4.0,)]
    a = Chart("lines", _plotted("lines", rows, [2021]), "оценка", "a", "Средняя оценка", "Протокол", (2021, 2021))
    b = Chart(
        "bars", [dict(r, year=2021) for r in _plotted("lines", rows, [2021])], "доля", "b", "Доля", "Протокол", (2021, 2021)
    )
    calls = []
    real = charts._svg
    monkeypatch.setattr(charts, "_svg", lambda c: calls.append(c.path) or real(c))
    renderer = charts.Renderer(tmp_path)
    for chart in (a, b, a):
        renderer.submit(chart)
    svgs = renderer.collect()
    assert sorted(svgs) == sorted([a.path, b.path]) and sorted(calls) == sorted(svgs)
    assert all(ET.fromstring(svg.decode("utf-8")).tag == f"{SVG}svg" for svg in svgs.values())
    assert not list(tmp_path.glob("*.tmp"))
    calls.clear()
    again = charts.Renderer(tmp_path)
    for chart in (a, b):
        again.submit(chart)
    assert again.collect() == svgs and calls == []  # cached: nothing rendered again


@pytest.mark.parametrize("name", each_example())
def test_html_legend_gives_each_series_the_colour_of_its_marks(built, name):
    """The legend is text under the image (it wraps on a phone): each label's symbol has the colour the chart drew
    that series in, and every drawn series is in the legend."""
    import html as htmllib

    project = built(name)
    checked = set()
    for page in project.site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for src, items in re.findall(
            r'<img src="[^"]*?(charts/[^"]+\.svg)"[^>]*>\s*<ul class="kq-legend">(.*?)</ul>', text, re.S
        ):
            legend = {
                htmllib.unescape(re.sub(r"<[^>]+>", "", label)).strip(): color
                for color, label in re.findall(r'fill="(#[0-9a-f]{6})">.*?</svg>(.*?)</li>', items, re.S)
            }
            root = ET.fromstring((project.site / src).read_text(encoding="utf-8"))
            drawn = {}
            for g in root.iter(f"{SVG}g"):
                cls = g.get("class") or ""
                if "role-mark" in cls and ("mark-symbol" in cls or "mark-rect" in cls):
                    for item in g.iter(f"{SVG}path"):
                        series = re.search(r"ряд: (.*?)$", item.get("aria-label", ""), re.S)
                        if series:
                            drawn[series.group(1)] = item.get("fill")
            assert drawn and drawn == legend, (page, src, drawn, legend)
            checked.add(src)
    assert checked == {f"charts/{p.name}" for p in project.site.glob("charts/*.svg")}  # every chart has its legend


def test_counts_of_schools_have_whole_ticks_each_once():
    """A count axis (0 to 3 schools) labels whole numbers, each once: without tickMinStep Vega puts ticks at
    halves, and the format «d» prints them as «0 1 1 2 2 3 3»."""
    rows = [
        dict(year=2020, series="включено", value=3, value_missing=None),
        dict(year=2021, series="исключено", value=3, value_missing=None),
        dict(year=2021, series="включено", value=0, value_missing=None),
    ]
    chart = Chart("bars", _plotted("bars", rows, [2020, 2021]), "человек", "alt", "Число школ", "Протокол", (2020, 2021))
    labels = _y_axis_labels(ET.fromstring(_svg(chart)))
    assert labels == sorted(set(labels), key=int) and labels[0] == "0" and labels[-1] == "3", labels
