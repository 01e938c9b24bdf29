"""The charts drawn in Python (output/draw.py) put every mark where the data says: each chart is also drawn by vl-convert
from its Vega-Lite definition (Chart.vega), and every point, line, bar, value label, tick and axis label of the two
drawings must sit at the same place (in the plot's coordinates), in the same colour, shape and dash, with the same
Russian number format. Hypothesis generates the charts; fixed cases cover the edges (gaps, many years, many series,
all zeros). Further: the bytes are deterministic, nothing external is requested, staff text is escaped, the build
draws without vl-convert or altair, the cache key follows the drawing code, and the text widths are the font's."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kachestvo import vocabulary
from kachestvo.output import charts, draw, text_width
from kachestvo.output.charts import Chart
from kachestvo.output.number_format import RU_LOCALE, number
from kachestvo.pages.context import _plotted

SVG = "{http://www.w3.org/2000/svg}"
UNITS = {
    vocabulary.MARK: st.floats(2, 5).map(lambda v: round(v, 2)),
    vocabulary.SCORE: st.floats(0, 100).map(lambda v: round(v, 1)),
    vocabulary.SHARE: st.floats(0, 1).map(lambda v: round(v, 3)),
    vocabulary.PERCENT: st.floats(0, 100).map(lambda v: round(v, 1)),
    vocabulary.PEOPLE: st.integers(0, 2500),
}
SERIES = ["Математика", "Русский язык", "Биология", "ЕГЭ: Химия", "включено", "исключено", "A", "Я"]


def _vega_svg(chart: Chart) -> str:
    import vl_convert

    return vl_convert.vega_to_svg(chart.vega, format_locale=RU_LOCALE, time_format_locale="ru-RU")


def _translate(el) -> tuple[float, float]:
    m = re.match(r"translate\(([-\d.e]+),([-\d.e]+)\)", el.get("transform", "translate(0,0)"))
    return float(m.group(1)), float(m.group(2))


def _path_points(d: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"([-\d.]+),([-\d.]+)", d)]


def _groups(root, word: str):
    return [g for g in root.iter(f"{SVG}g") if word in (g.get("class") or "").split()]


# Vega's English aria-labels, as the drawing says them in Russian (a line is named by its first point)
VEGA_WORDS = [(r"; series: ", "; ряд: "), (r"; segment: [\d-]+$", ""), (r"; value: ", "; значение: ")]


def _russian(label: str) -> str:
    for english, russian in VEGA_WORDS:
        label = re.sub(english, russian, label)
    return label


def marks(svg: str) -> dict:
    """What a drawing says, in the plot's coordinates: marks by their aria-label, ticks and visible axis labels."""
    root = ET.fromstring(svg)
    for el in root.iter():
        if el.get("aria-label"):
            el.set("aria-label", _russian(el.get("aria-label")))
    out: dict = {"point": {}, "line": {}, "bar": {}, "label": {}, "x": [], "y": [], "xticks": [], "yticks": [], "source": []}
    for g in _groups(root, "mark-symbol"):
        for p in g.iter(f"{SVG}path"):
            out["point"][p.get("aria-label")] = (_translate(p), p.get("d"), p.get("fill"))
    for g in _groups(root, "mark-line"):
        for p in g.iter(f"{SVG}path"):
            out["line"][p.get("aria-label")] = (_path_points(p.get("d")), p.get("stroke"), p.get("stroke-dasharray"))
    for g in _groups(root, "mark-rect"):
        for p in g.iter(f"{SVG}path"):
            out["bar"][p.get("aria-label")] = (_path_points(p.get("d")), p.get("fill"))
    for g in [g for g in _groups(root, "mark-text") if "role-mark" in g.get("class")]:
        for t in g.iter(f"{SVG}text"):
            out["label"][t.get("aria-label")] = (_translate(t), t.text)
    for g in root.iter(f"{SVG}g"):
        axis = re.match(r"(?:Ось )?([XY])(?:-axis| «)", g.get("aria-label", ""))
        if axis:
            axis = axis.group(1)
            for labels in _groups(g, "role-axis-label"):
                for t in labels.iter(f"{SVG}text"):
                    if t.get("opacity") != "0":
                        out[axis.lower()].append((_translate(t), t.text))
            for ticks in _groups(g, "role-axis-tick"):
                out[f"{axis.lower()}ticks"] += [_translate(line) for line in ticks.iter(f"{SVG}line")]
    for g in _groups(root, "role-title-text"):
        out["source"] = ["".join(t.itertext()) for t in g.iter(f"{SVG}tspan")] or ["".join(g.itertext())]
    return out


