"""Frictionless validation of the package (types, constraints, keys), its errors retold in Russian."""

from __future__ import annotations

import datetime as dt
import re

from kachestvo import csvfile, partial_date, schemas
from kachestvo.paths import Project
from kachestvo.validate.catalogue import CATALOGUE
from kachestvo.validate.problems import Problem
from kachestvo.validate.records import blank_of

LABEL_ERRORS = {"missing-label", "extra-label", "incorrect-label", "duplicate-label", "blank-label"}
TYPE_RU = {"integer": "целым числом", "number": "числом", "date": "датой", "string": "строкой", "boolean": "логическим значением"}


def descriptor(project: Project) -> list[Problem]:
    """An invalid descriptor (e.g. a package name with spaces) is a problem, not a crash; frictionless judges it."""
    from frictionless import FrictionlessException, Package  # imported only here and in `check`

    try:
        Package(str(project.datapackage))
    except FrictionlessException as exc:
        notes = "; ".join(r.note for r in exc.reasons) or exc.error.note
        return [
            Problem(
                "data/datapackage.json",
                None,
                None,
                "descriptor-invalid",
                f"описание пакета не по стандарту Data Package: {notes}. Исправьте datapackage.json "
                "(имя пакета — латинские строчные буквы, цифры, точки, дефисы и подчёркивания).",
            )
        ]
    return []


def check(project: Project, resources: list[str], lines: dict[str, list[int]], texts: dict[str, str]) -> list[Problem]:
    """The reference: frictionless reads the package row by row (`kachestvo validate --reference`, parity tests)."""
    from frictionless import Package

    package = Package(str(project.datapackage))
    for name in [r.name for r in package.resources if r.name not in resources]:
        package.remove_resource(name)
    for resource in package.resources:
        resource.schema.fields_match = "partial"  # columns by name; missing/extra ones are reported by structure
    report = package.validate()
    return [problem for task in report.tasks for problem in _task_problems(task, lines.get(task.name, []), texts)]


def _task_problems(task, lines: list[int], texts: dict[str, str]) -> list[Problem]:
    """One table's errors as our problems, without what structure reports (labels) or what is no problem (empty
    lines ending the file) and with one problem per blank row."""
    blank, trailing = blank_records(texts.get(task.name, ""))
    out = []
    for error in task.errors:
        position = getattr(error, "row_number", None)
        if error.type in LABEL_ERRORS or position in trailing or (position in blank and error.type != "blank-row"):
            continue
        out.append(retell(task.name, error, lines))
    return out


def blank_records(text: str) -> tuple[set[int], set[int]]:
    """Record positions (header = 1) without content, and the empty lines that end the file (the reader skips those;
    a row of empty cells such as «,,,,» would become an empty row, so it is reported wherever it is)."""
    return blank_of([r for r, _ in csvfile.raw_records(text)])


def retell(name: str, error, lines: list[int]) -> Problem:
    """A frictionless error (or one shaped like it: type, row_number, field_name, cell, note) as our Problem, in Russian."""
    rel = f"data/{name}.csv"
    row = csvfile.line_of(lines, getattr(error, "row_number", None))
    field = getattr(error, "field_name", None) or None
    cell = getattr(error, "cell", None)
    kind = error.type
    if kind == "foreign-key":
        field = error.field_names[0] if error.field_names else None
    message = _MESSAGES.get(kind, _generic)(name, error, lines)
    if kind == "constraint-error":
        kind = "constraint-" + _constraint(error.note)
    if kind not in CATALOGUE:
        kind = "constraint-other" if kind.startswith("constraint-") else "table-error"
    return Problem(rel, row, field, kind, message, None if cell is None else str(cell))


def _constraint(note: str) -> str:
    m = re.search(r'constraint "(\w+)"', note or "")
    return m.group(1) if m else "other"


def _type_error(name, error, lines):
    f = schemas.field(name, error.field_name)
    value = error.cell
    msg = f"значение «{value}» должно быть {TYPE_RU.get(f['type'], f['type'])}."
    if f["type"] == "number" and re.fullmatch(r"-?\d+,\d+", str(value)):
        msg += f" Десятичный разделитель — точка: пишите «{str(value).replace(',', '.')}»."
    elif f["type"] == "integer":
        msg += " Пишите целое число без пробелов и дробной части."
    elif f["type"] == "date":
        msg += " " + _date_hint(str(value))
    return msg


def _date_hint(value: str) -> str:
    """Advice for a bad date: the same date written as ГГГГ-ММ-ДД, offered only when such a date exists."""
    text = value.strip()
    m = re.fullmatch(r"(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})", text) or re.fullmatch(
        r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})", text
    )
    if m is None:
        return "Пишите дату как ГГГГ-ММ-ДД, например «2021-05-20»."
    d, mo, y = m.group("d", "m", "y")
    try:
        fixed = dt.date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return (
            f"Такой даты нет в календаре (день {int(d)}, месяц {int(mo)}, год {y}): проверьте день и месяц по документу "
            "и запишите дату как ГГГГ-ММ-ДД, например «2021-05-20»."
        )
    return f"Пишите дату как ГГГГ-ММ-ДД: «{fixed}»."


