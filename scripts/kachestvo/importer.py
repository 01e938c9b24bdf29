"""`kachestvo import`: a sheet (.xlsx or CSV/text from Excel) merged into the project's CSV by primary key, losing nothing.

Rows are matched by the table's primary key. Columns the sheet lacks keep their values; a value that means the same
(«4» for «4.0») keeps its text; rows that do not change stay byte-identical, so `git diff` shows only real edits.
Rows absent from the sheet are kept unless removal is asked for explicitly.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kachestvo import csvfile, schemas
from kachestvo.limits import Limits, TooLarge, check_size, check_xlsx
from kachestvo.output.stage import register_resource
from kachestvo.paths import Project
from kachestvo.protect import SUPPRESSED


class ImportError_(Exception):
    """An import that cannot be done; the message says why and what to do."""


@dataclass
class Sheet:
    """Cells of the source, header first: values, the row numbers a person sees, percent-formatted cells."""

    rows: list[list]
    numbers: list[int]  # the row number in Excel (or the record number of a CSV opened in Excel)
    percent: set[tuple[int, int]] = field(default_factory=set)  # (index in rows, column index)
    name: str | None = None  # the workbook sheet, None for a text file


@dataclass
class Summary:
    """What an import did, and where each written row came from (for problems located in the source)."""

    target: Path
    table: str
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: int = 0  # rows absent from the sheet, left as they were
    reformatted: bool = False  # the table was not in our CSV format (Excel's BOM, «;», Windows-1251) and is rewritten
    source: str = ""
    sheet: str | None = None
    origin: dict[int, int] = field(default_factory=dict)  # CSV line → source row
    letters: dict[str, str] = field(default_factory=dict)  # field → source column letter

    def cell(self, line: int | None, name: str | None) -> str | None:
        """Where a CSV line (and column) came from, as a person finds it in the source file."""
        if line not in self.origin:
            return None
        row = self.origin[line]
        if self.sheet is None:
            return f"{self.source}, строка {row}"
        letter = self.letters.get(name or "")
        return f"{self.source}, лист «{self.sheet}», " + (f"ячейка {letter}{row}" if letter else f"строка {row}")

    def text(self) -> str:
        rel = self.target.parent.name + "/" + self.target.name
        out = [
            f"{rel}: добавлено строк — {self.added}, изменено — {self.changed}, без изменений — {self.unchanged}, "
            f"удалено — {self.removed}."
        ]
        if self.reformatted:
            out.append("Файл таблицы был сохранён не в том формате; он переписан в UTF-8 с запятыми, значения сохранены.")
        if self.kept:
            out.append(
                f"Строк, которых нет в импортируемом файле, но есть в таблице: {self.kept}; они оставлены как были. "
                "Чтобы удалить их, повторите импорт с ключом --remove-missing."
            )
        return "\n".join(out)


def import_file(source: Path, table: str, project: Project, sheet: str | None = None, remove_missing: bool = False) -> Summary:
    if table not in schemas.table_names():
        raise ImportError_(f"таблица «{table}» неизвестна. Допустимые: {', '.join(schemas.table_names())}.")
    if not source.is_file():
        raise ImportError_(f"файл {source} не найден.")
    limits = _limits(project)
    try:
        if source.suffix.lower() in (".xlsx", ".xlsm"):
            check_xlsx(source, str(source), limits)
            src = _read_xlsx(source, table, sheet, limits)
        else:
            check_size(source, source.name, limits.file_mb)
            src = _read_text(source)
            check_csv_text_rows(src, source.name, limits)
    except TooLarge as exc:
        raise ImportError_(str(exc)) from None
    except ImportError_ as exc:
        raise ImportError_(str(exc) if source.name in str(exc) else f"{source.name}: {exc}") from None
    target = project.data / f"{table}.csv"
    existing = _existing(target, table)  # read before writing: the source may be the target itself
    summary = Summary(target, table, source=source.name, sheet=src.name)
    summary.reformatted = bool(existing[1]) and all(r.raw is None for r in existing[1])
    incoming = _incoming(table, src, summary)
    text = _merge(table, existing, incoming, summary, remove_missing)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8"))
    register_resource(project, table)
    return summary


# ---- reading the source ---------------------------------------------------------------------------------------


def _limits(project: Project) -> Limits:
    try:
        return Limits.of(json.loads(project.datapackage.read_text(encoding="utf-8")))
    except (OSError, ValueError, RecursionError):
        return Limits()


def _read_xlsx(source: Path, table: str, sheet: str | None, limits: Limits | None = None) -> Sheet:
    """The sheet's cells, read in openpyxl's read-only mode (a row at a time) after `limits.check_xlsx` has checked
    the workbook's declared sizes. Whatever a malformed workbook makes openpyxl raise is a message naming the file."""
    from openpyxl import load_workbook

    limits = limits or Limits()
    advice = "Откройте его в Excel и сохраните заново как «Книга Excel (*.xlsx)»."
    try:
        book = load_workbook(source, data_only=True, read_only=True)
    except Exception as exc:  # noqa: BLE001  (an untrusted file given to a third-party parser: any failure is the file's)
        raise ImportError_(f"файл {source} не читается как книга .xlsx ({_short(exc)}). {advice}") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ImportError_(f"в книге нет листа «{sheet}». Листы: {', '.join(book.sheetnames)}.")
        ws = book[sheet or _pick_sheet(book.sheetnames, table)]
        rows, numbers, percent = [], [], set()
        for number, cells in enumerate(ws.iter_rows(), 1):
            if len(rows) > limits.rows or len(cells) > limits.columns:
                raise ImportError_(
                    f"лист «{ws.title}» книги {source.name} больше предела: строк не более {limits.rows}, столбцов не "
                    f"более {limits.columns}. Скопируйте в новую книгу только таблицу."
                )
            if not cells:
                continue
            for col, c in enumerate(cells):
                if isinstance(c.value, int | float) and "%" in (c.number_format or ""):
                    percent.add((len(rows), col))
                if isinstance(c.value, str) and len(c.value) > limits.cell_chars:
                    raise ImportError_(
                        f"в книге {source.name} ячейка строки {number} длиннее {limits.cell_chars} символов — это предел."
                    )
            rows.append([c.value for c in cells])
            numbers.append(number)
    except ImportError_:
        raise
    except Exception as exc:  # noqa: BLE001  (malformed XML inside the workbook)
        raise ImportError_(f"файл {source} не читается как книга .xlsx ({_short(exc)}). {advice}") from None
    finally:
        book.close()
    return Sheet(rows, numbers, percent, ws.title)


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0][:160] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def check_csv_text_rows(src: Sheet, name: str, limits: Limits) -> None:
    if len(src.rows) > limits.rows + 1:
        raise TooLarge(f"в файле {name} больше {limits.rows} строк — это предел. Разделите таблицу.")
    for number, row in zip(src.numbers, src.rows):
        if len(row) > limits.columns:
            raise TooLarge(f"в файле {name} в строке {number} {len(row)} столбцов при пределе {limits.columns}.")
        if any(isinstance(v, str) and len(v) > limits.cell_chars for v in row):
            raise TooLarge(f"в файле {name} в строке {number} ячейка длиннее {limits.cell_chars} символов — это предел.")


