"""A CSV text parsed once for every validation step: its records, and each column's distinct cells with codes.

The structure check reads each file's records while it counts them against the limits (`limits.check_csv_text`);
the fast schema check (`columns.py`), the number and character checks read those records, not the text (the
reference path through frictionless, and finding a problem's row, read the text again). A column is the cells at one
position of the data records (None past a short record's end); its distinct cells are found once
(`distinct.factorize`), so a rule that depends only on the cell runs once per distinct cell, not once per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter

import numpy as np

from kachestvo.distinct import factorize


@dataclass(frozen=True)
class Column:
    """The cells at one position: `codes[i]` is row i's index into `distinct`, whose last entry is None (no cell)."""

    codes: np.ndarray
    distinct: list

    def spread(self, answers: list, dtype=bool) -> np.ndarray:
        """A per-distinct-cell answer (one per entry of `distinct`) as one per row."""
        return np.array(answers, dtype=dtype)[self.codes]


@dataclass
class Records:
    """A CSV's records as csv.reader reads them (the header first)."""

    name: str
    records: list[list[str]]
    _columns: dict[int, Column] = field(default_factory=dict, repr=False)

    @property
    def labels(self) -> list[str]:
        return self.records[0] if self.records else []

    @cached_property
    def rows(self) -> list[list[str]]:
        return self.records[1:]

    @cached_property
    def lengths(self) -> np.ndarray:
        """Each data record's number of cells."""
        return np.fromiter(map(len, self.rows), dtype=np.int64, count=len(self.rows))

    @cached_property
    def width(self) -> int:
        """The longest data record's number of cells (0 without any)."""
        return int(self.lengths.max()) if len(self.lengths) else 0

    def blank(self) -> tuple[set[int], set[int]]:
        """Record positions (header = 1) without content, and the empty lines that end the file (the reader skips those;
        a row of empty cells such as «,,,,» would become an empty row, so it is reported wherever it is). A record is
        blank when no cell holds more than whitespace, judged once per distinct cell of each column."""
        blank = np.ones(len(self.rows), dtype=bool)
        for pos in range(self.width):
            column = self.column(pos)
            blank &= column.spread([cell is None or not cell.strip() for cell in column.distinct])
        out = {i + 2 for i in np.flatnonzero(blank).tolist()}
        if self.records and not "".join(self.labels).strip():
            out.add(1)  # the header, as a record
        trailing, n = set(), len(self.records)
        while n > 1 and self.records[n - 1] == []:
            trailing.add(n)
            n -= 1
        return out, trailing

    def column(self, pos: int) -> Column:
        """The cells at position `pos` (None where a record does not reach it)."""
        if pos not in self._columns:
            rows = self.rows
            if len(self.lengths) and self.lengths.min() > pos:  # the usual case: every record has the cell
                cells = list(map(itemgetter(pos), rows))
            else:
                cells = [r[pos] if pos < len(r) else None for r in rows]
            codes, distinct = factorize(cells)  # None → code -1 → the appended None
            self._columns[pos] = Column(codes, distinct + [None])
        return self._columns[pos]


def blank_of(records: list[list[str]]) -> tuple[set[int], set[int]]:
    """`Records.blank` of records already parsed (csv.reader's lists, the header first)."""
    return Records("", records).blank()
