"""validate/text.py skips a table of codes and numbers whose whole file holds nothing unusual: every character it
would report in a cell is still found when it is there (the skip is decided on the whole text)."""

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
