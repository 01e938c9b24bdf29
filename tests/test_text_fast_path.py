"""validate/text.py looks at each distinct cell of a column once: every character it would report in a cell is
still found, and named at exactly the rows that hold it (a table of codes and numbers, one odd cell among many)."""

from __future__ import annotations

import pytest

from kachestvo.validate import text

HEADER = "school_id,assessment,grade,subject,year,metric,unit,value,value_missing,document_id,page,note\n"
ROW = "alpha,ОГЭ,9,Математика,2019,{},оценка,3.5,,otchet,,\n"  # the cell: metric, a one-line text


@pytest.mark.parametrize(
    "note, code",
    [
        ("а\x07б", "control-character"),
        ("а\u202eб", "bidi-character"),
        ("а\u200bб", "invisible-character"),
        ("а\u3164б", "invisible-character"),
        ('"а\nб"', "line-break"),
        ('"а\rб"', "control-character"),
        ("=1+1", "formula-prefix"),
    ],
)
def test_a_table_without_name_columns_still_reports_each_character(note, code):
    csv_text = HEADER + ROW.format("") * 50 + ROW.format(note) + ROW.format("") * 50
    found = list(text.table_problems("results", csv_text))
    assert code in {p.code for p in found} and {p.row for p in found} == {52}, [(p.row, p.code) for p in found]


def test_a_plain_table_of_codes_and_numbers_reports_nothing():
    assert list(text.table_problems("results", HEADER + ROW.format("средняя оценка") * 100)) == []


def test_a_repeated_odd_cell_is_named_at_every_row_that_holds_it():
    """One distinct cell judged once, its problem named at each of its rows, at that row's own line (a quoted line
    break in between moves the later rows' lines)."""
    moved = ROW.format('"а\nб"')
    csv_text = HEADER + ROW.format("=1") + ROW.format("") + moved + ROW.format("=1") + ROW.format("=1")
    found = [(p.row, p.code) for p in text.table_problems("results", csv_text)]
    assert sorted(found) == [(2, "formula-prefix"), (4, "line-break"), (6, "formula-prefix"), (7, "formula-prefix")]
