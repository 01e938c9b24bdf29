"""Schema check of every cell, column by column: frictionless' rules (its reference) without reading row by row.

Each CSV text (already read by the structure check) is parsed once; each column's distinct values are typed and
checked once, then mapped back over the whole column with pandas. Problems are the ones frictionless reports,
retold by the same messages (`schema.retell`); `tests/test_validate_parity.py` holds the two to each other.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

import numpy as np
import pandas as pd

from kachestvo import schemas
from kachestvo.validate.problems import Problem
from kachestvo.validate.schema import blank_of, retell

WRONG = object()  # a filled cell that is not of its field's type


def check(resources: list[str], texts: dict[str, str], lines: dict[str, list[int]]) -> list[Problem]:
    tables = {name: _Table.parse(name, texts[name]) for name in resources}
    out: list[Problem] = []
    for name, table in tables.items():
        blank, trailing = blank_of(table.records)
        out += [
            retell(name, e, lines.get(name, []))
            for e in _errors(table, tables)
            if e.row_number not in trailing and (e.row_number not in blank or e.type == "blank-row")
        ]
    return out


@dataclass
class _Table:
    """A CSV as columns by label: `raw` cells (None past a short row's end), typed `values` (None where blank or
    wrong), `wrong` (a type error) and `filled` (not blank) masks; `frame` holds every record's cells by position."""

    name: str
    labels: list[str]
    frame: pd.DataFrame
    values: dict[str, pd.Series]
    wrong: dict[str, pd.Series]
    filled: dict[str, pd.Series]
    raw: dict[str, pd.Series]
    records: list[list[str]]  # as csv.reader read them, the header first
    codes: dict[str, np.ndarray]  # each cell's index into `distinct` (a missing cell: the last, None)
    distinct: dict[str, list]  # each distinct cell typed (None where blank, WRONG where not of the type)

    @classmethod
    def parse(cls, name: str, text: str) -> "_Table":
        records = list(csv.reader(io.StringIO(text, newline="")))
        labels = records[0] if records else []
        frame = pd.DataFrame(records[1:], dtype=object)  # short records padded with None, long ones widen it
        raw, values, wrong, filled, all_codes, all_distinct = {}, {}, {}, {}, {}, {}
        for pos, label in enumerate(labels):
            if label in raw:
                continue  # a duplicate label is the structure check's problem; frictionless refuses the table
            column = frame[pos] if pos < frame.shape[1] else pd.Series([None] * len(frame), dtype=object)
            raw[label] = column
            # each distinct cell typed once (frictionless' readers), spread back over the column by its codes
            codes, distinct = pd.factorize(column)  # None (no cell) → code -1 → the appended None
            read = _TYPES.get(_field(name, label)["type"], _text)
            typed = [None if cell == "" else _or_wrong(read(cell)) for cell in distinct] + [None]
            all_codes[label], all_distinct[label] = codes, typed
            typed_column = np.array(typed, dtype=object)[codes]
            is_wrong = np.array([v is WRONG for v in typed], dtype=bool)[codes]
            is_blank = np.array([cell == "" for cell in distinct] + [True], dtype=bool)[codes]
            wrong[label] = pd.Series(is_wrong)
            filled[label] = pd.Series(~is_blank)
            values[label] = pd.Series(np.where(is_wrong, None, typed_column), dtype=object)
        return cls(name, labels, frame, values, wrong, filled, raw, records, all_codes, all_distinct)

    @property
    def row_numbers(self) -> range:
        return range(2, len(self.frame) + 2)  # frictionless' row position: the header is 1


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
    numbers = table.row_numbers
    if table.frame.empty:
        return
    blank = pd.Series(True, index=table.frame.index)
    for filled in table.filled.values():
        blank &= ~filled
    blank_rows = set(blank[blank].index)
    for i in sorted(blank_rows):
        yield _error("blank-row", numbers[i])
    for label, raw in table.raw.items():
        yield from _cell_errors(table, label, raw, blank_rows)
    width, frame = len(table.labels), table.frame
    lengths = frame.notna().sum(axis=1)  # the csv module pads nothing: a record's cells are its non-None ones
    for i in lengths[(lengths != width) & ~blank].index:
        row = frame.iloc[i, : lengths[i]].tolist()
        for pos in range(width, len(row)):
            yield _error("extra-cell", numbers[i], field_name="", cell=row[pos])
        for label in table.labels[len(row) :]:
            yield _error("missing-cell", numbers[i], field_name=label, cell="")
    yield from _primary_key(table)
    yield from _foreign_keys(table, tables)


