"""Reading a data CSV as text: format checks (Excel exports) and CSV record → file line numbers."""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from pathlib import Path

BOM = b"\xef\xbb\xbf"
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
# The csv module's own bound (131,072 characters) would end in a traceback; cells are bounded by `limits` instead,
# with a message naming the file and the setting.
csv.field_size_limit(2**31 - 1)


def how_to_convert(path: Path) -> str:
    """Advice that works: `kachestvo import` reads Excel's BOM, «;», Windows-1251 and UTF-16 and rewrites the file."""
    rel = f"{path.parent.name}/{path.name}"
    return (
        f"Преобразуйте файл командой «kachestvo import {rel} --table {path.stem}»: она перепишет его в UTF-8 "
        "с запятыми, ничего не потеряв (в Excel сохраняйте таблицу как .xlsx и импортируйте так же)."
    )


def read_text(path: Path) -> tuple[str | None, list[tuple[str, str]]]:
    """The file's text, or None with (code, message) pairs saying why it cannot be read as our CSV."""
    raw = path.read_bytes()
    issues = []
    advice = how_to_convert(path)
    if raw.startswith(BOM):
        issues.append(("excel-bom", "файл начинается с метки BOM (так сохраняет Excel). " + advice))
        raw = raw[len(BOM) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        if raw.startswith(UTF16_MARKS):
            hint = "это UTF-16, «Текст Юникод» из Excel"
        else:
            hint = "похоже на кодировку Windows-1251 из Excel" if looks_cp1251(raw) else "кодировка не UTF-8"
        return None, issues + [("encoding-error", f"файл не в кодировке UTF-8 ({hint}). " + advice)]
    header = text.split("\n", 1)[0]
    if ";" in header and "," not in header:
        issues.append(("delimiter", "столбцы разделены точкой с запятой «;», а нужна запятая. " + advice))
    return (None if issues else text), issues


def utf16(raw: bytes) -> str | None:
    """The codec of Excel's «Текст Юникод» (UTF-16) if `raw` is that: with its byte-order mark, or without one (every
    other byte of the Latin header zero); None otherwise."""
    if raw.startswith(UTF16_MARKS):
        return "utf-16"
    return "utf-16-le" if raw[1:200:2].count(0) > 20 else None


def looks_cp1251(raw: bytes) -> bool:
    """Whether `raw` reads as Russian text in Windows-1251 (Excel's «CSV» on Russian Windows)."""
    try:
        text = raw.decode("cp1251")
    except UnicodeDecodeError:
        return False
    return sum("а" <= ch.lower() <= "я" for ch in text) > len(text) // 20


@lru_cache(maxsize=64)
def record_lines(text: str, skip_empty: bool = False) -> tuple[int, ...]:
    """lines[i] = file line where CSV record i+1 starts (record 1 is the header); `skip_empty` leaves out empty lines,
    as pandas does when it reads the table. Remembered: validation's stages ask for the same texts' lines."""
    reader = csv.reader(io.StringIO(text, newline=""))
    starts, last = [], 0
    for record in reader:
        if record or not skip_empty:
            starts.append(last + 1)
        last = reader.line_num
    return tuple(starts)


def raw_records(text: str) -> list[tuple[list[str], str]]:
    """Each CSV record with its exact text (quotes, line breaks and line ending as in the file)."""
    consumed: list[str] = []

    def lines():
        for line in io.StringIO(text, newline=""):
            consumed.append(line)
            yield line

    out = []
    for record in csv.reader(lines()):  # the reader pulls one physical line at a time, never ahead
        out.append((record, "".join(consumed)))
        consumed.clear()
    return out


def count_lines(text: str) -> int:
    """Physical lines in a piece of CSV text, counted as the csv reader counts them."""
    return sum(1 for _ in io.StringIO(text, newline=""))


def line_of(lines: list[int], row_number: int | None) -> int | None:
    """Frictionless' row position (header = 1) → the file line where that record starts."""
    if row_number is None:
        return None
    return lines[row_number - 1] if 0 < row_number <= len(lines) else row_number


def header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text, newline="")), [])
