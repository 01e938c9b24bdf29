"""What every page builder shares: the protected dataset, lookups, formatting of cells and figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from kachestvo import fmt
from kachestvo.dataset import Dataset
from kachestvo.escape import is_missing, text
from kachestvo.output.charts import Chart
from kachestvo.transform import by_id


@dataclass
class Context:
    ds: Dataset
    charts: list[Chart] = field(default_factory=list)

    def __post_init__(self):
        self._records: dict[str, list[dict]] = {}
        self._by_school: dict[tuple, dict] = {}
        self.schools = by_id(self.ds["schools"], "school_id")
        self.docs = by_id(self.ds["documents"], "document_id")
        for d in self.docs.values():
            bits = [d["type"].capitalize()]
            if d["number"]:
                bits.append(f"№{fmt.NBSP}{d['number']}")
            if d["date"] is not None:
                bits.append(f"от{fmt.NBSP}{fmt.date_short(d['date'])}")
            d["label"] = " ".join(bits)
        row = self.ds["municipality"].iloc[0] if self.ds.has("municipality") else None
        self.municipality = None if row is None else {k: (None if is_missing(v) else v) for k, v in row.items()}

    def school_link(self, school_id, root: str) -> Markup:
        s = self.schools.get(school_id)
        if s is None:
            return text(school_id)
        return Markup('<a href="{}shkoly/{}/">{}</a>').format(root, school_id, s["short_name"])

    def doc_link(self, document_id, root: str) -> Markup:
        d = self.docs.get(document_id)
        if d is None:
            return Markup("")
        return Markup('<a class="kq-doc" href="{}dokumenty/#{}">{}</a>').format(root, document_id, d["label"])

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

    def figure(self, kind: str, rows: list[dict], unit: str, caption: str, summary: str, root: str = "") -> dict:
        """A chart of rows (year, series, value, value_missing) with its data table, text summary and sources."""
        plotted = [
            dict(year=int(r["year"]), series=r["series"], value=float(r["value"])) for r in rows if not is_missing(r["value"])
        ]
        chart = Chart(kind, plotted, unit, f"График: {caption}. {summary} Данные — в таблице ниже.")
        self.charts.append(chart)
        years = sorted({int(r["year"]) for r in rows})
        by_series: dict[str, dict[int, dict]] = {}
        for r in rows:
            by_series.setdefault(r["series"], {})[int(r["year"])] = r
        table_rows = [
            {"cells": [text(series)] + [cell(cells.get(y), unit) for y in years]} for series, cells in by_series.items()
        ]
        sources = sorted({r["document_id"] for r in rows if r.get("document_id")})
        return dict(
            chart=chart,
            caption=caption,
            summary=summary,
            sources=[self.doc_link(d, root) for d in sources],
            headers=["Показатель"] + [str(y) for y in years],
            rows=table_rows,
        )


def cell(row: dict | None, unit: str) -> Markup:
    """A result cell: the value, or why there is none (in italics)."""
    if row is None:
        return Markup('<span class="kq-missing">нет строки</span>')
    if is_missing(row["value"]):
        return Markup('<span class="kq-missing">{}</span>').format(row["value_missing"] or "нет данных")
    return escape(fmt.value(row["value"], unit))


def group_cell(group, level, missing) -> Markup:
    """A classification group with its level, or why there is none (in italics)."""
    if is_missing(group):
        return Markup('<span class="kq-missing">{}</span>').format(missing or "нет данных")
    return text(f"{group}" + (f" ({level})" if isinstance(level, str) else ""))


def compact(headers: list, rows: list[dict]) -> tuple[list, list[dict]]:
    """Drop the columns that are empty in every row (e.g. «Ответственные» when no school filled it in)."""
    if not rows:
        return headers, rows
    keep = [i for i in range(len(headers)) if any(str(r["cells"][i]).strip() for r in rows if i < len(r["cells"]))]
    if len(keep) == len(headers):
        return headers, rows
    return [headers[i] for i in keep], [dict(r, cells=[r["cells"][i] for i in keep]) for r in rows]
