"""Bounds on every input a project may hold, so that any file ends in a Russian message instead of a hang or a traceback.

Data files come from staff and are untrusted: before a file is parsed, its size is checked; while it is read, its
rows, columns and cells are counted; a workbook's zip members and sheet dimensions are checked before openpyxl opens
it; a descriptor's depth is checked after JSON has parsed it (JSON's own recursion is caught). The bounds are the
settings `max_*` of the `kachestvo` block (`config.OPTIONS`); each message names the file, the limit and the setting.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    file_mb: int = 50  # a CSV of results for 2,000 schools over ten years is about 20 MB
    rows: int = 300_000
    columns: int = 100  # the widest table has 16 fields
    # the csv module's own bound; an Excel cell holds at most 32,767, and every text field's maxLength is below that,
    # so a longer cell is refused per cell by the schema check and only an absurd one (an unclosed quote) stops here
    cell_chars: int = 131_072
    xlsx_mb: int = 100  # uncompressed size of a workbook's members (read-only mode still holds its shared strings)
    xlsx_cells: int = 5_000_000  # rows × columns of a sheet's declared dimension
    descriptor_depth: int = 20
    descriptor_mb: int = 1

    @classmethod
    def of(cls, descriptor) -> Limits:
        """The project's limits: the `max_*` settings that hold a valid value (defaults for absent or invalid ones;
        `config.problems` reports the invalid ones)."""
        if not isinstance(descriptor, dict):
            return cls()
        block = descriptor.get("kachestvo")
        block = block if isinstance(block, dict) else {}
        return cls(**{name: block[setting] for name, setting in SETTINGS.items() if valid(block.get(setting))})


# the least value of every limit setting (config's Option of each reads it)
MINIMUM = 1


def valid(value) -> bool:
    """Whether a limit setting's value is usable: a whole number (JSON true is not one) of at least MINIMUM."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= MINIMUM


# field of Limits → the setting of the `kachestvo` block that changes it
SETTINGS = {
    "file_mb": "max_file_mb",
    "rows": "max_rows",
    "columns": "max_columns",
    "cell_chars": "max_cell_chars",
    "xlsx_mb": "max_xlsx_mb",
    "xlsx_cells": "max_xlsx_cells",
    "descriptor_depth": "max_descriptor_depth",
}

HOW = "Если такой файл нужен, поднимите предел настройкой «{setting}» в блоке «kachestvo» файла datapackage.json."


class TooLarge(Exception):
    """An input beyond a limit; the message (Russian) names the file, what was found and the limit."""


def advice(field: str) -> str:
    """The sentence that names the setting raising a limit (empty for a fixed one)."""
    return HOW.format(setting=SETTINGS[field]) if field in SETTINGS else ""


def check_size(path: Path, rel: str, limit_mb: int, field: str = "file_mb") -> None:
    size = path.stat().st_size
    if size > limit_mb * MB:
        shown = f"{size / MB:.1f}".replace(".", ",")
        raise TooLarge(
            f"файл {rel} слишком велик: {shown}\u00a0МБ при пределе {limit_mb}\u00a0МБ. "
            f"Так много данных не бывает в одной таблице — проверьте, тот ли это файл. {advice(field)}"
        )


def check_csv_text(text: str, rel: str, limits: Limits) -> tuple[list[list[str]], list[int]]:
    """Rows, columns and cell sizes of a CSV text, counted while the csv module reads it (one pass, no frame).
    Returns what it read, so the text is parsed once: the records (header first) and the file line where each starts."""
    width, most = limits.columns, limits.rows
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[list[str]] = []
    starts: list[int] = []
    last = 0
    quoted = '"' in text  # only a quoted cell spans lines: without quotes, record i starts on line i + 1
    # a cell lies within one line unless it is quoted: when no line is longer than the limit, no cell is either
    fits = not quoted and max(map(len, text.split("\n"))) <= limits.cell_chars
    try:
        for number, record in enumerate(reader):
            if len(record) > width:
                where = "в заголовке" if number == 0 else f"в строке {reader.line_num}"
                raise TooLarge(too_wide(rel, where, len(record), width))
            if number > most:
                raise TooLarge(too_long(rel, limits.rows))
            if not fits:
                _check_cells(record, reader.line_num, rel, limits)
            records.append(record)
            if quoted:
                starts.append(last + 1)  # as csvfile.record_lines counts them
                last = reader.line_num
    except csv.Error as exc:  # e.g. a NUL byte in a cell
        raise TooLarge(f"файл {rel} не читается как CSV (строка {reader.line_num}): {exc}. Проверьте его формат.") from None
    return records, starts if quoted else list(range(1, len(records) + 1))


