"""`kachestvo import`: a sheet (.xlsx or CSV/text from Excel) merged into the project's CSV by primary key, losing nothing.

Rows are matched by the table's primary key. Columns the sheet lacks keep their values; a value that means the same
(«4» for «4.0») keeps its text; rows that do not change stay byte-identical, so `git diff` shows only real edits.
Rows absent from the sheet are kept unless removal is asked for explicitly, and a removal of more than a few rows
or a tenth of the table needs a second «yes». Every mistake of a file is collected (duplicates, placeholders such as
«н/д», characters lost to a legacy encoding, a changed key) and reported at once, located by sheet, Excel row and the
sheet's own header text; `commit` writes every table of an import, validates, and restores them all unless no
mistake came from the file (all or nothing). A whole workbook imports in one call (`prepare_workbook`).
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

from kachestvo import csvfile, partial_date, rowkey, schemas, vocabulary
from kachestvo.limits import Limits, TooLarge, check_size, check_xlsx, too_big_a_cell, too_long, too_wide
from kachestvo.output.stage import register_resource
from kachestvo.paths import Project, shown
from kachestvo.protect import SUPPRESSED
from kachestvo.validate.catalogue import CATALOGUE


class ImportFailed(Exception):
    """An import that cannot be done; the message says why and what to do."""


@dataclass
class Sheet:
    """Cells of the source, header first: values, the row numbers a person sees, percent-formatted cells."""

    rows: list[list]
    numbers: list[int]  # the row number in Excel (or the record number of a CSV opened in Excel)
    percent: set[tuple[int, int]] = field(default_factory=set)  # (index in rows, column index)
    name: str | None = None  # the workbook sheet, None for a text file
    monthly: set[tuple[int, int]] = field(default_factory=set)  # date cells formatted without a day (a month)
    decimals: dict[tuple[int, int], int] = field(default_factory=dict)  # number cells shown with fixed decimals («0,0»)

    def filled(self) -> bool:
        """Whether any cell holds a value."""
        return any(any(c not in (None, "") for c in r) for r in self.rows)

    def filled_rows(self) -> list[int]:
        """Indexes of the rows with a cell holding more than spaces."""
        return [i for i, r in enumerate(self.rows) if any(c not in (None, "") and str(c).strip() for c in r)]


@dataclass(frozen=True)
class SourceProblem:
    """A mistake in the imported file itself, located as its author finds it."""

    code: str  # import-… codes of the problem catalogue
    where: str
    message: str
    severity: str = "error"

    def text(self) -> str:
        return f"{self.where}: {self.message}"


ROWKEY = "<row key>"  # the column of rowkey.HEADER, by a name no schema field can have

# A removal of more rows than this, or of more than a tenth of the table, needs --yes.
FEW = 3

# What people type into a cell to mean «no value»: never a value, always a hint.
PLACEHOLDERS = frozenset({"н/д", "нд", "н.д.", "н/a", "-", "–", "—", "--", "нет", "нет данных", "x", "х", "n/a", "na", "#н/д"})


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
    headers: dict[str, str] = field(default_factory=dict)  # field → the sheet's own header text
    problems: list[SourceProblem] = field(default_factory=list)  # mistakes found in the file itself
    removals: list[str] = field(default_factory=list)  # keys of the rows the import removes
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old key, new key) applied as updates
    records: int = 0  # data rows of the table before the import
    flagged: set[tuple[int, str | None]] = field(default_factory=set)  # (source row, field) of the file's mistakes
    output: str = ""  # the table's new text

    def cell(self, line: int | None, name: str | None) -> str | None:
        """Where a CSV line (and column) came from, as a person finds it in the source file."""
        if line not in self.origin:
            return None
        return self.at(self.origin[line], name)

    def at(self, row: int, name: str | None = None) -> str:
        """A source row (and column) as a person finds it: file, sheet, cell, Excel row and the sheet's header."""
        letter = self.letters.get(name or "")
        header = self.headers.get(name or "")
        column = f", столбец «{header}»" if header else ""
        if self.sheet is None:
            return f"{self.source}, строка {row}{column}"
        cell = f"ячейка {letter}{row} (строка {row}{column})" if letter else f"строка {row}"
        return f"{self.source}, лист «{self.sheet}», {cell}"

    def problem(self, code: str, row: int, name: str | None, message: str) -> None:
        """Record a mistake of the file; its severity is the problem catalogue's."""
        self.problems.append(SourceProblem(code, self.at(row, name), message, CATALOGUE[code].severity))
        self.flagged.add((row, name))

    def reported(self, line: int | None, name: str | None) -> bool:
        """Whether the file's own check already named this cell (validation would only repeat it less clearly)."""
        return (self.origin.get(line), name) in self.flagged

    def errors(self) -> list[SourceProblem]:
        return [p for p in self.problems if p.severity == "error"]

    def text(self) -> str:
        out = [
            f"{shown(self.target)}: добавлено строк — {self.added}, изменено — {self.changed}, без изменений — {self.unchanged}, "
            f"удалено — {self.removed}."
        ]
        if self.reformatted:
            out.append("Файл таблицы был сохранён не в том формате; он переписан в UTF-8 с запятыми, значения сохранены.")
        if self.renamed:
            out.append("Ключ строки изменён (по скрытому столбцу выгрузки): " + "; ".join(f"{a} → {b}" for a, b in self.renamed))
        if self.removals:
            out.append("Удалены строки: " + _listing(self.removals) + ".")
        if self.kept:
            out.append(
                f"Строк, которых нет в импортируемом файле, но есть в таблице: {self.kept}; они оставлены как были. "
                "Чтобы удалить их, повторите импорт с ключом --remove-missing."
            )
        return "\n".join(out)


