"""The rule registry: `@check` registers a business rule, `problem` makes a Problem at a row of a table.

Rule modules import this module (never the package), and the package imports the rule modules by an explicit
list, so registration has no import cycle.
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
