"""What every page builder shares: the protected dataset, lookups, formatting of cells and figures."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from markupsafe import Markup, escape

from . import fmt
from .charts import Chart
from .escape import is_missing, text
from .load import Dataset
from .transform import by_id


@dataclass
class Context:
    ds: Dataset
    charts: list[Chart] = field(default_factory=list)

    def __post_init__(self):
        self.schools = by_id(self.ds["schools"], "school_id")
        self.docs = by_id(self.ds["documents"], "document_id")
        for d in self.docs.values():
            bits = [d["type"].capitalize()]
            if d["number"]:
                bits.append(f"№{fmt.NBSP}{d['number']}")
            if d["date"] is not None:
                bits.append(f"от {fmt.date_short(d['date'])}")
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
        return Markup('<a href="{}dokumenty/#{}">{}</a>').format(root, document_id, d["label"])

    def figure(self, kind: str, frame: pd.DataFrame, unit: str, caption: str, summary: str) -> dict:
        """A chart of `frame` (year, series, value, value_missing) with its data table and text summary."""
        plotted = frame[frame["value"].notna()]
        rows = [dict(year=int(r.year), series=r.series, value=float(r.value)) for r in plotted.itertuples()]
        chart = Chart(kind, rows, unit, f"График: {caption}. {summary} Данные — в таблице ниже.")
        self.charts.append(chart)
        years = sorted(frame["year"].dropna().astype(int).unique())
        table_rows = []
        for series, g in frame.groupby("series", sort=False):
            cells = [text(series)] + [cell(g[g["year"] == y], unit) for y in years]
            table_rows.append({"cells": cells})
        return dict(chart=chart, caption=caption, summary=summary,
                    headers=["Показатель"] + [str(y) for y in years], rows=table_rows)


def cell(rows: pd.DataFrame, unit: str) -> Markup:
    """A result cell: the value, or why there is none (in italics)."""
    if rows.empty:
        return Markup('<span class="kq-missing">нет строки</span>')
    r = rows.iloc[0]
    if is_missing(r["value"]):
        return Markup('<span class="kq-missing">{}</span>').format(r["value_missing"] or "нет данных")
    return escape(fmt.value(r["value"], unit))