def import_file(
    source: Path, table: str, project: Project, sheet: str | None = None, remove_missing: bool = False, yes: bool = False
) -> Summary:
    """Import one sheet or text file into one table and write it; a mistake in the file raises ImportFailed listing
    every one of them (nothing is written). Validation of the result is the caller's (see `commit`)."""
    summary = prepare(source, table, project, sheet, remove_missing)
    check_removals([summary], yes)
    if summary.errors():
        raise ImportFailed("в файле ошибки, ничего не записано:\n" + "\n".join(p.text() for p in summary.errors()))
    write(project, [summary])
    return summary


def prepare(source: Path, table: str, project: Project, sheet: str | None = None, remove_missing: bool = False) -> Summary:
    """What importing `source` into `table` would write (summary.output) and the file's mistakes; writes nothing."""
    if table not in schemas.table_names():
        raise ImportFailed(f"таблица «{table}» неизвестна. Допустимые: {', '.join(schemas.table_names())}.")
    if not source.is_file():
        raise ImportFailed(f"файл {shown(source)} не найден.")
    limits = _limits(project)
    try:
        if _is_workbook(source):
            book = _open_workbook(source, limits)
            if sheet is not None and sheet not in book.sheetnames:
                raise ImportFailed(f"в книге нет листа «{sheet}». Листы: {', '.join(book.sheetnames)}.")
            src = _read_sheet(book[sheet or _pick_sheet(book.sheetnames, table)], source.name, limits)
        else:
            check_size(source, source.name, limits.file_mb)
            src = _read_text(source)
            check_csv_text_rows(src, source.name, limits)
    except TooLarge as exc:
        raise ImportFailed(str(exc)) from None
    except ImportFailed as exc:
        raise ImportFailed(str(exc) if source.name in str(exc) else f"{source.name}: {exc}") from None
    return _prepare_sheet(source, table, project, src, remove_missing)


def prepare_workbook(source: Path, project: Project, remove_missing: bool = False) -> list[Summary]:
    """Every sheet of a workbook, each into the table it is named after (the site's data.xlsx names sheets by the
    tables' Russian titles); the sheet «О данных» of that workbook is skipped; a sheet named after no table is an
    error, so a workbook imports whole or not at all."""
    if not source.is_file():
        raise ImportFailed(f"файл {shown(source)} не найден.")
    if not _is_workbook(source):
        raise ImportFailed("без ключа --table импортируется только книга .xlsx; для файла CSV укажите --table ТАБЛИЦА.")
    limits = _limits(project)
    out, unknown, seen = [], [], {}
    for ws in _table_sheets(_open_workbook(source, limits)):
        table = _sheet_table(ws.title, seen)
        if table is None:
            unknown.append(ws.title)
            continue
        src = _read_sheet(ws, source.name, limits)
        if src.filled():
            out.append(_prepare_sheet(source, table, project, src, remove_missing))
    if unknown:
        raise ImportFailed(
            f"листы {', '.join(f'«{u}»' for u in unknown)} не названы ни по одной таблице: назовите лист именем "
            "таблицы (например results) или её русским названием. Ничего не записано."
        )
    if not out:
        raise ImportFailed("в книге нет ни одного заполненного листа таблицы.")
    return out


def _table_sheets(book) -> list:
    """The workbook's sheets but «О данных», the description the site's data.xlsx begins with."""
    from kachestvo.output.downloads import ABOUT

    return [ws for ws in book.worksheets if ws.title.strip().lower() != ABOUT.lower()]


