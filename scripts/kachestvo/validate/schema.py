"""Frictionless validation of the package (types, constraints, keys), its errors retold in Russian."""

from __future__ import annotations

import re

from kachestvo import csvfile, schemas
from kachestvo.paths import Project
from kachestvo.validate.problems import Problem

LABEL_ERRORS = {"missing-label", "extra-label", "incorrect-label", "duplicate-label", "blank-label"}
TYPE_RU = {"integer": "целым числом", "number": "числом", "date": "датой", "string": "строкой", "boolean": "логическим значением"}


def check(project: Project, resources: list[str], lines: dict[str, list[int]]) -> list[Problem]:
    """The reference: frictionless reads the package row by row (`kachestvo validate --reference`, parity tests)."""
    from frictionless import Package  # imported only here: the normal path does not pay for it

    package = Package(str(project.datapackage))
    for name in [r.name for r in package.resources if r.name not in resources]:
        package.remove_resource(name)
    for resource in package.resources:
        resource.schema.fields_match = "partial"  # columns by name; missing/extra ones are reported by structure
    report = package.validate()
    out = []
    for task in report.tasks:
        name = task.name
        for error in task.errors:
            if error.type in LABEL_ERRORS:
                continue  # the header is checked, by name, in structure
            out.append(_problem(name, error, lines.get(name, [])))
    return out


def _problem(name: str, error, lines: list[int]) -> Problem:
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
        m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", str(value))
        hint = f"«{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}»" if m else "«2021-05-20»"
        msg += f" Пишите дату как ГГГГ-ММ-ДД, например {hint}; несуществующих дат быть не должно."
    return msg


def _constraint_error(name, error, lines):
    f = schemas.field(name, error.field_name)
    c, value = f.get("constraints", {}), error.cell
    kind = _constraint(error.note)
    if kind == "required":
        return f"ячейка пуста, а столбец «{f['title']}» обязателен. Заполните её."
    if kind == "enum":
        allowed = "; ".join(f"«{v}»" for v in c["enum"])
        return f"значение «{value}» не из списка. Допустимо одно из: {allowed} (точно так же, с той же буквой ё и кавычками)."
    if kind == "pattern":
        if c["pattern"].startswith("^[a-z0-9]"):
            return (
                f"«{value}» — недопустимый идентификатор: только латинские строчные буквы, цифры и дефисы, "
                "без пробелов, например «krasnoyarskaya-sh»."
            )
        if "https?" in c["pattern"]:
            return f"адрес «{value}» должен начинаться с http:// или https:// и не содержать пробелов."
        return f"значение «{value}» не подходит по формату. {f['description']}"
    if kind in ("minimum", "maximum"):
        word = "меньше минимума" if kind == "minimum" else "больше максимума"
        return f"значение {value} {word} ({c[kind]}). {f['description']}"
    if kind == "unique":
        return f"значение «{value}» повторяется, а должно быть уникальным."
    return f"значение «{value}» нарушает ограничение: {error.note}."


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
    return f"ошибка чтения таблицы ({error.type}): {error.message}"


_MESSAGES = {
    "type-error": _type_error,
    "constraint-error": _constraint_error,
    "primary-key": _primary_key,
    "foreign-key": _foreign_key,
    "extra-cell": _cells,
    "missing-cell": _cells,
    "blank-row": _blank_row,
}