def _constraint_error(name, error, lines):
    f = schemas.field(name, error.field_name)
    kind = _constraint(error.note)
    if kind not in _CONSTRAINT_MESSAGES:
        return f"значение «{error.cell}» нарушает ограничение: {error.note}."
    return _CONSTRAINT_MESSAGES[kind](f, f.get("constraints", {}), error.cell)


def _required(f: dict, c: dict, value) -> str:
    return f"ячейка пуста, а столбец «{f['title']}» обязателен. Заполните её."


def _enum(f: dict, c: dict, value) -> str:
    allowed = "; ".join(f"«{v}»" for v in c["enum"])
    return f"значение «{value}» не из списка. Допустимо одно из: {allowed} (точно так же, с той же буквой ё и кавычками)."


def _pattern(f: dict, c: dict, value) -> str:
    if c["pattern"].startswith("^[a-z0-9]"):
        return (
            f"«{value}» — недопустимый идентификатор: только латинские строчные буквы, цифры и дефисы, "
            "без пробелов, например «krasnoyarskaya-sh»."
        )
    if "https?" in c["pattern"]:
        return (
            f"адрес «{value}» сайт не покажет ссылкой: он должен начинаться с http:// или https:// и не содержать "
            "пробелов, кавычек и угловых скобок. Скопируйте адрес из строки браузера; пробел замените на %20."
        )
    if c["pattern"] == partial_date.PATTERN:
        return f"значение «{value}» — не дата. " + _date_hint(str(value)).replace(
            "ГГГГ-ММ-ДД", "ГГГГ-ММ-ДД (если день в источнике не указан — ГГГГ-ММ или ГГГГ)", 1
        )
    return f"значение «{value}» не подходит по формату. {f['description']}"


def _max_length(f: dict, c: dict, value) -> str:
    return (
        f"текст длиннее допустимого: {len(str(value))} знаков при пределе {c['maxLength']} для столбца "
        f"«{f['title']}». Сократите его; полный текст документа приложите файлом (documents.csv)."
    )


def _minimum(f: dict, c: dict, value) -> str:
    return f"значение {value} меньше минимума ({c['minimum']}). {f['description']}"


def _maximum(f: dict, c: dict, value) -> str:
    return f"значение {value} больше максимума ({c['maximum']}). {f['description']}"


def _unique(f: dict, c: dict, value) -> str:
    return f"значение «{value}» повторяется, а должно быть уникальным."


# What each broken constraint means for the person who fixes the cell: (field, its constraints, the cell) → message
_CONSTRAINT_MESSAGES = {
    "required": _required,
    "enum": _enum,
    "pattern": _pattern,
    "maxLength": _max_length,
    "minimum": _minimum,
    "maximum": _maximum,
    "unique": _unique,
}


def _primary_key(name, error, lines):
    key = schemas.schema(name)["primaryKey"]
    m = re.search(r"position (\d+)", error.note or "")
    other = f" (строка {csvfile.line_of(lines, int(m.group(1)))})" if m else ""
    return (
        f"такой же ключ ({', '.join(key)}) уже есть в другой строке{other}. "
        "Каждая строка должна быть уникальной: удалите повтор или исправьте значения."
    )


def _foreign_key(name, error, lines):
    fk = next((k for k in schemas.schema(name).get("foreignKeys", []) if k["fields"] == error.field_names), None)
    target = (fk["reference"]["resource"] or name) if fk else error.reference_name
    column = fk["reference"]["fields"][0] if fk else "?"
    m = re.search(r'values "([^"]*)"', error.note or "")
    value = m.group(1) if m else ""
    return (
        f"«{value}» не найдено в таблице {target}.csv (столбец «{column}»). "
        f"Исправьте опечатку или сначала добавьте такую строку в {target}.csv."
    )


def _cells(name, error, lines):
    more = error.type == "extra-cell"
    return ("в строке больше ячеек, чем столбцов" if more else "в строке меньше ячеек, чем столбцов") + (
        ". Текст с запятыми или переносами строк заключайте в двойные кавычки."
    )


def _blank_row(name, error, lines):
    return "пустая строка. Удалите её."


def _generic(name, error, lines):
    return (
        f"таблица не читается ({error.type}: {error.message}). Откройте файл и проверьте, что это CSV UTF-8 "
        f"с запятыми и заголовком в первой строке, или перепишите его командой «kachestvo import data/{name}.csv "
        f"--table {name}»."
    )


_MESSAGES = {
    "type-error": _type_error,
    "constraint-error": _constraint_error,
    "primary-key": _primary_key,
    "foreign-key": _foreign_key,
    "extra-cell": _cells,
    "missing-cell": _cells,
    "blank-row": _blank_row,
}