def _pick_sheet(names: list[str], table: str) -> str:
    """The sheet named as the table (its name or Russian title, possibly cut to Excel's 31 characters)."""
    for name in names:
        if _tables_named(name) == [table]:
            return name
    if len(names) == 1:
        return names[0]
    title = schemas.schema(table)["title"]
    raise ImportError_(
        f"в книге несколько листов ({', '.join(names)}), и ни один не называется «{table}» или «{title}». "
        "Укажите лист ключом --sheet ИМЯ_ЛИСТА."
    )


def _tables_named(sheet: str) -> list[str]:
    label = sheet.strip().lower()
    exact = [t for t in schemas.table_names() if label in (t.lower(), schemas.schema(t)["title"].lower())]
    if exact:
        return exact
    end = "" if len(label) == 31 else r"(\s|$)"  # Excel cuts sheet names to 31 characters, mid-word too
    return [t for t in schemas.table_names() if re.match(re.escape(label) + end, schemas.schema(t)["title"].lower())]


def _read_text(source: Path) -> Sheet:
    text = _decode(source.read_bytes())
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return Sheet(rows, list(range(1, len(rows) + 1)))


def _decode(raw: bytes) -> str:
    """Text saved by Excel: «CSV UTF-8» (with BOM), CSV in Windows-1251, «Текст Юникод» (UTF-16, tabs)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[1:200:2].count(0) > 20:  # UTF-16, with its mark or without
        try:
            return raw.decode("utf-16" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-16-le")
        except UnicodeDecodeError:
            raise ImportError_(
                "файл в кодировке UTF-16 («Текст Юникод»), но обрывается посреди символа (нечётное число байтов). "
                "Сохраните его в Excel заново или как .xlsx."
            ) from None
    if raw.startswith(csvfile.BOM) and (raw[3:5] in (b"\xff\xfe", b"\xfe\xff") or raw[4:200:2].count(0) > 20):
        raise ImportError_(
            "файл начинается с метки UTF-8, а дальше записан в UTF-16: такой файл склеен из двух кодировок и прочитался "
            "бы неверно. Сохраните таблицу в Excel как «CSV UTF-8» или как .xlsx."
        )
    raw = raw.removeprefix(csvfile.BOM)  # a BOM may precede Windows-1251 bytes too
    for encoding in ("utf-8", "cp1251"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportError_("кодировка файла не распознана: сохраните его в Excel как «CSV UTF-8» или как .xlsx.")


# ---- the project's current table ------------------------------------------------------------------------------


@dataclass
class Record:
    values: dict[str, str]  # field → text as in the file ({} for a blank line)
    raw: str | None  # the record's exact text, when it may be written back unchanged


def _existing(target: Path, table: str) -> tuple[str, list[Record]]:
    """(header line, records) of the current CSV; records of a file in the wrong format are re-written."""
    fields = schemas.field_names(table)
    header = ",".join(fields) + "\n"
    if not target.exists():
        return header, []
    text, _ = csvfile.read_text(target)
    if text is not None:
        pairs = csvfile.raw_records(text)
        if pairs and pairs[0][0] == fields:
            records = [Record(dict(zip(fields, r)) if r else {}, raw) for r, raw in pairs[1:]]
            return pairs[0][1], records
    # Not our format (Excel's BOM, «;», Windows-1251, other column order): read leniently, write canonically.
    sheet = _read_text(target)
    rows = [r for r in sheet.rows if any(c.strip() for c in r)]
    if not rows:
        return header, []
    columns = _columns(table, rows[0])
    records = [Record({columns[i]: c.strip() for i, c in enumerate(r) if i in columns}, None) for r in rows[1:]]
    return header, records


# ---- converting the source's cells ----------------------------------------------------------------------------


def _incoming(table: str, src: Sheet, summary: Summary) -> list[tuple[int, dict[str, str]]]:
    """(source row, field → text) for each non-empty row below the header."""
    from openpyxl.utils import get_column_letter

    filled = [i for i, r in enumerate(src.rows) if any(c not in (None, "") and str(c).strip() for c in r)]
    if not filled:
        raise ImportError_("файл пуст.")
    head = next((i for i in filled if _known_labels(table, src.rows[i])), filled[0])
    columns = _columns(table, src.rows[head])
    key = schemas.schema(table).get("primaryKey", [])
    missing_key = _missing_key(table, key, set(columns.values()))
    if missing_key:
        raise ImportError_(
            f"нет обязательных столбцов: {', '.join(missing_key)}. По ним строки файла сопоставляются "
            f"со строками таблицы {table}.csv: добавьте эти столбцы."
        )
    summary.letters = {name: get_column_letter(i + 1) for i, name in columns.items()}
    fields = {f["name"]: f for f in schemas.schema(table)["fields"]}
    out, seen = [], {}
    for i in (i for i in filled if i > head):
        r = src.rows[i]
        raw = {name: r[j] if j < len(r) else None for j, name in columns.items()}
        scale = "доля" if str(raw.get("unit") or "").strip() == "доля" else "процент"
        cells = {name: _cell(v, fields[name], (i, j) in src.percent, scale) for j, name in columns.items() for v in [raw[name]]}
        k = _key(table, cells)
        if k in seen:
            raise ImportError_(
                f"строки {seen[k]} и {src.numbers[i]} файла описывают одно и то же ({_key_text(table, cells)}). "
                "Оставьте одну из них."
            )
        seen[k] = src.numbers[i]
        out.append((src.numbers[i], cells))
    return out


def _missing_key(table: str, key: list[str], present: set[str]) -> list[str]:
    """Key columns the sheet must have: the required ones, and at least one of those that may be empty (results
    name a school or a municipality); an absent optional key column reads as empty."""
    required = {f["name"] for f in schemas.schema(table)["fields"] if f.get("constraints", {}).get("required")}
    missing = [f for f in key if f in required and f not in present]
    optional = [f for f in key if f not in required]
    if optional and not present & set(optional):
        missing += optional
    return missing


def _known_labels(table: str, header: list) -> bool:
    return any(str(c or "").strip().lower() in _labels(table) for c in header)


def _labels(table: str) -> dict[str, str]:
    by_label = {}
    for f in schemas.schema(table)["fields"]:
        by_label[f["name"].lower()] = f["name"]
        by_label[f["title"].lower()] = f["name"]
    return by_label


def _columns(table: str, header: list) -> dict[int, str]:
    """Header cells by field name or by Russian title → field name."""
    by_label = _labels(table)
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
    return columns


def _cell(value, f: dict | str, percent: bool = False, scale: str = "процент") -> str:
    """A source cell as the CSV's text: numbers with a point, ISO dates, Excel's percent cells on the field's scale."""
    type_ = f if isinstance(f, str) else f["type"]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, int | float):
        number = Decimal(repr(value))
        if percent and scale != "доля":  # Excel keeps 85 % as 0.85; «процент» and scores run 0–100
            return _plain(number * 100)
        if number == number.to_integral_value() and type_ in ("integer", "string"):
            return str(int(number))
        return str(value)
    text = str(value).strip()
    if type_ in ("number", "integer"):
        compact = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
        is_percent = compact.endswith("%")
        try:
            number = Decimal(compact.rstrip("%"))
        except InvalidOperation:
            return text
        if is_percent and scale == "доля":
            number /= 100
        return _plain(number) if is_percent else compact
    if type_ == "date":
        m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
        if m:
            try:  # an impossible date (31.02) stays as typed, so validation shows it as the person wrote it
                return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
            except ValueError:
                return text
    return text