def _close(a, b, tol: float = 0.01) -> bool:
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(_close(x, y, tol) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return abs(float(a) - float(b)) <= tol
    return a == b


def assert_same_drawing(chart: Chart) -> None:
    ours, vega = marks(draw.svg(chart)), marks(_vega_svg(chart))
    for kind in ("point", "line", "bar", "label"):
        assert ours[kind].keys() == vega[kind].keys(), (kind, ours[kind].keys() ^ vega[kind].keys())
        for aria, drawn in ours[kind].items():
            assert _close(drawn, vega[kind][aria]), (kind, aria, drawn, vega[kind][aria])
    for axis in ("x", "y", "xticks", "yticks"):
        assert _close(ours[axis], vega[axis]), (axis, ours[axis], vega[axis])
    assert ours["source"] == vega["source"]
    assert any(ours[k] for k in ("point", "bar")), "a chart draws marks"


def _lines(unit: str, values: dict, first: int, span: int) -> Chart:
    years = list(range(first, first + span))
    rows = [
        dict(year=year, series=series, value=value, value_missing=None if value is not None else "не проводилось")
        for (series, year), value in values.items()
    ]
    source = "Протокол заседания комиссии управления образования № 12 от 20.05.2021 «О результатах»"
    return Chart("lines", _plotted("lines", rows, years), unit, "alt", f"Показатель, {unit}", source, (first, first + span - 1))


@st.composite
def line_charts(draw_, unit=None):
    unit = unit or draw_(st.sampled_from(sorted(UNITS)))
    first, span = draw_(st.integers(2010, 2024)), draw_(st.integers(2, 12))
    names = draw_(st.lists(st.sampled_from(SERIES), min_size=1, max_size=5, unique=True))
    values = {(s, y): draw_(st.one_of(st.none(), UNITS[unit])) for s in names for y in range(first, first + span)}
    values[(names[0], first)] = draw_(UNITS[unit])
    values[(names[0], first + span - 1)] = draw_(UNITS[unit])
    return _lines(unit, values, first, span)


@st.composite
def bar_charts(draw_):
    years = draw_(st.lists(st.integers(2015, 2026), min_size=2, max_size=7, unique=True))
    names = draw_(st.lists(st.sampled_from(SERIES), min_size=1, max_size=3, unique=True))
    rows = [
        dict(year=y, series=s, value=draw_(st.integers(0, 40)), value_missing=None)
        for y in years
        for s in names
        if draw_(st.booleans()) or s == names[0]
    ]
    return Chart("bars", _plotted("bars", rows, sorted(years)), vocabulary.PEOPLE, "alt", "Число школ", "Протокол", (0, 0))


@pytest.mark.slow  # 40 charts through vl-convert; the fixed cases below keep the comparison in the fast subset
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(line_charts())
def test_line_charts_put_every_mark_where_vega_does(chart):
    assert_same_drawing(chart)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bar_charts())
def test_bar_charts_put_every_bar_and_label_where_vega_does(chart):
    assert_same_drawing(chart)


@pytest.mark.parametrize(
    "chart",
    [
        # a gap in 2020, equal values of two series apart, the marks' full scale
        _lines(vocabulary.MARK, {("Математика", 2019): 4.0, ("Математика", 2021): 3.33, ("Биология", 2019): 4.0}, 2019, 3),
        # many years: labels thinned, every year still ticked
        _lines(vocabulary.SCORE, {("Математика", y): 40.0 + y % 7 for y in range(2000, 2025)}, 2000, 25),
        # more series than shapes, colours and dashes: all three cycle
        _lines(vocabulary.SHARE, {(f"Ряд {i:02d}", y): i / 12 for i in range(11) for y in (2020, 2021)}, 2020, 2),
        # counts: from zero, rounded up, whole ticks; all zeros
        _lines(vocabulary.PEOPLE, {("человек", 2020): 1234.0, ("человек", 2021): 17.0}, 2020, 2),
        Chart(
            "bars",
            [dict(year=y, series="включено", value=0.0) for y in (2020, 2021)],
            vocabulary.PEOPLE,
            "a",
            "Число",
            "",
            (0, 0),
        ),
    ],
    ids=["gap", "many-years", "many-series", "counts", "zeros"],
)
def test_edge_cases_are_drawn_as_vega_draws_them(chart):
    assert_same_drawing(chart)