def _check_cells(record: list[str], line: int, rel: str, limits: Limits) -> None:
    longest = max(map(len, record), default=0)
    if longest > limits.cell_chars:
        raise TooLarge(too_big_a_cell(rel, line, longest, limits.cell_chars))


# the three messages of a text table beyond a limit, for validation and import alike
def too_long(rel: str, rows: int) -> str:
    return f"в файле {rel} больше {rows} строк данных — это предел. Разделите таблицу или проверьте, тот ли это файл. " + advice(
        "rows"
    )


def too_wide(rel: str, where: str, columns: int, limit: int) -> str:
    return (
        f"в файле {rel} {where} {columns} столбцов при пределе {limit}. Проверьте разделители (нужна запятая) и кавычки "
        f"вокруг текста с запятыми. {advice('columns')}"
    )


def too_big_a_cell(rel: str, line: int, longest: int, limit: int) -> str:
    return (
        f"в файле {rel} в строке {line} ячейка длиной {longest} символов при пределе {limit} (в ячейку Excel "
        f"помещается не больше 32767). Проверьте кавычки: незакрытая кавычка склеивает строки в одну ячейку. "
        + advice("cell_chars")
    )


def descriptor_depth(value, limit: int) -> int | None:
    """The nesting depth of a parsed JSON value if it exceeds `limit`, else None (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return depth
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return None


def check_xlsx(path: Path, rel: str, limits: Limits) -> None:
    """A workbook's declared sizes, before openpyxl reads it: total uncompressed size of its members (a zip bomb
    is small on disk) and each sheet's dimension (a sparse sheet declaring A1:XFD1048576 makes openpyxl allocate
    every cell). Malformed zips are refused here too."""
    check_size(path, rel, limits.file_mb)
    try:
        with zipfile.ZipFile(path) as book:
            members = book.infolist()
            total = sum(m.file_size for m in members)
            if total > limits.xlsx_mb * MB:
                raise TooLarge(
                    f"книга {rel} после распаковки занимает {total // MB}\u00a0МБ при пределе {limits.xlsx_mb}\u00a0МБ. "
                    f"Сохраните в отдельную книгу только нужный лист. {advice('xlsx_mb')}"
                )
            for m in members:
                if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml"):
                    with book.open(m) as fh:
                        head = fh.read(4096).decode("utf-8", "replace")
                    cells = _dimension_cells(head)
                    if cells is not None and cells > limits.xlsx_cells:
                        raise TooLarge(
                            f"лист книги {rel} ({m.filename.rsplit('/', 1)[-1]}) объявляет {cells} ячеек при пределе "
                            f"{limits.xlsx_cells}: в нём заполнена ячейка далеко за пределами таблицы. Удалите пустые "
                            f"строки и столбцы после таблицы или скопируйте таблицу в новую книгу. {advice('xlsx_cells')}"
                        )
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise TooLarge(
            f"файл {rel} не читается как книга .xlsx ({exc}). Откройте его в Excel и сохраните заново как «Книга Excel (*.xlsx)»."
        ) from None


DIMENSION = re.compile(r'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')


def _dimension_cells(head: str) -> int | None:
    m = DIMENSION.search(head)
    if not m or not m.group(3):
        return None
    cols = _column_number(m.group(3)) - _column_number(m.group(1) or "A") + 1
    rows = int(m.group(4)) - int(m.group(2) or "1") + 1
    return max(cols, 1) * max(rows, 1)


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - ord("A") + 1
    return n