def _plain(number: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 85.00 → «85», 0.50 → «0.5»."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _same(old: str, new: str, type_: str) -> bool:
    """The two texts mean the same value («4.0» and «4»), so the file's text is kept."""
    if old.strip() == new.strip():
        return True
    if type_ in ("number", "integer") and old.strip() and new.strip():
        try:
            return Decimal(old) == Decimal(new)
        except InvalidOperation:
            return False
    return False


def _key(table: str, values: dict[str, str]) -> tuple:
    types = {f["name"]: f["type"] for f in schemas.schema(table)["fields"]}
    out = []
    for name in schemas.schema(table).get("primaryKey", []):
        text = (values.get(name) or "").strip()
        if types[name] in ("number", "integer"):
            try:
                text = _plain(Decimal(text))
            except InvalidOperation:
                pass
        out.append(text)
    return tuple(out)


def _key_text(table: str, values: dict[str, str]) -> str:
    return ", ".join(f"{n} = {values.get(n, '')}" for n in schemas.schema(table).get("primaryKey", []))


# ---- merging and writing --------------------------------------------------------------------------------------


def _merge(table: str, existing: tuple[str, list[Record]], incoming, summary: Summary, remove_missing: bool) -> str:
    header, records = existing
    fields = schemas.field_names(table)
    types = {f["name"]: f["type"] for f in schemas.schema(table)["fields"]}
    newline = "\r\n" if header.endswith("\r\n") else "\n"
    by_key = {_key(table, cells): (row, cells) for row, cells in incoming}
    used = set()
    out: list[tuple[str, int | None]] = []  # (record text, source row)
    for rec in records:
        if not rec.values:
            out.append((rec.raw or "", None))  # a blank line stays where it was
            continue
        k = _key(table, rec.values)
        if k not in by_key:
            if remove_missing:
                summary.removed += 1
                continue
            summary.kept += 1
            out.append((rec.raw or _line(rec.values, fields, newline), None))
            continue
        used.add(k)
        row, cells = by_key[k]
        merged = dict(rec.values)
        for name, new in _published(cells, rec.values).items():
            if not _same(rec.values.get(name, ""), new, types[name]):
                merged[name] = new
        if merged == rec.values and rec.raw is not None:
            summary.unchanged += 1
            out.append((rec.raw, row))
        else:
            summary.changed += merged != rec.values
            summary.unchanged += merged == rec.values
            out.append((_line(merged, fields, newline), row))
    tail = []
    while out and not out[-1][0].strip():  # new rows go above trailing blank lines
        tail.insert(0, out.pop())
    if out and not out[-1][0].endswith("\n"):
        out[-1] = (out[-1][0] + newline, out[-1][1])
    elif not out and not header.endswith("\n"):
        header += newline
    for k, (row, cells) in by_key.items():
        if k not in used:
            summary.added += 1
            out.append((_line(cells, fields, newline), row))
    out += tail
    line = 1 + csvfile.count_lines(header)
    for text, row in out:
        if row is not None:
            summary.origin[line] = row
        line += csvfile.count_lines(text)
    return header + "".join(text for text, _ in out)


def _published(cells: dict[str, str], old: dict[str, str]) -> dict[str, str]:
    """The site's downloads hide small groups (value empty, reason «скрыто»); that is not an edit of the real value."""
    if cells.get("value_missing") == SUPPRESSED and not cells.get("value") and old.get("value"):
        return {k: v for k, v in cells.items() if k not in ("value", "value_missing")}
    return cells


def _line(values: dict[str, str], fields: list[str], newline: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerow([values.get(f, "") for f in fields])
    return buf.getvalue()
