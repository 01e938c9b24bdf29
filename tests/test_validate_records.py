"""validate/records.py: each column's distinct cells are the cells as Python compares them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kachestvo.validate.records import Records


def test_cells_that_differ_only_after_a_nul_are_distinct():
    # pandas' string hash table stops at a NUL: «\x00Альфа» and «» once shared a code, so a control character of one
    # row was reported at another (tests/test_hostile.py found it)
    records = Records("t.csv", [["a"], ["\x00Альфа"], [""], ["x\x00y"], ["x\x00z"], ["x"]])
    column = records.column(0)
    assert [column.distinct[c] for c in column.codes] == ["\x00Альфа", "", "x\x00y", "x\x00z", "x"]


@given(st.lists(st.lists(st.text(alphabet="a\x00б ", max_size=3), min_size=1, max_size=3), max_size=12))
def test_every_row_reads_back_its_own_cell(rows):
    records = Records("t.csv", [["h1", "h2", "h3"], *rows])
    for pos in range(records.width):
        column = records.column(pos)
        assert [column.distinct[c] for c in column.codes] == [r[pos] if pos < len(r) else None for r in rows]
