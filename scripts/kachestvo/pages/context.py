"""What every page builder shares: the protected dataset, lookups, formatting of cells and figures."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from kachestvo import fmt, phrases, vocabulary
from kachestvo.dataset import DECIMALS, Dataset
from kachestvo.escape import is_missing, text
from kachestvo.output.charts import Chart, Renderer
from kachestvo.pages.table import Column, Table
from kachestvo.transform import by_id


@dataclass
class Context:
    ds: Dataset
    charts: list[Chart] = field(default_factory=list)
    renderer: Renderer | None = None  # the build's chart renderer: each chart starts rendering when it is made
    sections: list = field(default_factory=list)  # the published sections (pages.registry.published), in nav order
    cited: Callable[[], dict] | None = None  # document_id → figures and pages citing it (pages.registry.citing)
    page_charts: dict[str, list[Chart]] = field(default_factory=dict)  # page path → the charts made for it (`making`)
    _making: str | None = None

    def __post_init__(self):
        self._records: dict[str, list[dict]] = {}
        self._by_school: dict[tuple, dict] = {}
        self.schools = by_id(self.ds["schools"], "school_id")
        self.docs = by_id(self.ds["documents"], "document_id")
        for d in self.docs.values():
            d["label"] = doc_label(d)
        rows = self.records("municipality")
        self.municipality = _owner(rows, self.ds["municipality"].columns)
        # Region mode: the municipalities of a region, each with its schools; empty for a municipal project.
        self.region_mode = len(rows) > 1
        self.municipalities = {r["municipality_id"]: r for r in rows if r["kind"] != "регион"} if self.region_mode else {}

    @contextmanager
    def making(self, path: str):
        """Charts made inside this block belong to the page `path` (`page_charts[path]`)."""
        self._making, self.page_charts[path] = path, []
        try:
            yield
        finally:
            self._making = None

    @property
    def municipal_results(self) -> list[dict]:
        """Published municipal averages: the results rows of a municipality rather than of a school (listed once)."""
        if "municipal_results" not in self._records:
            self._records["municipal_results"] = [r for r in self.records("results") if r["municipality_id"] is not None]
        return self._records["municipal_results"]

    @property
    def district(self) -> str:
        """«по району», «по округу» or «по муниципалитету»: how the municipality's averages are named."""
        name = ((self.municipality or {}).get("name") or "").lower()
        return "по округу" if "округ" in name else "по району" if "район" in name else "по муниципалитету"

    @property
    def district_average(self) -> str:
        return f"среднее {self.district}"

    def school_link(self, school_id, root: str) -> Markup:
        s = self.schools.get(school_id)
        if s is None:
            return text(school_id)
        return Markup('<a href="{}shkoly/{}/">{}</a>').format(root, school_id, s["short_name"])

    def municipality_link(self, municipality_id, root: str) -> Markup:
        m = self.municipalities.get(municipality_id)
        if m is None:
            return Markup("")
        return Markup('<a href="{}munitsipalitety/#{}">{}</a>').format(root, municipality_id, m["name"])

    def doc_link(self, document_id, root: str) -> Markup:
        d = self.docs.get(document_id)
        if d is None:
            return Markup("")
        return Markup('<a class="kq-doc" href="{}dokumenty/{}/">{}</a>').format(root, document_id, d["label"])

    def records(self, name: str) -> list[dict]:
        """A table as plain dicts (missing → None), computed once."""
        if name not in self._records:
            self._records[name] = [
                {k: (None if is_missing(v) else v) for k, v in r.items()} for r in self.ds[name].to_dict("records")
            ]
        return self._records[name]

    def of_school(self, name: str, school_id: str, column: str = "school_id") -> list[dict]:
        """Rows of a table for one school, from an index built once per table and column."""
        key = (name, column)
        if key not in self._by_school:
            index: dict = {}
            for r in self.records(name):
                index.setdefault(r[column], []).append(r)
            self._by_school[key] = index
        return self._by_school[key].get(school_id, [])

    def figure(
        self,
        kind: str,
        rows: list[dict],
        unit: str,
        caption: str,
        summary: str,
        root: str = "",
        y_title: str = "",
        documents: list[str] | None = None,
        value_cell: Callable[[dict | None], object] | None = None,
    ) -> dict:
        """A chart of rows (year, series, value, value_missing) with its data table, text summary and sources.

        No chart is drawn when no row has a value, nor when values exist for one year only (a chart with one point
        per series says nothing the sentence does not): `no_chart` says which, the summary and the table give the rest.
        Sources are the rows' documents, or `documents` for a chart of counts derived from other tables.
        `value_cell` makes a year's cell of the data table from its row (default: `cell`)."""
        years = sorted({int(r["year"]) for r in rows})
        sources = sorted(documents if documents is not None else _documents_of(rows))
        plotted = _plotted(kind, rows, years)
        no_chart = _why_no_chart(plotted)
        chart = None
        if not no_chart:
            source = "\n".join(self.docs[d]["label"] for d in sources if d in self.docs)
            alt_text = f"График: {caption}. {summary} Данные — в таблице ниже."
            chart = Chart(kind, plotted, unit, alt_text, y_title or unit_title(unit), source, (years[0], years[-1]))
            self._made(chart)
        value = value_cell or (lambda row: cell(row, unit))
        return dict(
            chart=chart,
            no_chart=no_chart,
            caption=caption,
            summary=summary,
            sources=[self.doc_link(d, root) for d in sources],
            table=_data_table(rows, years, value, caption=f"Данные графика: {caption}" if chart else caption),
        )

    def _made(self, chart: Chart) -> None:
        """Record a new chart: the site's, the page's being made, and start rendering it."""
        self.charts.append(chart)
        if self._making is not None:
            self.page_charts[self._making].append(chart)
        if self.renderer is not None:
            self.renderer.submit(chart)