def _sheet_table(title: str, seen: dict[str, str]) -> str | None:
    """The table a workbook sheet is named after (None when it names none or several); `seen` (table → sheet) learns
    it, and a second sheet of the same table is refused."""
    tables = _tables_named(title)
    if len(tables) != 1:
        return None
    if tables[0] in seen:
        raise ImportFailed(f"листы «{seen[tables[0]]}» и «{title}» относятся к одной таблице {tables[0]}: оставьте один.")
    seen[tables[0]] = title
    return tables[0]


def _prepare_sheet(source: Path, table: str, project: Project, src: Sheet, remove_missing: bool) -> Summary:
    target = project.data / f"{table}.csv"
    existing = _existing(target, table)  # read before writing: the source may be the target itself
    summary = Summary(target, table, source=source.name, sheet=src.name)
    summary.reformatted = bool(existing[1]) and all(r.raw is None for r in existing[1])
    summary.records = sum(1 for r in existing[1] if r.values)
    incoming = _incoming(table, src, summary)
    summary.output = _merge(table, existing, incoming, summary, remove_missing)
    return summary


def check_removals(summaries: list[Summary], yes: bool) -> None:
    """Refuse, unless confirmed, a removal of more than FEW rows or more than a tenth of a table; name them."""
    if yes:
        return
    heavy = [s for s in summaries if len(s.removals) > FEW or (s.removals and len(s.removals) * 10 > s.records)]
    if heavy:
        listed = "\n".join(
            f"  data/{s.table}.csv: удаляется {len(s.removals)} из {s.records}: {_listing(s.removals)}" for s in heavy
        )
        raise ImportFailed(
            "с ключом --remove-missing импорт удалил бы строки, которых нет в файле:\n"
            f"{listed}\n"
            f"Ничего не записано. Удаление больше {FEW} строк или больше десятой части таблицы нужно подтвердить: "
            "проверьте список и повторите команду с ключом --yes. Если файл содержит не все строки (например, "
            "отфильтрованный лист), импортируйте без --remove-missing."
        )


def _listing(keys: list[str], limit: int = 20) -> str:
    shown = "; ".join(keys[:limit])
    return shown + (f" и ещё {len(keys) - limit}" if len(keys) > limit else "")


def write(project: Project, summaries: list[Summary]) -> None:
    for s in summaries:
        s.target.parent.mkdir(parents=True, exist_ok=True)
        s.target.write_bytes(s.output.encode("utf-8"))
        register_resource(project, s.table)


@dataclass
class Outcome:
    """An import committed or refused: the mistakes (of the file and of the result) and whether anything was written."""

    written: bool
    mistakes: list[str]  # blocking: each names the source cell where known
    warnings: list[str]


def commit(project: Project, summaries: list[Summary], yes: bool = False) -> Outcome:
    """Write every table, validate the project, and keep the writes only when the file has no mistake and the
    result no error that was not there before; otherwise restore every file as it was (all or nothing). Errors
    the project already had are listed as warnings: they are not the import's and do not block it."""
    from kachestvo.validate import validate

    check_removals(summaries, yes)
    before = {_identity(p) for p in validate(project)[1]}
    snapshot = _snapshot(project)
    write(project, summaries)
    mistakes = [p.text() for s in summaries for p in s.errors()]
    warnings = [p.text() for s in summaries for p in s.problems if p.severity != "error"]
    _sort_problems(validate(project)[1], summaries, before, mistakes, warnings)
    if mistakes:
        _restore(project, snapshot)
    return Outcome(not mistakes, mistakes, warnings)


def _sort_problems(problems, summaries: list[Summary], before: set, mistakes: list[str], warnings: list[str]) -> None:
    """The result's problems, each located in the imported file where it came from: a new error is a mistake, the
    rest warnings; a cell the file's own check already named is not repeated."""
    by_file = {f"data/{s.table}.csv": s for s in summaries}
    for p in problems:
        s = by_file.get(p.file)
        if s is not None and s.reported(p.row, p.field):
            continue
        text = _problem_text(p.at_source(s.cell(p.row, p.field)) if s else p, s)
        (mistakes if p.severity == "error" and _identity(p) not in before else warnings).append(text)


def _identity(p) -> tuple:
    """A problem that stays the same problem when lines move: its file, row key (or line), column and code."""
    return (p.file, p.row_key or p.row, p.field, p.code)


def _problem_text(p, summary: Summary | None) -> str:
    from kachestvo.validate.problems import format_text

    text = "\n".join(format_text([p]).splitlines()[:-1])  # the last line counts the problems
    hint = placeholder_hint(summary.table, p.field, p.value) if summary and p.field else None
    return f"{text} {hint}" if hint else text


def _snapshot(project: Project) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in project.data.rglob("*") if p.is_file()}


