"""Output stage, downloads: the package's CSVs (after protection), its schemas and descriptor, and one XLSX workbook."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import multiprocessing
import re
import zipfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from kachestvo import rowkey, schemas
from kachestvo.dataset import Dataset

DIR = "otkrytye-dannye/files"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


# A workbook of more data rows than this is written in another process while the pages are generated: openpyxl is
# pure Python, and on the build's own core it would add its seconds (≈ 8 s for 44,000 rows) to every changed build.
BACKGROUND_ROWS = 5000


def files(ds: Dataset, workbook: Workbook | None = None) -> dict[str, bytes]:
    """Asset path → bytes, from the protected dataset: each CSV is the text the table was read from; data.xlsx
    from `workbook` (started earlier, see Workbook) or made here."""
    out = {}
    names = ds.listed
    for name in names:
        out[f"{DIR}/{name}.csv"] = ds.texts[name].encode("utf-8")
        out[f"{DIR}/schemas/{name}.json"] = schemas.canonical_text(name).encode("utf-8")
    out[f"{DIR}/datapackage.json"] = (json.dumps(descriptor(ds), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    out[f"{DIR}/data.xlsx"] = (workbook or Workbook(ds, background=False)).result()
    return out


def descriptor(ds: Dataset) -> dict:
    """The published datapackage.json: the project's descriptor listing only the tables published."""
    names = ds.listed
    return dict(ds.descriptor, resources=[r for r in ds.descriptor.get("resources", []) if r.get("name") in names])


class Workbook:
    """data.xlsx of a protected dataset: for a large one written in a separate process (started here, collected
    by result()); for a small one, or where no process can be started, made in this process when asked."""

    def __init__(self, ds: Dataset, background: bool | None = None):
        self.args = _workbook_args(ds)
        self._pool = self._future = None
        if background is None:
            background = sum(text.count(b"\n") for text in self.args[0].values()) > BACKGROUND_ROWS
        if background:
            try:
                # spawn, not fork: the build runs threads (chart rendering) that a fork would copy mid-work
                self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
                self._future = self._pool.submit(xlsx, *self.args)
            except OSError:
                self.close()

    def result(self) -> bytes:
        try:
            if self._future is not None:
                try:
                    return self._future.result()
                except BrokenProcessPool:  # the process could not run (e.g. a caller's script re-imported): here
                    pass
            return xlsx(*self.args)
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def _workbook_args(ds: Dataset) -> tuple:
    """What the workbook is made from, as plain values (they go to another process): CSV bytes by table, the
    municipality's name and the «as of» date that stamps the file."""
    csvs = {name: ds.texts[name].encode("utf-8") for name in ds.listed}
    m = ds["municipality"].iloc[0] if ds.has("municipality") else None
    as_of = m["as_of"] if m is not None else None
    stamp = as_of.to_pydatetime() if as_of is not None and not _isna(as_of) else None
    return csvs, (str(m["name"]) if m is not None else None), stamp


ABOUT = "О данных"
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
DATE_FORMAT = "DD.MM.YYYY"
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True)


def xlsx(csvs: dict[str, bytes], municipality: str | None, stamp: dt.datetime | None) -> bytes:
    """A workbook for people: a first sheet explaining the tables, then one sheet per table named by its Russian
    title, Russian column titles, real numbers and dates, frozen header, filters and fitted widths;
    byte-identical for the same data (fixed zip times and properties). Written row by row (openpyxl's write-only
    mode), so a region's workbook never holds every cell in memory at once."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    names = sheet_names(list(csvs))
    tables = {name: list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""))) for name, data in csvs.items()}
    _about(book.create_sheet(ABOUT), municipality, [(name, names[name], len(rows) - 1) for name, rows in tables.items()])
    for name, rows in tables.items():
        _table_sheet(book.create_sheet(title=names[name]), name, rows)
    if stamp is not None:
        book.properties.created = book.properties.modified = stamp
    book.properties.creator = "kachestvo"
    raw = io.BytesIO()
    book.save(raw)
    return _normalise_zip(raw.getvalue())


def _table_sheet(sheet, name: str, rows: list[list[str]]) -> None:
    """One table's sheet: Russian titles over typed cells; a keyed table also has a hidden last column holding
    each row's key (what `kachestvo import` matches rows by)."""
    from openpyxl.utils import get_column_letter

    header, body = rows[0], rows[1:]
    keyed = bool(schemas.schema(name).get("primaryKey"))
    keys = _keys(name, header, body) if keyed else [[] for _ in body]
    titles_row = _titles(name, header) + ([rowkey.HEADER] if keyed else [])
    _finish(sheet, [titles_row] + [r + k for r, k in zip(body, keys)])
    if keyed:
        sheet.column_dimensions[get_column_letter(len(header) + 1)].hidden = True
    sheet.append([_cell(sheet, t, "string", bold=True) for t in titles_row])
    _append(sheet, name, header, body, keys)


def _append(sheet, name: str, header: list[str], body: list[list[str]], keys: list[list[str]]) -> None:
    """The table's rows as typed cells, each followed by its key cell (if any)."""
    types = {f["name"]: f["type"] for f in schemas.schema(name)["fields"]}
    column_types = [types.get(h) for h in header]
    for row, key in zip(body, keys):
        sheet.append([_cell(sheet, v, t) for t, v in zip(column_types, row)] + [_cell(sheet, k, "string") for k in key])