def doc_label(d: dict) -> str:
    """«Приказ № 5 от 01.02.2021»: a document's type, number and date, as far as they are known."""
    bits = [d["type"].capitalize()]
    if d["number"]:
        bits.append(f"№{fmt.NBSP}{d['number']}")
    if d["date"] is not None:
        bits.append(f"от{fmt.NBSP}{fmt.date_short(d['date'])}")
    return " ".join(bits)


def _owner(rows: list[dict], columns) -> dict:
    """The project's owner (the region in region mode, else the one municipality), which names the site; a new
    project may not have filled municipality.csv yet: every field is then None."""
    owners = [r for r in rows if r["kind"] == "регион"] or rows[:1]
    return owners[0] if owners else {k: None for k in columns}


def _documents_of(rows: list[dict]) -> set[str]:
    return {r["document_id"] for r in rows if r.get("document_id")}


def _why_no_chart(plotted: list[dict]) -> str:
    """Why no chart is drawn (no value, or values of one year only); "" when one is."""
    held = sorted({r["year"] for r in plotted})
    if not plotted:
        return "График не построен: значений нет."
    if len(held) < 2:
        return f"Значения есть только за {held[0]}{fmt.NBSP}год, поэтому вместо графика — таблица."
    return ""


def _data_table(rows: list[dict], years: list[int], value: Callable[[dict | None], object], caption: str) -> Table:
    """A chart's data table: a row per series, a column per year of the span."""
    by_series: dict[str, dict[int, dict]] = {}
    for r in rows:
        by_series.setdefault(r["series"], {})[int(r["year"])] = r
    columns = [Column("Показатель", lambda s: text(s[0]))]
    columns += [Column(str(y), lambda s, y=y: value(s[1].get(y))) for y in years]
    return Table(columns, by_series.items(), caption=caption)


UNIT_TITLES = {
    vocabulary.MARK: "Средняя оценка (от 2 до 5)",
    vocabulary.SCORE: "Средний балл (от 0 до 100)",
    vocabulary.SHARE: "Доля учащихся, %",
    vocabulary.PERCENT: "Процент",
    vocabulary.PEOPLE: "Число, чел.",
}


def unit_title(unit: str) -> str:
    """The y-axis title of a unit: the metric and its scale."""
    return UNIT_TITLES.get(unit, unit)


def _plotted(kind: str, rows: list[dict], years: list[int]) -> list[dict]:
    """The rows a chart draws: values only. For lines, each series is shifted a little along x (equal values
    stay apart) and split into segments at every year of the span without a value (a gap, never a bridge)."""
    values = [r for r in rows if not is_missing(r["value"])]
    if kind != "lines":
        return [dict(year=int(r["year"]), series=r["series"], value=float(r["value"])) for r in values]
    series = list(dict.fromkeys(r["series"] for r in rows))
    step = min(0.12, 0.5 / max(len(series), 1))
    by_key = {(r["series"], int(r["year"])): float(r["value"]) for r in values}
    span = range(years[0], years[-1] + 1) if years else range(0)
    out = []
    for i, name in enumerate(series):
        out += _line(i, name, (i - (len(series) - 1) / 2) * step, span, by_key)
    return out


def _line(i: int, name: str, offset: float, span: range, by_key: dict[tuple, float]) -> list[dict]:
    """The points of the i-th series, shifted by offset along x, a new segment after each year without a value."""
    out, segment = [], 0
    for year in span:
        if (name, year) not in by_key:
            segment += 1
            continue
        value = by_key[(name, year)]
        out.append(dict(year=year, x=round(year + offset, 4), series=name, segment=f"{i}-{segment}", value=value))
    return out


INFERRED = "по косвенным данным"


def inferred_mark(row: dict | None) -> Markup:
    """« (по косвенным данным)» after a value the source does not state, its reason on hover; nothing otherwise."""
    reason = (row or {}).get("inferred")
    if is_missing(reason):
        return Markup("")
    return Markup(' <span class="kq-inferred" title="{}">({})</span>').format(reason, INFERRED)


def cell(row: dict | None, unit: str) -> Markup:
    """A result cell: the value (marked when inferred), or why there is none (in italics)."""
    if row is None:
        return Markup('<span class="kq-missing">нет строки</span>')
    if is_missing(row["value"]):
        return Markup('<span class="kq-missing">{}</span>').format(row["value_missing"] or vocabulary.NO_DATA)
    return escape(fmt.value(row["value"], unit, row.get(DECIMALS))) + inferred_mark(row)


def group_cell(group, level, missing) -> Markup:
    """A classification group with its level, or why there is none (in italics)."""
    if is_missing(group):
        return Markup('<span class="kq-missing">{}</span>').format(missing or vocabulary.NO_DATA)
    return text(phrases.group(group, level))


# A classification's columns (a record of classifications.csv as a dict): on the results page and a school's page.
CLASSIFICATION_COLUMNS = [
    Column("Год", lambda r: str(r["year"])),
    Column("Группа качества", lambda r: group_cell(r["quality_group"], r["quality_level"], r["quality_missing"])),
    Column("Группа по ИСБШ", lambda r: group_cell(r["isbsh_group"], r["isbsh_level"], r["isbsh_missing"])),
    Column("Итоговый балл", lambda r: fmt.number(r["identification_score"])),
    Column("Итог", lambda r: text(r["identification_result"]) + inferred_mark(r) if r["identification_result"] else ""),
]
