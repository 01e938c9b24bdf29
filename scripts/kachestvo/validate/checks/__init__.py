"""Business rules a Table Schema cannot express: one small function each, all run, every problem kept.

Each check takes the leniently typed Dataset and yields Problems; `run` collects them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pandas as pd

from kachestvo.dataset import LINE, Dataset
from kachestvo.validate.problems import Problem

CHECKS: list[Callable[[Dataset], Iterator[Problem]]] = []


def check(fn):
    """Register a rule."""
    CHECKS.append(fn)
    return fn


def problem(table: str, row, field: str | None, code: str, message: str, value=None) -> Problem:
    """A problem at a row of a table (row: a record with its CSV line in `_line`, or None for the file)."""
    line = None if row is None or pd.isna(row[LINE]) else int(row[LINE])
    return Problem(f"data/{table}.csv", line, field, code, message, None if value is None else str(value))


def run(ds: Dataset) -> list[Problem]:
    return [p for fn in CHECKS for p in fn(ds)]


from . import activities, as_of, documents, personal, privacy, programme, reserved, results, schools  # noqa: E402,F401  (registration)
