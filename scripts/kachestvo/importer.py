"""`kachestvo import`: a table from Excel (.xlsx, or CSV saved by Russian Excel) into the project's CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from kachestvo import csvfile, schemas
from kachestvo.output.stage import register_resource
from kachestvo.paths import Project


class ImportError_(Exception):
    """An import that cannot be done; the message says why and what to do."""


def import_file(source: Path, table: str, project: Project, sheet: str | None = None) -> tuple[Path, int]:
    if table not in schemas.table_names():
        raise ImportError_(f"таблица «{table}» неизвестна. Допустимые: {', '.join(schemas.table_names())}.")
    if not source.is_file():
        raise ImportError_(f"файл {source} не найден.")
    rows = _read_xlsx(source, sheet) if source.suffix.lower() in (".xlsx", ".xlsm") else _read_csv(source)
    records = _convert(table, rows)
    target = project.data / f"{table}.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(schemas.field_names(table))
        writer.writerows(records)
    register_resource(project, table)
    return target, len(records)


def _read_xlsx(source: Path, sheet: str | None) -> list[list]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise ImportError_(
            f"файл {source} не читается как книга .xlsx ({exc}). Откройте его в Excel и сохраните "
            f"заново как «Книга Excel (*.xlsx)»."
        ) from exc
    if sheet is not None and sheet not in book.sheetnames:
        raise ImportError_(f"в книге нет листа «{sheet}». Листы: {', '.join(book.sheetnames)}.")
    ws = book[sheet] if sheet else book.worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _read_csv(source: Path) -> list[list]:
    raw = source.read_bytes().removeprefix(csvfile.BOM)  # a BOM may precede Windows-1251 bytes too
    for encoding in ("utf-8", "cp1251"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportError_("кодировка файла не распознана: сохраните его как «CSV UTF-8» или .xlsx.")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ("\t" if "\t" in first else ",")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _convert(table: str, rows: list[list]) -> list[list[str]]:
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    if not rows:
        raise ImportError_("файл пуст.")
    columns = _columns(table, rows[0])
    fields = {f["name"]: f for f in schemas.schema(table)["fields"]}
    out = []
    for r in rows[1:]:
        cells = {name: r[i] if i < len(r) else None for i, name in columns.items()}
        out.append([_cell(cells.get(name), fields[name]["type"]) for name in schemas.field_names(table)])
    return out


def _columns(table: str, header: list) -> dict[int, str]:
    """Header cells by field name or by Russian title → field name."""
    by_label = {}
    for f in schemas.schema(table)["fields"]:
        by_label[f["name"].lower()] = f["name"]
        by_label[f["title"].lower()] = f["name"]
    columns, unknown = {}, []
    for i, label in enumerate(header):
        text = str(label or "").strip().lstrip(csvfile.BOM.decode("utf-8"))
        if text.lower() in by_label:
            columns[i] = by_label[text.lower()]
        elif text:
            unknown.append(text)
    if unknown:
        raise ImportError_(
            f"неизвестные столбцы: {', '.join(unknown)}. Заголовок должен содержать имена столбцов "
            f"схемы ({', '.join(schemas.field_names(table))}) или их русские названия."
        )
    missing = [f for f in schemas.field_names(table) if f not in columns.values()]
    required = [f["name"] for f in schemas.schema(table)["fields"] if f.get("constraints", {}).get("required")]
    if set(missing) & set(required):
        raise ImportError_(f"нет обязательных столбцов: {', '.join(sorted(set(missing) & set(required)))}.")
    return columns


def _cell(value, type_: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer() and type_ in ("integer", "string"):
        return str(int(value))
    text = str(value).strip().replace("\u00a0", " ")
    if type_ == "number" and re.fullmatch(r"-?[\d ]+,\d+", text):
        return text.replace(" ", "").replace(",", ".")
    if type_ == "date":
        m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
        if m:
            return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    return text
