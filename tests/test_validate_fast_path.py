"""The fast schema path (validate/records.py, validate/columns.py, validate/numbers.py) against its references:
frictionless on generated tables, and the plain row-by-row definitions of a blank record and of a number's writing."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import base_tables, write_project
from kachestvo import csvfile, schemas
from kachestvo.limits import Limits, check_csv_text
from kachestvo.validate import columns, numbers, schema, structure
from kachestvo.validate.records import Records

# Cells that type, fail to type, repeat keys, break constraints or name unknown rows, as staff files hold them
SCHOOL_IDS = ["alpha", "beta", "gamma", "", " alpha", "Alpha"]
YEARS = ["2019", "2020", " 2020", "2_020", "２０２０", "20.5", "", "-5", "NaN"]
VALUES = ["3.5", "3,5", "", "7", "NaN", "1e1", " 4 ", "abc", "４.5", "Infinity"]
ASSESSMENTS = ["ОГЭ", "ЕГЭ ", "", "огэ"]
RESULT = st.fixed_dictionaries(
    {
        "school_id": st.sampled_from(SCHOOL_IDS),
        "assessment": st.sampled_from(ASSESSMENTS),
        "grade": st.sampled_from(["9", "", "x"]),
        "subject": st.sampled_from(["Математика", ""]),
        "year": st.sampled_from(YEARS),
        "metric": st.sampled_from(["средняя оценка"]),
        "unit": st.sampled_from(["оценка", ""]),
        "value": st.sampled_from(VALUES),
        "document_id": st.sampled_from(["prikaz-1", "", "net"]),
    }
)
# a record as it may stand in the file: whole, cut short, with cells beyond the header, empty
SHAPE = st.sampled_from(["whole", "whole", "whole", "short", "long", "empty", "blank"])


def _results_text(rows: list[dict], shapes: list[str]) -> str:
    fields = schemas.field_names("results")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(fields)
    for row, shape in zip(rows, shapes):
        cells = [row.get(f, "") for f in fields]
        if shape == "short":
            cells = cells[:4]
        elif shape == "long":
            cells = cells + ["лишнее"]
        elif shape == "blank":
            cells = [" "] * len(fields)
        out.write("\n" if shape == "empty" else "")
        if shape != "empty":
            w.writerow(cells)
    return out.getvalue()


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(RESULT, SHAPE), min_size=1, max_size=12))
def test_generated_tables_get_the_problems_frictionless_reports(tmp_path_factory, rows):
    """Any mix of typed, mistyped, repeated, unknown, short, long and blank rows: the fast path reports exactly the
    problems frictionless reports (type, constraint, primary and foreign key, cell count, blank row), same rows."""
    project = write_project(tmp_path_factory.mktemp("p"), base_tables())
    (project.data / "results.csv").write_text(_results_text(*map(list, zip(*rows))), encoding="utf-8")
    shape = structure.check(project)
    ours = columns.check({name: shape.records[name] for name in shape.resources}, shape.lines)
    theirs = schema.check(project, shape.resources, shape.lines, shape.texts)
    assert sorted(ours, key=_order) == sorted(theirs, key=_order)


def _order(p):
    return (p.file, p.row or 0, p.field or "", p.code, p.message)


def test_repeated_keys_name_the_latest_earlier_row(tmp_path):
    """Three rows with one key (one of them written « 2019», the same integer): the second names the first, the
    third the second; a row whose key is all empty is that problem, never a repeat of another empty key."""
    tables = base_tables()
    first = dict(tables["results"][0])
    empty = dict(unit="оценка", value="3.5")
    tables["results"] += [dict(first), dict(first, year=" 2019 "), empty, dict(empty)]
    project = write_project(tmp_path, tables)
    shape = structure.check(project)
    ours = columns.check({name: shape.records[name] for name in shape.resources}, shape.lines)
    repeats = sorted((p.row, p.message) for p in ours if p.code == "primary-key")
    assert [row for row, _ in repeats] == [5, 6, 7, 8]
    assert "(строка 2)" in repeats[0][1] and "(строка 5)" in repeats[1][1]
    assert not any("(строка" in message for _, message in repeats[2:])  # all-empty keys: no earlier row named
    theirs = schema.check(project, shape.resources, shape.lines, shape.texts)
    assert sorted(ours, key=_order) == sorted(theirs, key=_order)


RECORDS = st.lists(st.lists(st.sampled_from(["", " ", "\t", "a", " b ", "\u00a0", "0"]), max_size=4), max_size=8)


@given(records=RECORDS)
def test_a_blank_record_is_one_whose_cells_hold_only_whitespace(records):
    """Records.blank (per distinct cell of each column) against the definition, record by record."""
    blank, trailing = Records("t", records).blank()
    assert blank == {i for i, r in enumerate(records, 1) if not any(c.strip() for c in r)}
    n, expected = len(records), set()
    while n > 1 and records[n - 1] == []:
        expected.add(n)
        n -= 1
    assert trailing == expected


def test_a_number_written_oddly_is_named_in_every_row_that_holds_it(mini):
    """numbers.py judges each distinct cell once, then names every row holding it, at that row's line; a cell
    spanning two lines moves the following rows' lines, and the problem follows."""
    text = (mini.data / "results.csv").read_text(encoding="utf-8")
    rows = text.splitlines()
    odd = rows[1].replace(",2019,", ",2_019,")
    other = rows[1].replace(",2019,", ",2_019,").replace("Математика", '"Мате\nматика"')
    (mini.data / "results.csv").write_text("\n".join([rows[0], odd, rows[2], other, odd]) + "\n", encoding="utf-8")
    shape = structure.check(mini)
    found = numbers.check(shape.records, shape.lines)
    assert [(p.row, p.field, p.value) for p in found] == [(2, "year", "2_019"), (4, "year", "2_019"), (6, "year", "2_019")]


@given(text=st.text(alphabet='ab,"\n\r ', max_size=40))
def test_the_limits_pass_returns_the_records_and_lines_the_csv_module_reads(text):
    """check_csv_text's records and line starts are csv.reader's records and csvfile.record_lines, with or without
    quoted cells spanning lines and with any mix of line endings."""
    records, starts = check_csv_text(text, "data/results.csv", Limits())
    assert records == list(csv.reader(io.StringIO(text, newline="")))
    assert starts == list(csvfile.record_lines(text))
