"""Load stage: a project's data package as typed pandas frames, each CSV read once (lenient: bad cells → missing).

The raw text of each CSV is kept beside its frame: the downloads are byte copies of it (after protection).
"""

from __future__ import annotations

import io
import json
import re
import warnings
from dataclasses import dataclass, field

import pandas as pd

from kachestvo import csvfile, partial_date, schemas
from kachestvo.distinct import factorize
from kachestvo.paths import Project

LINE = "_line"


def decimals_column(field_name: str) -> str:
    """The column beside a number field that keeps how many decimals its CSV text has («4.0» → 1, «4» → 0), so a value
    shows as its source wrote it: the number is typed as float, its precision is kept as written."""
    return f"_decimals_{field_name}"


DECIMALS = decimals_column("value")  # results.value


@dataclass
class Dataset:
    """Every table of a project, typed per its schema; absent tables are empty frames."""

    project: Project
    descriptor: dict
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # the CSV text each table was read from

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self.tables:
            self.tables[name] = _typed(name, pd.DataFrame(columns=schemas.field_names(name) + [LINE]))
        return self.tables[name]

    def has(self, name: str) -> bool:
        return name in self.tables and not self.tables[name].empty

    @property
    def present(self) -> list[str]:
        return [n for n in self.tables if not self.tables[n].empty]

    @property
    def listed(self) -> list[str]:
        """Tables the package lists and the tool knows, in the package's order."""
        return [r["name"] for r in self.descriptor.get("resources", []) if r.get("name") in self.texts]


def load(project: Project, texts: dict[str, str] | None = None) -> Dataset:
    """The dataset of a project; `texts` (table → CSV text, as read by validation) avoids reading files again."""
    descriptor = json.loads(project.datapackage.read_text(encoding="utf-8"))
    ds = Dataset(project, descriptor)
    for res in descriptor.get("resources", []):
        name = res.get("name")
        if name not in schemas.table_names():
            continue
        text = (texts or {}).get(name)
        if text is None and texts is None and (project.data / f"{name}.csv").exists():
            text, _ = csvfile.read_text(project.data / f"{name}.csv")
        if text is not None:
            ds.texts[name] = text
            ds.tables[name] = _read(name, text)
    return ds


def _read(name: str, text: str) -> pd.DataFrame:
    try:
        with warnings.catch_warnings():  # index_col=False: a first row with an extra cell is cut to the header's width
            warnings.simplefilter("ignore", pd.errors.ParserWarning)  # (validation reports the cell), never an index
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, index_col=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError):  # extra cells, or no header (validation reports both)
        frame = _lenient(text)
    lines = csvfile.record_lines(text, skip_empty=True)  # pandas skips empty lines too
    frame[LINE] = [lines[i + 1] if i + 1 < len(lines) else None for i in range(len(frame))]
    for col in schemas.field_names(name):
        if col not in frame.columns:
            frame[col] = ""
    typed = _typed(name, frame[schemas.field_names(name) + [LINE]])
    for f in schemas.schema(name)["fields"]:
        if f["type"] == "number":
            typed[decimals_column(f["name"])] = [written_decimals(w) for w in frame[f["name"]].astype(str)]
    return typed


WRITTEN = re.compile(r"[+-]?\d*\.(\d+)")


def written_decimals(text: str) -> int | None:
    """How many decimals a number's CSV text has: «4.0» → 1, «4» → 0, «» → None."""
    text = text.strip()
    if not text:
        return None
    m = WRITTEN.fullmatch(text)
    return len(m.group(1)) if m else 0


def _lenient(text: str) -> pd.DataFrame:
    """Records cut or padded to the header's width, empty lines left out (as pandas reads them)."""
    import csv

    records = [r for r in csv.reader(io.StringIO(text, newline="")) if r]
    header = records[0] if records else []
    rows = [(r + [""] * len(header))[: len(header)] for r in records[1:]]
    return pd.DataFrame(rows, columns=header, dtype=str)


def _typed(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Plain dtypes templates can test safely: text and nullable integers as objects with None,
    numbers as float64 with NaN, dates as datetime64 with NaT (never pandas' ambiguous NA), partial dates as
    PartialDate objects with None."""
    frame = frame.copy()
    partial = set(partial_date.fields(schemas.schema(name)))
    for f in schemas.schema(name)["fields"]:
        kind = "partial" if f["name"] in partial else f["type"]
        frame[f["name"]] = _converted(_COLUMNS.get(kind, _text), frame[f["name"]].tolist(), frame.index)
    frame[LINE] = _objects(pd.to_numeric(frame[LINE], errors="coerce").astype("Int64"))
    return frame.reset_index(drop=True)


def _converted(convert, raw: list, index) -> pd.Series:
    """A column typed once per distinct cell (a region's columns repeat a few values thousands of times), each row
    taking its cell's result: stripped, blank → None, then `convert`."""
    codes, distinct = factorize([v if isinstance(v, str) else None for v in raw])
    cells = [v.strip() or None for v in distinct]  # cell by cell: faster than pandas' string methods on short cells
    if (codes < 0).any():
        cells.append(None)  # code -1 (no cell) → this None; only then, as a column without a gap types differently
    return convert(cells, pd.RangeIndex(len(cells))).take(codes).set_axis(index)


def _text(cells: list, index) -> pd.Series:
    return pd.Series(cells, index=index, dtype=object)


def _partial(cells: list, index) -> pd.Series:
    """«2017», «2020-02», «2021-05-13»: a date at the precision the source gives; unparseable text stays text
    (validation names it)."""
    parsed = [partial_date.PartialDate.parse(v) for v in cells]
    return pd.Series([p if p is not None else v for p, v in zip(parsed, cells)], index=index, dtype=object)


def _integer(cells: list, index) -> pd.Series:
    return _objects(pd.to_numeric(_text(cells, index), errors="coerce").astype("Float64").round().astype("Int64"))


def _number(cells: list, index) -> pd.Series:
    return pd.to_numeric(_text(cells, index), errors="coerce").astype("float64")


def _date(cells: list, index) -> pd.Series:
    return pd.to_datetime(_text(cells, index), format="%Y-%m-%d", errors="coerce")


_COLUMNS = {"partial": _partial, "integer": _integer, "number": _number, "date": _date}  # any other type: text


def _objects(col: pd.Series) -> pd.Series:
    """A nullable column as Python objects: values as int/str, missing as None."""
    if col.notna().all() and str(col.dtype) == "Int64":
        return col.astype("int64")
    return col.astype(object).where(col.notna(), None)  # whole column: Int64 → int, string → str, NA → None
