"""Output stage, downloads: the package's CSVs (after protection), its schemas and descriptor, and one XLSX workbook."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

from kachestvo import schemas
from kachestvo.dataset import Dataset

DIR = "otkrytye-dannye/files"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def files(ds: Dataset) -> dict[str, bytes]:
    """Asset path → bytes, from the protected dataset: each CSV is the text the table was read from."""
    out = {}
    names = ds.listed
    for name in names:
        out[f"{DIR}/{name}.csv"] = ds.texts[name].encode("utf-8")
        out[f"{DIR}/schemas/{name}.json"] = schemas.canonical_text(name).encode("utf-8")
    descriptor = dict(ds.descriptor, resources=[r for r in ds.descriptor.get("resources", []) if r.get("name") in names])
    out[f"{DIR}/datapackage.json"] = (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    out[f"{DIR}/data.xlsx"] = _xlsx({n: out[f"{DIR}/{n}.csv"] for n in names}, ds)
    return out


ABOUT = "О данных"
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
DATE_FORMAT = "DD.MM.YYYY"


def _xlsx(csvs: dict[str, bytes], ds: Dataset) -> bytes:
    """A workbook for people: a first sheet explaining the tables, then one sheet per table named by its Russian
    title, Russian column titles, real numbers and dates, frozen header, filters and fitted widths;
    byte-identical for the same data (fixed zip times and properties)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    about = book.active
    about.title = ABOUT
    names = sheet_names(list(csvs))
    sheets = []
    for name, data in csvs.items():
        fields = schemas.schema(name)["fields"]
        types = {f["name"]: f["type"] for f in fields}
        titles = {f["name"]: f.get("title") or f["name"] for f in fields}
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        sheet = book.create_sheet(title=names[name])
        header = rows[0]
        for col, h in enumerate(header, 1):
            _write(sheet.cell(1, col), titles.get(h, h), "string").font = Font(bold=True)
        for r, row in enumerate(rows[1:], 2):
            for col, (h, v) in enumerate(zip(header, row), 1):
                _write(sheet.cell(r, col), v, types.get(h))
        _finish(sheet, [[titles.get(h, h) for h in header]] + rows[1:])
        sheets.append((name, names[name], len(rows) - 1))
    _about(about, ds, sheets)
    as_of = ds["municipality"]["as_of"].iloc[0] if ds.has("municipality") else None
    stamp = as_of.to_pydatetime() if as_of is not None and not _isna(as_of) else None
    if stamp is not None:
        book.properties.created = book.properties.modified = stamp
    book.properties.creator = "kachestvo"
    raw = io.BytesIO()
    book.save(raw)
    return _normalise_zip(raw.getvalue())


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


def _write(cell, value, type_: str | None):
    """The one place a value becomes a typed cell: integers and numbers as numbers, dates as dates, the rest as
    text (data_type «s»: a value starting with «=» stays text, never a formula)."""
    import datetime as dt

    if value == "" or value is None:
        cell.value = None
        return cell
    try:
        if type_ == "integer":
            cell.value = int(value)
            return cell
        if type_ == "number":
            cell.value = float(value)
            return cell
        if type_ == "date":
            cell.value = dt.date.fromisoformat(value)
            cell.number_format = DATE_FORMAT
            return cell
    except ValueError:
        pass
    cell.value = str(value)
    cell.data_type = "s"
    return cell


def _finish(sheet, rows: list[list[str]]) -> None:
    """Frozen header row, an auto filter over the table and column widths fitted to the longest value (capped)."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    if rows and rows[0]:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{max(len(rows), 1)}"
    for col in range(len(rows[0]) if rows else 0):
        longest = max((len(r[col]) for r in rows if col < len(r)), default=0)
        sheet.column_dimensions[get_column_letter(col + 1)].width = min(max(longest + 2, 8), 60)


def _about(sheet, ds: Dataset, sheets: list[tuple[str, str, int]]) -> None:
    """The first sheet: what the workbook is and, per table, its sheet, file, rows and description."""
    from openpyxl.styles import Alignment, Font

    m = ds["municipality"].iloc[0] if ds.has("municipality") else None
    intro = [
        "Открытые данные: " + (str(m["name"]) if m is not None else "муниципалитет"),
        "Каждый лист — одна таблица пакета данных; первая строка — названия столбцов, в файлах CSV им соответствуют "
        "имена полей (см. словарь полей на странице «Открытые данные»).",
        "Пустая ячейка — значения нет; причина указана в соседнем столбце («не проводилось», «нет участников», "
        "«скрыто», «нет данных»). Доли записаны так, как в источнике: единица — в столбце «Единица».",
        "Точная копия данных — файлы CSV; эта книга собрана из них для удобства чтения.",
    ]
    for r, line in enumerate(intro, 1):
        _write(sheet.cell(r, 1), line, "string").font = Font(bold=(r == 1))
    top = len(intro) + 2
    header = ["Лист", "Файл CSV", "Строк", "Что в таблице"]
    for col, h in enumerate(header, 1):
        _write(sheet.cell(top, col), h, "string").font = Font(bold=True)
    for r, (name, title, count) in enumerate(sheets, top + 1):
        _write(sheet.cell(r, 1), title, "string")
        _write(sheet.cell(r, 2), f"{name}.csv", "string")
        _write(sheet.cell(r, 3), str(count), "integer")
        _write(sheet.cell(r, 4), schemas.schema(name)["description"], "string").alignment = Alignment(wrap_text=True)
    for letter, width in zip("ABCD", (32, 26, 8, 90)):
        sheet.column_dimensions[letter].width = width


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
