"""Character-level checks of every raw CSV cell, header and the datapackage: formula prefixes, control,
invisible and direction-changing characters, words mixing Latin and Cyrillic letters, look-alike names.

They read the raw CSV text (the downloads are byte copies of it), not the stripped typed frames: a leading
tab or a trailing zero-width space is exactly what must not slip through.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import replace

import numpy as np

from kachestvo import csvfile, schemas
from kachestvo.dataset import LINE, Dataset
from kachestvo.validate.problems import Problem
from kachestvo.validate.records import Column, Records

# OWASP «CSV injection»: a spreadsheet runs a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Letters that render blank although they are not format characters (Hangul and Mongolian fillers).
BLANK_LETTERS = set("\u115f\u1160\u180e\u3164\uffa0")
LATIN = re.compile(r"[A-Za-z]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
WORD = re.compile(r"[^\W\d_]+")
# Latin letters that look like Cyrillic ones, folded to the Cyrillic letter when names are compared.
LOOKALIKE = str.maketrans("AaBCcEeHKMOoPpTXxyk", "АаВСсЕеНКМОоРрТХхук")
# Tables whose rows people tell apart by a name: two names equal after folding look-alikes are one thing twice.
NAMED = {
    "schools": ("school_id", ["short_name", "full_name"]),
    "documents": ("document_id", ["title"]),
    "indicators": ("indicator_id", ["text"]),
    "programmes": ("programme_id", ["title"]),
    "clusters": ("cluster_id", ["name"]),
    "partner_groups": ("group_id", ["name"]),
}


# Free texts of the management cycle that the site shows as statements (the look-alike check covers names too):
# a word mixing Latin and Cyrillic letters there is a typo or a disguise, never a word.
PROSE = {
    "indicators": {"text", "evidence"},
    "tasks": {"text"},
    "roadmap": {"activity", "responsible", "result_document"},
    "roadmap_milestones": {"text"},
    "decisions": {"text"},
    "recommendations": {"text"},
}


def check(ds: Dataset) -> list[Problem]:
    """The datapackage's texts and look-alike names (each table's cells: `table_problems`, before the data is loaded)."""
    return list(descriptor_problems(ds.descriptor)) + list(lookalike_duplicates(ds))


def table_problems(name: str, text: str, table: Records | None = None, lines=None) -> Iterator[Problem]:
    """Every cell and header of one CSV (`table` and `lines`: the text as csv.reader reads it and the line where each
    record starts, if already known). What a cell holds depends on the cell alone, so each distinct cell of a column
    is looked at once and its problems are named at every row that holds it."""
    rel = f"data/{name}.csv"
    table = Records(name, list(csv.reader(io.StringIO(text, newline="")))) if table is None else table
    lines = csvfile.record_lines(text) if lines is None else lines
    for col in table.labels:
        yield from _characters(rel, 1, col or None, col, multiline=False, what="в заголовке столбца")
    for pos, kind in enumerate(_kinds(name, table.labels)):
        if kind is not None:
            yield from _column_problems(rel, kind, table.column(pos), lines)


def _column_problems(rel: str, kind: tuple, column: Column, lines: list[int]) -> Iterator[Problem]:
    found = [list(_cell(rel, None, kind, value)) if value else [] for value in column.distinct]
    for i in np.flatnonzero(column.spread([bool(f) for f in found])).tolist():
        line = lines[i + 1] if i + 1 < len(lines) else None
        yield from (replace(p, row=line) for p in found[column.codes[i]])


def _kinds(name: str, header: list[str]) -> list[tuple | None]:
    """What each column is, decided once per column: (field, multiline, string, name);
    None for a column the schema does not have."""
    fields = {f["name"]: f for f in schemas.schema(name)["fields"]}
    prose = PROSE.get(name, set())
    out = []
    for col in header:
        f = fields.get(col)
        out.append((col, schemas.multiline(f), f["type"] == "string", schemas.is_name(f) or col in prose) if f else None)
    return out


def _cell(rel: str, line: int | None, kind: tuple, value: str) -> Iterator[Problem]:
    col, multiline, is_string, is_name = kind
    yield from _characters(rel, line, col, value, multiline=multiline)
    if is_string and value.startswith(FORMULA_START):
        yield _formula(rel, line, col, value)
    if is_name:
        yield from _mixed_script(rel, line, col, value)


def name_problems(rel: str, name: str) -> list[Problem]:
    """A file name under data/ or content/: it becomes a URL, and a hand-written page's name can become its title."""
    return list(_characters(rel, None, None, name, multiline=False, what="в имени файла"))