def _cell_errors(table: _Table, label: str, raw: pd.Series, blank_rows: set[int]):
    field = _field(table.name, label)
    values, wrong = table.values[label], table.wrong[label]
    for i in wrong[wrong].index:
        yield _error("type-error", table.row_numbers[i], field_name=label, cell=raw[i], note=f'type is "{field["type"]}/default"')
    ok = ~wrong
    for kind, limit in field.get("constraints", {}).items():
        failed = ok & ~_satisfies(kind, limit, field, values, table.filled[label] & ok, table, label)
        for i in failed[failed].index:
            if i not in blank_rows:
                cell = "None" if raw[i] is None else raw[i]  # frictionless prints a missing cell as «None»
                note = f'constraint "{kind}" is "{limit}"'
                yield _error("constraint-error", table.row_numbers[i], field_name=label, cell=cell, note=note)


def _satisfies(kind: str, limit, field: dict, values: pd.Series, present: pd.Series, table: _Table, label: str) -> pd.Series:
    """Whole column: does each typed value meet the constraint (blank values meet all but «required»)."""
    if kind == "required":
        return present | (not limit)
    if kind == "enum":
        allowed = [_TYPES.get(field["type"], _text)(v) if isinstance(v, str) else v for v in limit]
        return ~present | values.isin(allowed)
    if kind == "pattern":
        rx = re.compile(f"^{limit}$")
        return ~present | _per_distinct(table, label, lambda v: rx.match(v) is not None)
    if kind in ("minimum", "maximum"):
        bound = _TYPES.get(field["type"], _text)(str(limit))
        op = (lambda v: v >= bound) if kind == "minimum" else (lambda v: v <= bound)
        return ~present | _per_distinct(table, label, lambda v: v == v and op(v))
    if kind in ("minLength", "maxLength"):
        op = (lambda v: len(v) >= limit) if kind == "minLength" else (lambda v: len(v) <= limit)
        return ~present | _per_distinct(table, label, op)
    if kind == "unique":
        return ~(present & values.duplicated(keep="first")) | (not limit)
    raise ValueError(f"constraint {kind} is not supported")


def _per_distinct(table: _Table, label: str, test) -> pd.Series:
    """A test run once per distinct cell of the column (as typed), its answers spread over the column by the cells'
    codes (False where blank, missing or of the wrong type)."""
    answers = np.array([v is not None and v is not WRONG and bool(test(v)) for v in table.distinct[label]], dtype=bool)
    return pd.Series(answers[table.codes[label]])


def _primary_key(table: _Table):
    key = schemas.schema(table.name).get("primaryKey") or []
    key = [key] if isinstance(key, str) else key
    if not key or not set(key) <= set(table.values):
        return
    columns = [table.values[k].tolist() for k in key]
    latest: dict[tuple, int] = {}
    for i, value in enumerate(zip(*columns)):
        if all(v is None for v in value):
            yield _error("primary-key", table.row_numbers[i], note='cells composing the primary keys are all "None"')
            continue
        if value in latest:  # frictionless names the latest earlier row with the same key
            note = f"the same as in the row at position {table.row_numbers[latest[value]]}"
            yield _error("primary-key", table.row_numbers[i], note=note)
        latest[value] = i


def _foreign_keys(table: _Table, tables: dict[str, _Table]):
    for fk in schemas.schema(table.name).get("foreignKeys", []):
        fields, target = fk["fields"], fk["reference"]["resource"] or table.name
        ref_fields = fk["reference"]["fields"]
        if not set(fields) <= set(table.values) or target not in tables:
            continue  # frictionless skips a key whose columns are absent; a missing table is the structure's problem
        source = tables[target]
        if not set(ref_fields) <= set(source.values):
            continue
        known = set(zip(*(source.values[f].tolist() for f in ref_fields)))
        cells = zip(*(table.values[f].tolist() for f in fields))
        unknown = [(i, t) for i, t in enumerate(cells) if t not in known and any(v is not None for v in t)]
        for i, value in unknown:
            note = 'for "%s": values "%s" not found in the lookup table "%s" as "%s"' % (
                ", ".join(fields),
                ", ".join(str(v) for v in value),
                fk["reference"]["resource"],
                ", ".join(ref_fields),
            )
            yield _error(
                "foreign-key",
                table.row_numbers[i],
                note=note,
                field_names=list(fields),
                reference_name=fk["reference"]["resource"],
            )


def _error(kind: str, row_number: int, **attrs) -> SimpleNamespace:
    attrs.setdefault("field_name", None)
    attrs.setdefault("note", "")
    attrs.setdefault("cell", None)
    return SimpleNamespace(type=kind, row_number=row_number, message=attrs["note"], **attrs)