def test_a_y_title_longer_than_the_plot_stays_inside_the_image_and_above_the_source():
    title = "Доля участников ниже минимального порога по предмету (в процентах от писавших)"
    chart = _lines(vocabulary.PERCENT, {("Математика", 2020): 10.0, ("Математика", 2021): 12.0}, 2020, 2)
    chart.y_title = title
    root = ET.fromstring(draw.svg(chart))
    _, plot_top = _translate(next(g for g in root.iter(f"{SVG}g") if g.get("stroke-miterlimit")))
    half = text_width.width(title, 12) / 2
    assert half * 2 > 200  # longer than the plot is high
    assert plot_top + 100 - half >= 0  # its top end is inside the image
    _, source_top = _translate(_groups(root, "role-title-text")[0])
    assert source_top >= 100 + half  # the source starts below its bottom end
    assert plot_top + source_top + 9 <= float(root.get("height"))


def test_the_drawing_detects_a_misplaced_mark(monkeypatch):
    """The comparison can fail: a y scale off by one per cent is caught."""
    chart = _lines(vocabulary.MARK, {("Математика", 2019): 4.0, ("Математика", 2021): 3.0}, 2019, 3)
    real = draw.scale.linear
    monkeypatch.setattr(draw.scale, "linear", lambda d, r: (lambda f: lambda v: f(v) * 1.01)(real(d, r)))
    with pytest.raises(AssertionError):
        assert_same_drawing(chart)


@pytest.mark.parametrize(
    "value,spec,expected",
    [
        (1234.5, ",.1~f", "1\u00a0234,5"),
        (3.0, ",.2~f", "3"),
        (3.333, ",.2~f", "3,33"),
        (2.5, ",d", "3"),  # half up, as JavaScript rounds
        (0.455, ".0%", "46\u00a0%"),
        (1234567, ",d", "1\u00a0234\u00a0567"),
        (-1.5, ",.1~f", "\u22121,5"),
        (0.1 + 0.2, "", "0,3"),
        (2019.06, "d", "2019"),
    ],
)
def test_numbers_are_in_russian_typography(value, spec, expected):
    assert number(value, spec) == expected


def test_same_chart_same_bytes_in_another_process():
    chart = _lines(vocabulary.SCORE, {("Математика", 2020): 51.5, ("Биология", 2021): 60.0, ("Математика", 2021): 1.0}, 2020, 2)
    code = (
        "import sys; sys.path.insert(0, 'tests'); from test_chart_drawing import _lines; from kachestvo.output import draw;"
        "from kachestvo import vocabulary as v;"
        "c = _lines(v.SCORE, {('Математика', 2020): 51.5, ('Биология', 2021): 60.0, ('Математика', 2021): 1.0}, 2020, 2);"
        "sys.stdout.buffer.write(draw.svg(c).encode()); assert 'vl_convert' not in sys.modules and 'altair' not in sys.modules"
    )
    root = Path(__file__).parent.parent
    other = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, check=True, env={"PYTHONHASHSEED": "7"}
    ).stdout
    assert other == draw.svg(chart).encode() == draw.svg(chart).encode()


def test_staff_text_is_escaped_and_nothing_external_is_requested():
    nasty = "<script>alert('x')</script> & \"кавычки\""
    chart = _lines(vocabulary.MARK, {(nasty, 2020): 4.0, (nasty, 2021): 3.0}, 2020, 2)
    chart.source, chart.y_title, chart.alt = nasty, nasty, nasty
    svg = draw.svg(chart)
    root = ET.fromstring(svg)  # well-formed
    assert root.find(f"{SVG}title").text == nasty
    assert all(nasty in label for label in marks(svg)["point"])
    assert not list(root.iter(f"{SVG}script"))
    lowered = svg.lower()
    for needle in ("<script", "href", "url(", "@import", "@font-face", "<image", "<foreignobject"):
        assert needle not in lowered, needle
    assert re.findall(r"https?://[^\"' ]+", svg) == ["http://www.w3.org/2000/svg"]