def _restore(project: Project, snapshot: dict[Path, bytes]) -> None:
    for p in [p for p in project.data.rglob("*") if p.is_file() and p not in snapshot]:
        p.unlink()
    for p, data in snapshot.items():
        if not p.exists() or p.read_bytes() != data:
            p.write_bytes(data)


# ---- reading the source ---------------------------------------------------------------------------------------


def _is_workbook(source: Path) -> bool:
    return source.suffix.lower() in (".xlsx", ".xlsm")


def _limits(project: Project) -> Limits:
    try:
        return Limits.of(json.loads(project.datapackage.read_text(encoding="utf-8")))
    except (OSError, ValueError, RecursionError):
        return Limits()


def _open_workbook(source: Path, limits: Limits):
    """The workbook, after `limits.check_xlsx` has checked its declared sizes (a zip bomb or a sheet declaring a
    million rows is refused before openpyxl allocates it). Whatever a malformed workbook makes openpyxl raise is a
    message naming the file. (Not openpyxl's read-only mode: hidden columns and cell positions are needed.)"""
    from openpyxl import load_workbook

    try:
        check_xlsx(source, shown(source), limits)
    except TooLarge as exc:
        raise ImportFailed(str(exc)) from None
    try:
        return load_workbook(source, data_only=True)
    except Exception as exc:  # noqa: BLE001  (an untrusted file given to a third-party parser: any failure is the file's)
        raise ImportFailed(
            f"файл {shown(source)} не читается как книга .xlsx ({_short(exc)}). Откройте его в Excel и сохраните "
            f"заново как «Книга Excel (*.xlsx)»."
        ) from None


def _read_sheet(ws, name: str, limits: Limits) -> Sheet:
    src = Sheet([], [], name=ws.title)
    for cells in ws.iter_rows():
        if not cells:
            continue
        if len(src.rows) > limits.rows or len(cells) > limits.columns:
            raise ImportFailed(
                f"лист «{ws.title}» книги {name} больше предела: строк не более {limits.rows}, столбцов не "
                f"более {limits.columns}. Скопируйте в новую книгу только таблицу."
            )
        for c in cells:
            _note_cell(src, c, name, limits)
        src.rows.append(_row_values(cells))
        src.numbers.append(cells[0].row)
    return src


def _note_cell(src: Sheet, c, name: str, limits: Limits) -> None:
    """Mark a cell of the row being read as a percent or a month (by its Excel format); refuse an overlong text."""
    if "%" in (c.number_format or "") and isinstance(c.value, int | float):
        src.percent.add((len(src.rows), c.column - 1))
    else:
        _note_decimals(src, c)
    if isinstance(c.value, dt.datetime | dt.date) and "d" not in (c.number_format or "d").lower():
        src.monthly.add((len(src.rows), c.column - 1))  # «фев.20», «Февраль 2020»: Excel made a month a date
    if isinstance(c.value, str) and len(c.value) > limits.cell_chars:
        raise ImportFailed(f"в книге {name} ячейка {c.coordinate} длиннее {limits.cell_chars} символов — это предел.")


def _note_decimals(src: Sheet, c) -> None:
    """Mark a number cell shown with fixed decimals: «4,0» typed in a «0,0» cell is stored as the number 4."""
    m = FIXED.search(c.number_format or "") if isinstance(c.value, int | float) and not isinstance(c.value, bool) else None
    if m:
        src.decimals[(len(src.rows), c.column - 1)] = len(m.group(1))


def _row_values(cells) -> list:
    """A row's values by column, None where the sheet has no cell."""
    values = [None] * max(c.column for c in cells)
    for c in cells:
        values[c.column - 1] = c.value
    return values


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0][:160] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def check_csv_text_rows(src: Sheet, name: str, limits: Limits) -> None:
    if len(src.rows) > limits.rows + 1:
        raise TooLarge(too_long(name, limits.rows))
    for number, row in zip(src.numbers, src.rows):
        if len(row) > limits.columns:
            raise TooLarge(too_wide(name, f"в строке {number}", len(row), limits.columns))
        longest = max((len(v) for v in row if isinstance(v, str)), default=0)
        if longest > limits.cell_chars:
            raise TooLarge(too_big_a_cell(name, number, longest, limits.cell_chars))