def descriptor_problems(descriptor, path: str = "") -> Iterator[Problem]:
    """Every key and string of datapackage.json: its titles and settings reach the site and the downloads."""
    rel = "data/datapackage.json"
    if isinstance(descriptor, dict):
        for key, value in descriptor.items():
            where = f"{path}.{key}" if path else str(key)
            yield from _characters(rel, None, where, str(key), multiline=False, what="в имени ключа")
            yield from descriptor_problems(value, where)
    elif isinstance(descriptor, list):
        for i, value in enumerate(descriptor):
            yield from descriptor_problems(value, f"{path}[{i}]")
    elif isinstance(descriptor, str):
        yield from _characters(rel, None, path or None, descriptor, multiline=True)  # descriptions span lines


def _characters(rel, line, field, value: str, multiline: bool, what: str = "в тексте") -> Iterator[Problem]:
    """At most one problem per kind of character in a value: the first offending character names the kind."""
    if value.isprintable() and BLANK_LETTERS.isdisjoint(value):
        return  # fast path: str.isprintable is False for every control, format, separator and unassigned character
    seen = set()
    for pos, ch in enumerate(value, start=1):
        kind = _kind(ch, value, pos, multiline)
        if kind is None or kind in seen:
            continue
        seen.add(kind)
        code, label, todo = kind
        yield Problem(
            rel,
            line,
            field,
            code,
            f"{what} {label} {_codepoint(ch)} (знак {pos} из {len(value)}). {todo}",
            value,
        )


_CONTROL = (
    "control-character",
    "управляющий символ",
    "Удалите его: такие символы остаются от копирования из других программ и ломают выгрузку в Excel.",
)
_NEWLINE = (
    "line-break",
    "перенос строки",
    "В этом столбце текст должен быть в одну строку: замените перенос пробелом.",
)
_BIDI = (
    "bidi-character",
    "символ смены направления письма",
    "Удалите его: он переворачивает текст на странице и позволяет выдать одно название за другое.",
)
_INVISIBLE = (
    "invisible-character",
    "невидимый символ",
    "Удалите его: его не видно, но из-за него одинаковые на вид названия считаются разными.",
)


def _kind(ch: str, value: str, pos: int, multiline: bool):
    if ch in BIDI:
        return _BIDI
    category = unicodedata.category(ch)
    if ch == "\n" or (ch == "\r" and value[pos : pos + 1] == "\n"):
        return None if multiline else _NEWLINE
    if category == "Cc":
        return _CONTROL
    if category in ("Cf", "Zl", "Zp", "Co", "Cn") or ch in BLANK_LETTERS:
        return _INVISIBLE
    return None


def _codepoint(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def _formula(rel, line, field, value: str) -> Problem:
    shown = {"\t": "табуляции", "\r": "возврата каретки"}.get(value[0], f"«{value[0]}»")
    return Problem(
        rel,
        line,
        field,
        "formula-prefix",
        f"текст начинается с {shown} (U+{ord(value[0]):04X}): Excel и другие таблицы выполнят такую ячейку "
        "открытых данных как формулу. Начните текст иначе: уберите этот знак, вместо дефиса поставьте тире «–», "
        "числа пишите без знака «+».",
        value,
    )


def _mixed_script(rel, line, field, value: str) -> Iterator[Problem]:
    for word in WORD.findall(value):
        if LATIN.search(word) and CYRILLIC.search(word):
            latin = ", ".join(f"«{ch}» {_codepoint(ch)}" for ch in dict.fromkeys(LATIN.findall(word)))
            yield Problem(
                rel,
                line,
                field,
                "mixed-script",
                f"в слове «{word}» смешаны латинские и русские буквы (латинские: {latin}). "
                "Наберите слово заново в одной раскладке: на вид буквы одинаковы, а для поиска и проверки — нет.",
                value,
            )
            return


def fold(value: str) -> str:
    """A name as people see it: look-alike Latin letters as Cyrillic, compatibility forms and spacing ignored."""
    text = unicodedata.normalize("NFKC", value).translate(LOOKALIKE)
    return " ".join(text.split())


def lookalike_duplicates(ds: Dataset) -> Iterator[Problem]:
    """Two rows whose names differ only in look-alike letters: one school (document, indicator) twice."""
    for name, (key, columns) in NAMED.items():
        frame = ds[name]
        for col in columns:
            seen: dict[str, tuple] = {}
            for value, row_key, line in zip(frame[col].tolist(), frame[key].tolist(), frame[LINE].tolist()):
                if not isinstance(value, str):
                    continue
                first = seen.setdefault(fold(value), (value, row_key, line))
                if first[0] != value:
                    yield Problem(
                        f"data/{name}.csv",
                        line,
                        col,
                        "lookalike-duplicate",
                        f"«{value}» отличается от «{first[0]}» («{first[1]}», строка {first[2]}) только похожими "
                        "латинскими и русскими буквами или пробелами. Если это одно и то же — оставьте одну "
                        "строку; если разное — назовите так, чтобы различие было видно.",
                        value,
                    )