@pytest.mark.parametrize("kind", ["lines", "bars"])
def test_what_a_screen_reader_hears_is_russian(kind):
    """The SVG opened by itself: its title, its elements' roles and labels are Russian (Vega's were English)."""
    rows = [dict(year=y, series="Математика", value=4.0, value_missing=None) for y in (2020, 2021)]
    chart = Chart(kind, _plotted(kind, rows, [2020, 2021]), vocabulary.MARK, "График", "Средняя оценка", "Протокол", (2020, 2021))
    root = ET.fromstring(draw.svg(chart))
    said = [el.get(a) for el in root.iter() for a in ("aria-label", "aria-roledescription") if el.get(a)]
    assert len(said) > 10 and not [s for s in said if re.search("[a-z]", s)], said


def test_the_key_follows_the_chart_and_the_drawing_code(tmp_path):
    a = _lines(vocabulary.MARK, {("Математика", 2020): 4.0, ("Математика", 2021): 3.0}, 2020, 2)
    b = _lines(vocabulary.MARK, {("Математика", 2020): 4.0, ("Математика", 2021): 3.1}, 2020, 2)
    assert (
        a.key != b.key and a.key == _lines(vocabulary.MARK, {("Математика", 2020): 4.0, ("Математика", 2021): 3.0}, 2020, 2).key
    )
    retitled = Chart(a.kind, a.rows, a.unit, "другой текст", a.y_title, a.source, a.years)
    assert retitled.key != a.key  # the alt text is the SVG's <title>
    # every module of the package that the drawing imports is part of the fingerprint...
    folder = Path(charts.__file__).parent.parent
    assert set(charts.RENDERER) >= _package_imports(folder, "output/draw.py") | {"output/draw.py", "output/charts.py"}
    # ...and a one-byte change to any of them changes it
    copy = tmp_path / "kachestvo"
    for name in charts.RENDERER:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_bytes((folder / name).read_bytes())
    before = charts.fingerprint(copy)
    assert before == charts.renderer_fingerprint()
    for name in charts.RENDERER:
        original = (copy / name).read_bytes()
        (copy / name).write_bytes(original + b"\n")
        assert charts.fingerprint(copy) != before, name
        (copy / name).write_bytes(original)


def _package_imports(folder: Path, name: str, seen: set | None = None) -> set[str]:
    """Modules of the kachestvo package (paths in it) that `name` imports, transitively."""
    import ast

    seen = set() if seen is None else seen
    for node in ast.walk(ast.parse((folder / name).read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("kachestvo"):
            continue
        parts = node.module.split(".")[1:]
        # «from kachestvo.output import scale» names modules; «from kachestvo.vocabulary import X» names a module's names
        candidates = [parts + [a.name] for a in node.names] + [parts]
        for module in ("/".join(c) + ".py" for c in candidates if c):
            if (folder / module).is_file() and module not in seen:
                seen.add(module)
                _package_imports(folder, module, seen)
    return seen


def test_text_widths_are_liberation_sans_advances():
    # .ci/run installs fontTools (test extra) and has the font (fonts-liberation comes with chromium): CI must check it
    font = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
    if not os.environ.get("CI"):
        pytest.importorskip("fontTools.ttLib", reason="fontTools is only needed to check the table")
        if not font.is_file():
            pytest.skip("Liberation Sans is not installed here")
    from fontTools import ttLib as ttlib

    tt = ttlib.TTFont(font)
    cmap, hmtx = tt.getBestCmap(), tt["hmtx"]
    assert tt["head"].unitsPerEm == text_width.UNITS_PER_EM
    assert (tt["hhea"].ascent, -tt["hhea"].descent) == (text_width.ASCENT, text_width.DESCENT)
    for char, advance in text_width.ADVANCE.items():
        assert hmtx[cmap[ord(char)]][0] == advance, char
    assert text_width.width("Ж\U0001f600", 12) >= text_width.width("ЖЖ", 12)  # unknown characters never measure short
