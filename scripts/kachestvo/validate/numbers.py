"""Numbers written with ASCII digits only: Python (and so frictionless) reads «2_019», «２０１９» and «NaN» as numbers,
but pandas and people do not — such a year passes the schema check and breaks the pages. Checked on the CSV text."""

from __future__ import annotations

import csv
import io
import re

from kachestvo import schemas
from kachestvo.validate.problems import Problem

PLAIN = {
    "integer": re.compile(r"[+-]?[0-9]+"),
    "number": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"),
}


def check(texts: dict[str, str], lines: dict[str, list[int]]) -> list[Problem]:
    out = []
    for name, text in texts.items():
        types = {f["name"]: f["type"] for f in schemas.schema(name)["fields"] if f["type"] in PLAIN}
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, [])
        columns = [(i, label, types[label]) for i, label in enumerate(header) if label in types]
        if not columns:
            continue
        starts = lines.get(name, [])
        for number, record in enumerate(reader, 2):
            for i, label, kind in columns:
                cell = record[i].strip() if i < len(record) else ""
                if cell and not PLAIN[kind].fullmatch(cell) and _readable(cell, kind):
                    line = starts[number - 1] if number - 1 < len(starts) else None
                    out.append(
                        Problem(
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
                    )
    return out


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
