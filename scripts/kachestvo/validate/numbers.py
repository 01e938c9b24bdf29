"""Numbers written with ASCII digits only: Python (and so frictionless) reads «2_019», «２０１９» and «NaN» as numbers,
but pandas and people do not — such a year passes the schema check and breaks the pages. Checked on the CSV text."""

from __future__ import annotations

import re

import numpy as np

from kachestvo import schemas
from kachestvo.validate.problems import Problem
from kachestvo.validate.records import Column, Records

PLAIN = {
    "integer": re.compile(r"[+-]?[0-9]+"),
    "number": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"),
}


def check(tables: dict[str, Records], lines: dict[str, list[int]]) -> list[Problem]:
    out = []
    for name, table in tables.items():
        types = {f["name"]: f["type"] for f in schemas.schema(name)["fields"] if f["type"] in PLAIN}
        for pos, label in enumerate(table.labels):
            if label in types:
                out += _column(name, label, types[label], table.column(pos), lines.get(name, []))
    return out


def _column(name: str, label: str, kind: str, column: Column, starts: list[int]) -> list[Problem]:
    """The cells of one number column that Python reads as a number but are not written with ASCII digits: each
    distinct cell judged once."""
    cells = ["" if c is None else c.strip() for c in column.distinct]
    bad = column.spread([bool(c) and not PLAIN[kind].fullmatch(c) and _readable(c, kind) for c in cells])
    return [
        _problem(name, label, kind, cells[column.codes[i]], starts[i + 1] if i + 1 < len(starts) else None)
        for i in np.flatnonzero(bad)
    ]


def _problem(name: str, label: str, kind: str, cell: str, line: int | None) -> Problem:
    return Problem(
        f"data/{name}.csv",
        line,
        label,
        "number-format",
        f"«{cell}» — не число из цифр 0–9: "
        + ("целое число" if kind == "integer" else "число")
        + " пишется обычными цифрами"
        + ("" if kind == "integer" else " с точкой, например 3.75")
        + ", без «_», пробелов и цифр других алфавитов.",
        cell,
    )


def _readable(cell: str, kind: str) -> bool:
    """Whether the schema check would take the cell as a number (otherwise it reports a type error itself)."""
    from decimal import Decimal, InvalidOperation

    try:
        if kind == "integer":
            int(cell)
            return True
        return Decimal(cell).is_finite()
    except (ValueError, InvalidOperation):
        return False