def _titles(name: str, header: list[str]) -> list[str]:
    """The Russian title of each column (its name where the schema has none)."""
    titles = {f["name"]: f.get("title") or f["name"] for f in schemas.schema(name)["fields"]}
    return [titles.get(h, h) for h in header]


def _keys(name: str, header: list[str], body: list[list[str]]) -> list[list[str]]:
    """Each row's key, as `kachestvo import` reads it back, in a list of one (the hidden last cell)."""
    return [[rowkey.text(name, dict(zip(header, row)))] for row in body]


def sheet_names(tables: list[str]) -> dict[str, str]:
    """Table → sheet name: its Russian title, at most 31 characters, without the characters Excel forbids, unique."""
    out, used = {}, {ABOUT.lower()}
    for name in tables:
        base = SHEET_FORBIDDEN.sub(" ", schemas.schema(name)["title"]).strip()[:31].strip() or name[:31]
        title, n = base, 2
        while title.lower() in used:
            suffix = f" ({n})"
            title, n = base[: 31 - len(suffix)].rstrip() + suffix, n + 1
        used.add(title.lower())
        out[name] = title
    return out


def _cell(sheet, value, type_: str | None, bold: bool = False, wrap: bool = False):
    """The one place a value becomes a typed cell: integers and numbers as numbers, dates as dates, the rest as
    text. Text that Excel would read as a formula («=…») becomes a cell of data_type «s»: it stays text.
    A plain value is returned as it is (openpyxl types it); a cell object only where one is needed."""
    written = _written_zeros(value, type_)
    value = _typed(value, type_)
    number_format = written or (DATE_FORMAT if isinstance(value, dt.date) else None)
    formula_like = isinstance(value, str) and value.startswith("=")
    if not (bold or wrap or number_format or formula_like):
        return value
    return _styled(sheet, value, number_format, bold, wrap)


def _styled(sheet, value, number_format: str | None, bold: bool, wrap: bool):
    """A cell object: text kept as text (never a formula), the number format, bold, wrapped."""
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = BOLD
    if wrap:
        cell.alignment = WRAP
    return cell


def _written_zeros(value, type_: str | None) -> str | None:
    """A number format keeping the decimals the CSV text has where Excel would drop them («4.0» → «0.0»)."""
    if type_ != "number" or not isinstance(value, str) or "." not in value or not value.endswith("0"):
        return None
    return "0." + "0" * len(value.rsplit(".", 1)[1])


def _typed(value, type_: str | None):
    if value == "" or value is None:
        return None
    try:
        if type_ == "integer":
            return int(value)
        if type_ == "number":
            return float(value)
        if type_ == "date":
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    return str(value)


def _finish(sheet, rows: list[list[str]]) -> None:
    """Frozen header row, an auto filter over the table and column widths fitted to the longest value (capped)."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    if rows and rows[0]:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{max(len(rows), 1)}"
    for col in range(len(rows[0]) if rows else 0):
        longest = max((len(r[col]) for r in rows if col < len(r)), default=0)
        sheet.column_dimensions[get_column_letter(col + 1)].width = min(max(longest + 2, 8), 60)


def _about(sheet, municipality: str | None, sheets: list[tuple[str, str, int]]) -> None:
    """The first sheet: what the workbook is and, per table, its sheet, file, rows and description."""
    intro = [
        "Открытые данные: " + (municipality if municipality is not None else "муниципалитет"),
        "Каждый лист — одна таблица пакета данных; первая строка — названия столбцов, в файлах CSV им соответствуют "
        "имена полей (см. словарь полей на странице «Открытые данные»).",
        "Пустая ячейка — значения нет; причина указана в соседнем столбце («не проводилось», «нет участников», "
        "«скрыто», «нет данных»). Доли записаны так, как в источнике: единица — в столбце «Единица».",
        "Точная копия данных — файлы CSV; эта книга собрана из них для удобства чтения.",
    ]
    for letter, width in zip("ABCD", (32, 26, 8, 90)):
        sheet.column_dimensions[letter].width = width
    for r, line in enumerate(intro, 1):
        sheet.append([_cell(sheet, line, "string", bold=(r == 1))])
    sheet.append([])
    sheet.append([_cell(sheet, h, "string", bold=True) for h in ["Лист", "Файл CSV", "Строк", "Что в таблице"]])
    for name, title, count in sheets:
        sheet.append(
            [
                _cell(sheet, title, "string"),
                _cell(sheet, f"{name}.csv", "string"),
                _cell(sheet, str(count), "integer"),
                _cell(sheet, schemas.schema(name)["description"], "string", wrap=True),
            ]
        )


def _isna(v) -> bool:
    import pandas as pd

    return bool(pd.isna(v))


def _normalise_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps «modified» with the current time
                created = re.search(rb"<dcterms:created[^>]*>([^<]*)<", data)
                if created:
                    stamp = created.group(1)
                    data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", lambda m, s=stamp: m.group(1) + s + m.group(2), data)
            dst.writestr(zipfile.ZipInfo(info.filename, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()
