"""The hidden row-identity column of exported workbooks: each row's primary key as it was when exported.

data.xlsx carries it as a last, hidden column; `kachestvo import` reads it to recognise a row whose key a person
changed in Excel (an update of that row, not a new row beside the old one).
"""

from __future__ import annotations

import json

from kachestvo import schemas

HEADER = "Ключ строки (служебный, не изменяйте)"


def text(table: str, values: dict[str, str]) -> str | None:
    """The key cell of a row: its key values as a JSON list (None for a table without a key)."""
    key = schemas.schema(table).get("primaryKey", [])
    return json.dumps([values.get(name, "") for name in key], ensure_ascii=False) if key else None


def parse(table: str, cell) -> dict[str, str] | None:
    """Key field → value from a key cell; None when the cell is empty or not a key of this table."""
    key = schemas.schema(table).get("primaryKey", [])
    if not isinstance(cell, str) or not cell.startswith("["):
        return None
    try:
        values = json.loads(cell)
    except ValueError:
        return None
    if not isinstance(values, list) or len(values) != len(key) or not all(isinstance(v, str) for v in values):
        return None
    return dict(zip(key, values))