def _pick_sheet(names: list[str], table: str) -> str:
    """The sheet named as the table (its name or Russian title, possibly cut to Excel's 31 characters)."""
    for name in names:
        if _tables_named(name) == [table]:
            return name
    if len(names) == 1:
        return names[0]
    title = schemas.schema(table)["title"]
    raise ImportFailed(
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
    codec = csvfile.utf16(raw)
    if codec:
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            raise ImportFailed(
                "файл в кодировке UTF-16 («Текст Юникод»), но обрывается посреди символа (нечётное число байтов). "
                "Сохраните его в Excel заново или как .xlsx."
            ) from None
    if raw.startswith(csvfile.BOM) and csvfile.utf16(raw[len(csvfile.BOM) :]):
        raise ImportFailed(
            "файл начинается с метки UTF-8, а дальше записан в UTF-16: такой файл склеен из двух кодировок и прочитался "
            "бы неверно. Сохраните таблицу в Excel как «CSV UTF-8» или как .xlsx."
        )
    raw = raw.removeprefix(csvfile.BOM)  # a BOM may precede Windows-1251 bytes too
    for encoding in ("utf-8", "cp1251"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed("кодировка файла не распознана: сохраните его в Excel как «CSV UTF-8» или как .xlsx.")


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
    return (_our_format(text, fields) if text is not None else None) or _other_format(target, table, header)


def _our_format(text: str, fields: list[str]) -> tuple[str, list[Record]] | None:
    """(header line, records, each with its exact text) of a CSV in our format; None when it is not."""
    pairs = csvfile.raw_records(text)
    if not pairs or pairs[0][0] != fields:
        return None
    return pairs[0][1], [Record(dict(zip(fields, r)) if r else {}, raw) for r, raw in pairs[1:]]


def _other_format(target: Path, table: str, header: str) -> tuple[str, list[Record]]:
    """Not our format (Excel's BOM, «;», Windows-1251, other column order): read leniently, write canonically."""
    sheet = _read_text(target)
    rows = [r for r in sheet.rows if any(c.strip() for c in r)]
    if not rows:
        return header, []
    columns = _columns(table, rows[0])
    records = [Record({columns[i]: c.strip() for i, c in enumerate(r) if i in columns}, None) for r in rows[1:]]
    return header, records


# ---- converting the source's cells ----------------------------------------------------------------------------


def _incoming(table: str, src: Sheet, summary: Summary) -> list[tuple[int, dict[str, str], dict[str, str] | None]]:
    """(source row, field → text, key at export) for each non-empty row below the header; a row repeating an
    earlier one's key and a placeholder («н/д») in a typed cell are recorded as the file's mistakes."""
    filled = src.filled_rows()
    if not filled:
        raise ImportFailed("файл пуст.")
    head = next((i for i in filled if _known_labels(table, src.rows[i])), filled[0])
    columns = _header(table, src.rows[head], summary)
    fields = {f["name"]: f for f in schemas.schema(table)["fields"]}
    out, seen = [], {}
    for i in (i for i in filled if i > head):
        row = src.numbers[i]
        raw = _by_field(src.rows[i], columns)
        cells = _converted(src, i, raw, columns, fields)
        _drop_placeholders(table, cells, row, summary)
        if not _repeated(table, cells, row, seen, summary):
            out.append((row, cells, rowkey.parse(table, raw.get(ROWKEY))))
    return out


def _by_field(values: list, columns: dict[int, str]) -> dict:
    """A source row's values by field (None for a column past the row's end)."""
    return {name: values[j] if j < len(values) else None for j, name in columns.items()}


def _converted(src: Sheet, i: int, raw: dict, columns: dict[int, str], fields: dict[str, dict]) -> dict[str, str]:
    """Row `i` of the source as the CSV's texts, field by field (a percent on the scale its unit names; a number with
    the decimals its cell shows)."""
    scale = vocabulary.SHARE if str(raw.get("unit") or "").strip() == vocabulary.SHARE else vocabulary.PERCENT
    return {
        name: _as_shown(
            _cell(raw[name], fields[name], (i, j) in src.percent, scale, (i, j) in src.monthly),
            src.decimals.get((i, j)) if fields[name]["type"] == "number" else None,
        )
        for j, name in columns.items()
        if name in fields
    }


# an Excel number format with fixed decimals: «0.0», «0.00», «# ##0.0» (the file always writes a point)
FIXED = re.compile(r"0\.(0+)(?![0#])")


def _as_shown(text: str, places: int | None) -> str:
    """A number's text with at least the decimals its cell shows («4» in a «0,0» cell → «4.0»): the precision the
    source was written with; never rounded (a longer value keeps its digits)."""
    if places is None:
        return text
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    return text if -number.as_tuple().exponent >= places else format(number.quantize(Decimal(1).scaleb(-places)), "f")


def _repeated(table: str, cells: dict[str, str], row: int, seen: dict[tuple, int], summary: Summary) -> bool:
    """Whether an earlier row of the file has this row's key (recorded as the file's mistake); `seen` learns it."""
    k = _key(table, cells)
    if k in seen:
        what = f"строка описывает то же, что строка {seen[k]} ({_key_text(table, cells)}): оставьте одну из них."
        summary.problem("import-duplicate", row, None, what)
        return True
    seen[k] = row
    return False


def _header(table: str, labels: list, summary: Summary) -> dict[int, str]:
    """Column index → field of the header row; the key's columns must be there. The summary learns each field's
    column letter and header as the file has them."""
    from openpyxl.utils import get_column_letter

    columns = _columns(table, labels)
    key = schemas.schema(table).get("primaryKey", [])
    missing_key = _missing_key(table, key, set(columns.values()))
    if missing_key:
        raise ImportFailed(
            f"нет обязательных столбцов: {', '.join(missing_key)}. По ним строки файла сопоставляются "
            f"со строками таблицы {table}.csv: добавьте эти столбцы."
        )
    summary.letters = {name: get_column_letter(i + 1) for i, name in columns.items()}
    summary.headers = {name: str(labels[i]).strip() for i, name in columns.items()}
    return columns


def _drop_placeholders(table: str, cells: dict[str, str], row: int, summary: Summary) -> None:
    """Empty each cell holding a placeholder («н/д») where a value is typed, and record it as a mistake."""
    for name in [n for n, v in cells.items() if is_placeholder(table, n, v)]:
        hint = placeholder_hint(table, name, cells[name])
        summary.problem("import-placeholder", row, name, f"«{cells[name]}» — не значение. {hint}")
        cells[name] = ""


def is_placeholder(table: str, name: str, value: str) -> bool:
    """A «no value» mark typed into a cell that only takes a number, a date, a listed value or an identifier."""
    if (value or "").strip().lower() not in PLACEHOLDERS:
        return False
    f = next(f for f in schemas.schema(table)["fields"] if f["name"] == name)
    constraints = f.get("constraints", {})
    if value in constraints.get("enum", []):
        return False  # «нет данных» is itself a reason in value_missing
    return f["type"] in ("number", "integer", "date") or "enum" in constraints or "pattern" in constraints


def placeholder_hint(table: str, name: str, value) -> str | None:
    """What to do instead of a placeholder: leave the cell empty and give the reason where the table has a column
    for it («value_missing»…); None when the value is no placeholder."""
    if value is None or str(value).strip().lower() not in PLACEHOLDERS:
        return None
    fields = {f["name"]: f for f in schemas.schema(table)["fields"]}
    reason = _reason_column(fields, name)
    if reason is None or reason == name:
        return "Если значения нет, оставьте ячейку пустой."
    allowed = fields[reason].get("constraints", {}).get("enum", [])
    choices = f": {', '.join(f'«{a}»' for a in allowed)}" if allowed else ""
    title = fields[reason]["title"]
    return f"Если значения нет, оставьте ячейку пустой и укажите причину в столбце «{title}» ({reason}){choices}."


def _reason_column(fields: dict[str, dict], name: str) -> str | None:
    """The column that says why `name` has no value («value_missing» for «value»), if the table has one."""
    return next((m for m in fields if m.endswith("_missing") and name.startswith(m[: -len("_missing")])), None)


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
        if text == rowkey.HEADER:
            columns[i] = ROWKEY
        elif text.lower() in by_label:
            columns[i] = by_label[text.lower()]
        elif text:
            unknown.append(text)
    if unknown:
        raise ImportFailed(
            f"неизвестные столбцы: {', '.join(unknown)}. Заголовок должен содержать имена столбцов "
            f"схемы ({', '.join(schemas.field_names(table))}) или их русские названия."
        )
    return columns


def _cell(value, f: dict | str, percent: bool = False, scale: str = vocabulary.PERCENT, monthly: bool = False) -> str:
    """A source cell as the CSV's text: numbers with a point, ISO dates, Excel's percent cells on the field's scale."""
    type_ = f if isinstance(f, str) else f["type"]
    partial = not isinstance(f, str) and f.get("constraints", {}).get("pattern") == partial_date.PATTERN
    if value is None:
        return ""
    if isinstance(value, bool | dt.date | int | float):  # dt.datetime is a dt.date
        return _native_cell(value, type_, percent, scale, partial and monthly)
    return _text_cell(str(value).strip(), type_, partial, scale)


def _native_cell(value: bool | dt.date | int | float, type_: str, percent: bool, scale: str, month: bool) -> str:
    """A value Excel stored typed: a truth value, a date (a month where the cell showed one), a number."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m" if month else "%Y-%m-%d")
    return _number_cell(value, type_, percent, scale)


def _text_cell(text: str, type_: str, partial: bool, scale: str) -> str:
    """A value typed as text, read as the field's type: a number, a date, or the text itself."""
    if type_ in ("number", "integer"):
        return _number_text(text, scale)
    if partial or type_ == "date":
        return _date_text(text, partial)
    return text


def _number_cell(value: int | float, type_: str, percent: bool, scale: str) -> str:
    """A number Excel stored: with a point; a percent cell on the field's scale; whole numbers without «.0»."""
    number = Decimal(repr(value))
    if percent and scale != vocabulary.SHARE:  # Excel keeps 85 % as 0.85; «процент» and scores run 0–100
        return _plain(number * 100)
    if number == number.to_integral_value() and type_ in ("integer", "string"):
        return str(int(number))
    return str(value)


def _number_text(text: str, scale: str) -> str:
    """A number typed as text («4,5», «85 %»): a point for the comma, no spaces, a percent on the field's scale."""
    compact = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    is_percent = compact.endswith("%")
    try:
        number = Decimal(compact.rstrip("%"))
    except InvalidOperation:
        return text
    if is_percent and scale == vocabulary.SHARE:
        number /= 100
    return _plain(number) if is_percent else compact


def _date_text(text: str, partial: bool) -> str:
    """A date typed as text: «02.2020» (a month, where a partial date is allowed) or «31.12.2020» in ISO form."""
    if partial and re.fullmatch(r"(0?[1-9]|1[0-2])\.(\d{4})", text):  # «02.2020»: a month
        month, year = text.split(".")
        return f"{year}-{int(month):02d}"
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
    """«school_id = alpha, assessment = ОГЭ, …»: the filled parts of a row's key."""
    return ", ".join(f"{n} = {values[n]}" for n in schemas.schema(table).get("primaryKey", []) if values.get(n))


# ---- merging and writing --------------------------------------------------------------------------------------


def _merge(table: str, existing: tuple[str, list[Record]], incoming, summary: Summary, remove_missing: bool) -> str:
    header, records = existing
    fields = schemas.field_names(table)
    newline = "\r\n" if header.endswith("\r\n") else "\n"
    by_key = {_key(table, cells): (row, cells) for row, cells, _ in incoming}
    merging = _Merging(table, summary, remove_missing, newline, by_key, _renames(table, records, incoming, by_key))
    for rec in records:
        merging.take(rec)
    out = merging.out
    tail = _trailing_blanks(out)  # new rows go above trailing blank lines
    header = _line_ended(header, out, newline)
    added = [(k, row, cells) for k, (row, cells) in by_key.items() if k not in merging.used]
    for _, row, cells in added:
        summary.added += 1
        out.append((_line(cells, fields, newline), row))
    _suggest_renames(table, added, merging.missing, summary, remove_missing)
    out += tail
    _record_origins(header, out, summary)
    return header + "".join(text for text, _ in out)


@dataclass
class _Merging:
    """The table's records merged one by one with the file's rows (by key, renames applied)."""

    table: str
    summary: Summary
    remove_missing: bool
    newline: str
    by_key: dict[tuple, tuple[int, dict[str, str]]]  # key → (source row, cells)
    renames: dict[tuple, tuple]
    out: list[tuple[str, int | None]] = field(default_factory=list)  # (record text, source row)
    used: set[tuple] = field(default_factory=set)  # keys of the file's rows merged into a record
    missing: list[Record] = field(default_factory=list)  # rows of the table absent from the file

    def take(self, rec: Record) -> None:
        """One record of the table: a blank line kept, the record merged with its row of the file, or missing."""
        if not rec.values:
            self.out.append((rec.raw or "", None))  # a blank line stays where it was
            return
        k = self.renames.get(_key(self.table, rec.values), _key(self.table, rec.values))
        if k not in self.by_key:
            self.missing.append(rec)
            if not self.remove_missing:
                self.out.append((rec.raw or _line(rec.values, schemas.field_names(self.table), self.newline), None))
            _count_missing(self.table, rec, self.summary, self.remove_missing)
            return
        self.used.add(k)
        row, cells = self.by_key[k]
        self.out.append((_merged_line(self.table, rec, cells, row, self.summary, self.newline), row))


def _trailing_blanks(out: list[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
    """The blank lines that end the table, taken off `out`."""
    tail = []
    while out and not out[-1][0].strip():
        tail.insert(0, out.pop())
    return tail


def _line_ended(header: str, out: list[tuple[str, int | None]], newline: str) -> str:
    """The header, with the last record of `out` (or, without records, the header) ending its line."""
    if out and not out[-1][0].endswith("\n"):
        out[-1] = (out[-1][0] + newline, out[-1][1])
    elif not out and not header.endswith("\n"):
        header += newline
    return header


def _count_missing(table: str, rec: Record, summary: Summary, removed: bool) -> None:
    """A row of the table that the file does not hold: removed (with --remove-missing) or kept as it was."""
    if removed:
        summary.removed += 1
        summary.removals.append(_key_text(table, rec.values))
    else:
        summary.kept += 1


def _merged_line(table: str, rec: Record, cells: dict[str, str], row: int, summary: Summary, newline: str) -> str:
    """The table's row with the file's values: its own text when nothing changed (byte for byte), else rewritten."""
    types = {f["name"]: f["type"] for f in schemas.schema(table)["fields"]}
    if _key(table, cells) != _key(table, rec.values):
        summary.renamed.append((_key_text(table, rec.values), _key_text(table, cells)))
    merged = dict(rec.values)
    for name, new in _published(cells, rec.values).items():
        old = rec.values.get(name, "")
        if _lost_to_legacy_encoding(old, new):
            summary.problem("import-legacy-encoding", row, name, _legacy_message(old, new))
        elif not _same(old, new, types[name]):
            merged[name] = new
    if merged == rec.values and rec.raw is not None:
        summary.unchanged += 1
        return rec.raw
    summary.changed += merged != rec.values
    summary.unchanged += merged == rec.values
    return _line(merged, schemas.field_names(table), newline)


def _record_origins(header: str, out: list[tuple[str, int | None]], summary: Summary) -> None:
    """CSV line of each written row → the source row it came from (problems found later name the file's row)."""
    line = 1 + csvfile.count_lines(header)
    for text, row in out:
        if row is not None:
            summary.origin[line] = row
        line += csvfile.count_lines(text)


def _renames(table: str, records: list[Record], incoming, by_key: dict) -> dict[tuple, tuple]:
    """Old key → new key, for rows of an exported workbook whose key a person changed: the hidden key column still
    holds the old key, the table has a row with it and none with the new one."""
    present = {_key(table, r.values) for r in records if r.values}
    out = {}
    for _, cells, exported in incoming:
        if exported is None:
            continue
        old, new = _key(table, exported), _key(table, cells)
        if old != new and old in present and new not in present and old not in by_key:
            out[old] = new
    return out


def _suggest_renames(table: str, added, missing: list[Record], summary: Summary, removed: bool) -> None:
    """A new row whose other cells equal those of a row that left the file: probably one row with a changed key."""
    key = set(schemas.schema(table).get("primaryKey", []))
    fate = "удалена (--remove-missing)" if removed else "осталась в таблице"
    for _, row, cells in added:
        like = _one_alike(cells, key, missing)
        if like is None:
            continue
        summary.problem(
            "import-rename",
            row,
            None,
            f"строка {_key_text(table, cells)} появилась, строка {_key_text(table, like.values)} исчезла из файла "
            f"и {fate} — переименование? Если ключ исправлен, проверьте ссылки на него в других таблицах; прежняя "
            "строка без --remove-missing остаётся.",
        )


def _one_alike(cells: dict[str, str], key: set[str], missing: list[Record]) -> Record | None:
    """The one row among `missing` whose cells equal every filled cell of `cells` outside the key (None if not one)."""
    rest = {n: v for n, v in cells.items() if n not in key and v}
    like = [r for r in missing if all(r.values.get(n, "") == v for n, v in rest.items())] if rest else []
    return like[0] if len(like) == 1 else None


# Characters Windows-1251 cannot hold; Excel's «CSV» in that encoding writes «?» instead of each.
def _lost_to_legacy_encoding(old: str, new: str) -> bool:
    """The new text is the old one with every character Windows-1251 cannot hold replaced by «?»."""
    if old == new or len(old) != len(new) or "?" not in new:
        return False
    diff = [(a, b) for a, b in zip(old, new) if a != b]
    return all(b == "?" and not _fits_cp1251(a) for a, b in diff)


def _fits_cp1251(char: str) -> bool:
    try:
        char.encode("cp1251")
    except UnicodeEncodeError:
        return False
    return True


def _legacy_message(old: str, new: str) -> str:
    lost = "".join(dict.fromkeys(a for a, b in zip(old, new) if a != b))  # in the order they appear
    return (
        f"в файле «{new}», в таблице «{old}»: символы {', '.join(f'«{c}»' for c in lost)} заменены на «?» — файл "
        "сохранён как CSV в кодировке Windows-1251, где их нет. Значение не изменено. Сохраните таблицу как "
        "«Книга Excel (*.xlsx)» (или «CSV UTF-8») и импортируйте снова."
    )


def _published(cells: dict[str, str], old: dict[str, str]) -> dict[str, str]:
    """The site's downloads hide small groups (value empty, reason «скрыто»); that is not an edit of the real value."""
    if cells.get("value_missing") == SUPPRESSED and not cells.get("value") and old.get("value"):
        return {k: v for k, v in cells.items() if k not in ("value", "value_missing")}
    return cells


def _line(values: dict[str, str], fields: list[str], newline: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerow([values.get(f, "") for f in fields])
    return buf.getvalue()
