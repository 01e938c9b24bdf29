"""Schema check of every cell, column by column: frictionless' rules (its reference) without reading row by row.

Each CSV's records (parsed once by the structure check, `records.py`) give each column's distinct values, which are
typed and checked once, then spread back over the whole column by their codes (numpy). Problems are the ones
frictionless reports, retold by the same messages (`schema.retell`); `tests/test_validate_parity.py` holds the two to each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

import numpy as np
import pandas as pd

from kachestvo import schemas
from kachestvo.validate.problems import Problem
from kachestvo.validate.records import Column, Records
from kachestvo.validate.schema import retell

WRONG = object()  # a filled cell that is not of its field's type


def check(tables: dict[str, Records], lines: dict[str, list[int]]) -> list[Problem]:
    """Every schema problem of the parsed tables (`records.Records`, the header first), as frictionless reports them."""
    typed = {name: _Table.of(table) for name, table in tables.items()}
    out: list[Problem] = []
    for name, table in typed.items():
        blank, trailing = table.source.blank()
        out += [
            retell(name, e, lines.get(name, []))
            for e in _errors(table, typed)
            if e.row_number not in trailing and (e.row_number not in blank or e.type == "blank-row")
        ]
    return out


@dataclass
class _Table:
    """A parsed CSV's columns by label, typed: `raw` cells (None past a short row's end), typed `values` (None where
    blank or wrong), `wrong` (a type error) and `filled` (not blank) masks, and each column's distinct cells typed
    (`distinct`: None where blank, WRONG where not of the type; the column's `codes` point into them)."""

    source: Records
    values: dict[str, np.ndarray]
    wrong: dict[str, np.ndarray]
    filled: dict[str, np.ndarray]
    raw: dict[str, Column]
    distinct: dict[str, list]

    @classmethod
    def of(cls, source: Records) -> "_Table":
        table = cls(source, {}, {}, {}, {}, {})
        for pos, label in enumerate(source.labels):
            if label not in table.raw:  # a duplicate label is the structure check's problem; frictionless refuses the table
                table._add(label, source.column(pos))
        return table

    def _add(self, label: str, column: Column) -> None:
        """Each distinct cell typed once (frictionless' readers), spread back over the column by its codes."""
        read = _TYPES.get(_field(self.name, label)["type"], _text)
        typed = [None if cell == "" or cell is None else _or_wrong(read(cell)) for cell in column.distinct]
        is_wrong = column.spread([v is WRONG for v in typed])
        self.raw[label], self.distinct[label] = column, typed
        self.wrong[label] = is_wrong
        self.filled[label] = ~column.spread([cell == "" or cell is None for cell in column.distinct])
        self.values[label] = column.spread([None if v is WRONG else v for v in typed], dtype=object)

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def labels(self) -> list[str]:
        return self.source.labels

    @property
    def row_numbers(self) -> range:
        return range(2, len(self.source.lengths) + 2)  # frictionless' row position: the header is 1

    def cell(self, label: str, i: int):
        """Row i's raw cell of a column (None past the record's end)."""
        column = self.raw[label]
        return column.distinct[column.codes[i]]


def _field(table: str, label: str) -> dict:
    """The schema field of a label; a label the schema does not know is read as untyped text, like frictionless."""
    return next((f for f in schemas.schema(table)["fields"] if f["name"] == label), {"name": label, "type": "any"})


def _or_wrong(value):
    return WRONG if value is None else value


def _int(cell: str):
    try:
        return int(cell.strip())
    except (ValueError, TypeError):
        return None


def _number(cell: str):
    try:
        value = Decimal(cell.strip())
    except ArithmeticError:
        return None
    return None if value.is_snan() else value  # «sNaN» cannot even be hashed; «NaN» is read as frictionless reads it


def _date(cell: str):
    try:
        return datetime.strptime(cell, "%Y-%m-%d").date()
    except ValueError:
        return None


def _text(cell: str):
    return cell


_TYPES = {"integer": _int, "number": _number, "date": _date, "string": _text, "any": _text}


def _errors(table: _Table, tables: dict[str, _Table]):
    """Error records shaped like frictionless' (type, row_number, field_name, cell, note, …), in no particular order."""
    if not table.source.width:
        return  # no data record holds a cell
    blank = np.logical_and.reduce([~f for f in table.filled.values()] or [np.ones(len(table.row_numbers), bool)])
    blank_rows = set(np.flatnonzero(blank).tolist())
    for i in sorted(blank_rows):
        yield _error("blank-row", table.row_numbers[i])
    for label in table.raw:
        yield from _cell_errors(table, label, blank_rows)
    yield from _cell_counts(table, blank)
    yield from _primary_key(table)
    yield from _foreign_keys(table, tables)


def _cell_counts(table: _Table, blank: np.ndarray):
    """Records with more cells than labels (the cells beyond) or fewer (the labels without a cell)."""
    width = len(table.labels)
    for i in np.flatnonzero((table.source.lengths != width) & ~blank).tolist():
        row = table.source.rows[i]
        for cell in row[width:]:
            yield _error("extra-cell", table.row_numbers[i], field_name="", cell=cell)
        for label in table.labels[len(row) :]:
            yield _error("missing-cell", table.row_numbers[i], field_name=label, cell="")


def _cell_errors(table: _Table, label: str, blank_rows: set[int]):
    field = _field(table.name, label)
    wrong = table.wrong[label]
    for i in np.flatnonzero(wrong).tolist():
        note = f'type is "{field["type"]}/default"'
        yield _error("type-error", table.row_numbers[i], field_name=label, cell=table.cell(label, i), note=note)
    ok = ~wrong
    for kind, limit in field.get("constraints", {}).items():
        failed = ok & ~_satisfies(kind, limit, _Constrained(table, label, field, table.filled[label] & ok))
        for i in np.flatnonzero(failed).tolist():
            if i not in blank_rows:
                cell = table.cell(label, i)
                cell = "None" if cell is None else cell  # frictionless prints a missing cell as «None»
                note = f'constraint "{kind}" is "{limit}"'
                yield _error("constraint-error", table.row_numbers[i], field_name=label, cell=cell, note=note)


@dataclass(frozen=True)
class _Constrained:
    """A column under a constraint: its table, label, schema field and which cells are present (filled, typed)."""

    table: _Table
    label: str
    field: dict
    present: np.ndarray

    def read(self, value: str):
        return _TYPES.get(self.field["type"], _text)(value)

    def per_distinct(self, test) -> np.ndarray:
        """A test run once per distinct cell of the column (as typed), its answers spread over the column by the
        cells' codes (False where blank, missing or of the wrong type)."""
        answers = [v is not None and v is not WRONG and bool(test(v)) for v in self.table.distinct[self.label]]
        return self.table.raw[self.label].spread(answers)


def _required(limit, c: _Constrained) -> np.ndarray:
    return c.present | (not limit)


def _enum(limit, c: _Constrained) -> np.ndarray:
    allowed = [c.read(v) if isinstance(v, str) else v for v in limit]
    return ~c.present | c.per_distinct(lambda v: v in allowed)


def _pattern(limit, c: _Constrained) -> np.ndarray:
    rx = re.compile(f"^{limit}$")
    return ~c.present | c.per_distinct(lambda v: rx.match(v) is not None)


def _minimum(limit, c: _Constrained) -> np.ndarray:
    bound = c.read(str(limit))
    return ~c.present | c.per_distinct(lambda v: v == v and v >= bound)


def _maximum(limit, c: _Constrained) -> np.ndarray:
    bound = c.read(str(limit))
    return ~c.present | c.per_distinct(lambda v: v == v and v <= bound)


def _min_length(limit, c: _Constrained) -> np.ndarray:
    return ~c.present | c.per_distinct(lambda v: len(v) >= limit)


def _max_length(limit, c: _Constrained) -> np.ndarray:
    return ~c.present | c.per_distinct(lambda v: len(v) <= limit)


def _unique(limit, c: _Constrained) -> np.ndarray:
    ids = _ids(c.table, c.label)
    return ~(c.present & pd.Series(ids).duplicated(keep="first").to_numpy() & (ids != -1)) | (not limit)


# Table Schema's constraints: each says, for the whole column, which cells meet it (blank cells meet all but «required»)
_CONSTRAINTS = {
    "required": _required,
    "enum": _enum,
    "pattern": _pattern,
    "minimum": _minimum,
    "maximum": _maximum,
    "minLength": _min_length,
    "maxLength": _max_length,
    "unique": _unique,
}


def _satisfies(kind: str, limit, c: _Constrained) -> np.ndarray:
    if kind not in _CONSTRAINTS:
        raise ValueError(f"constraint {kind} is not supported")
    return _CONSTRAINTS[kind](limit, c)


def _ids(table: _Table, label: str) -> np.ndarray:
    """Each row's typed value as a number that is equal exactly where the values are (-1: none, blank or wrong); a
    NaN is only equal to itself, as in a tuple of the values."""
    same: dict = {}
    ids = [-1 if v is None or v is WRONG else same.setdefault(v, len(same)) for v in table.distinct[label]]
    return table.raw[label].spread(ids, dtype=np.int64)


def _group(table: _Table, labels: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(group, given): rows with equal typed values in `labels` share a group number (numbered in order of first
    appearance); `given` says whether some of the row's values is there (not blank, not wrong)."""
    ids = [_ids(table, label) for label in labels]
    group = ids[0]
    for more in ids[1:]:  # pairs of numbers made one number again, so they never overflow
        group, _ = pd.factorize(group * (int(more.max()) + 2) + more + 1)
    group, _ = pd.factorize(group)
    return group, np.logical_or.reduce([i != -1 for i in ids])


def _primary_key(table: _Table):
    key = schemas.schema(table.name).get("primaryKey") or []
    key = [key] if isinstance(key, str) else key
    if not key or not set(key) <= set(table.values):
        return
    group, given = _group(table, key)
    for i in np.flatnonzero(~given).tolist():
        yield _error("primary-key", table.row_numbers[i], note='cells composing the primary keys are all "None"')
    group = np.where(given, group, -1 - np.arange(len(group)))  # an empty key is never a repeat
    earlier = pd.Series(np.arange(len(group))).groupby(group).shift(1)  # frictionless names the latest earlier row
    for i in np.flatnonzero(earlier.notna().to_numpy()).tolist():
        note = f"the same as in the row at position {table.row_numbers[int(earlier[i])]}"
        yield _error("primary-key", table.row_numbers[i], note=note)


def _foreign_keys(table: _Table, tables: dict[str, _Table]):
    for fk in schemas.schema(table.name).get("foreignKeys", []):
        fields, target, ref_fields = fk["fields"], fk["reference"]["resource"] or table.name, fk["reference"]["fields"]
        if not set(fields) <= set(table.values) or target not in tables or not set(ref_fields) <= set(tables[target].values):
            continue  # frictionless skips a key whose columns are absent; a missing table is the structure's problem
        known = set(zip(*(tables[target].values[f].tolist() for f in ref_fields)))
        for i in _unknown(table, fields, known):
            yield _foreign_key_error(table, fk, i)


def _unknown(table: _Table, fields: list[str], known: set[tuple]) -> list[int]:
    """Rows whose key (some part of it given) is not among the `known` keys: each distinct key looked up once."""
    group, given = _group(table, fields)
    first = pd.Series(np.arange(len(group))).groupby(group).first().to_numpy()  # a row with each distinct key
    values = [table.values[f] for f in fields]
    bad = [g for g, i in enumerate(first.tolist()) if given[i] and tuple(v[i] for v in values) not in known]
    return np.flatnonzero(np.isin(group, bad)).tolist()


def _foreign_key_error(table: _Table, fk: dict, i: int) -> SimpleNamespace:
    fields, ref_fields = fk["fields"], fk["reference"]["fields"]
    value = [table.values[f][i] for f in fields]
    note = 'for "%s": values "%s" not found in the lookup table "%s" as "%s"' % (
        ", ".join(fields),
        ", ".join(str(v) for v in value),
        fk["reference"]["resource"],
        ", ".join(ref_fields),
    )
    reference = fk["reference"]["resource"]
    return _error("foreign-key", table.row_numbers[i], note=note, field_names=list(fields), reference_name=reference)


def _error(kind: str, row_number: int, **attrs) -> SimpleNamespace:
    attrs.setdefault("field_name", None)
    attrs.setdefault("note", "")
    attrs.setdefault("cell", None)
    return SimpleNamespace(type=kind, row_number=row_number, message=attrs["note"], **attrs)
