"""Parity: the column-wise schema check reports exactly what frictionless reports, on hostile cells and rows.

(Every case of test_validate_corpus.py is a parity case too: its helper runs both.)
"""

from __future__ import annotations

import pytest

from conftest import base_tables, write_project
from kachestvo.validate import columns, schema, structure


def _both(project):
    shape = structure.check(project)
    ours = columns.check({name: shape.records[name] for name in shape.resources}, shape.lines)
    theirs = schema.check(project, shape.resources, shape.lines, shape.texts)
    return sorted(ours, key=_order), sorted(theirs, key=_order)


def _order(p):
    return (p.file, p.row or 0, p.field or "", p.code, p.message)


def _edit(project, table, old, new):
    path = project.data / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CASES = {
    "blank row": ("results", "\nalpha,ОГЭ,9,Математика,2020", "\n,,,,,,,,,,,\nalpha,ОГЭ,9,Математика,2020"),
    "empty line": ("results", "\nalpha,ОГЭ,9,Математика,2020", "\n\nalpha,ОГЭ,9,Математика,2020"),
    "short row": ("clusters", "selo,сельские школы", "selo"),
    "long row": ("clusters", "selo,сельские школы,,,", "selo,сельские школы,,,,лишнее,ещё"),
    "nan number": ("results", "3.5,", "NaN,"),
    "spaced integer": ("results", ",2019,", ", 2019 ,"),
    "underscore integer": ("results", ",2019,", ",2_019,"),
    "decimal with spaces and exponent": ("results", "3.5,", " 3.5e0 ,"),
    "integer below minimum": ("results", ",2019,", ",-5,"),
    "short date": ("activities", "2021-03-01", "2021-3-1"),
    "impossible date": ("activities", "2021-03-31", "2021-02-30"),
    "space is not blank": ("clusters", "selo,сельские школы", "selo, "),
    "enum with trailing space": ("results", "ОГЭ,9,Математика,2019", "ОГЭ ,9,Математика,2019"),
    "pattern": ("schools", "alpha,", "Alpha,"),
    "self foreign key": ("schools", ",alpha,", ",gamma,"),
}
# frictionless accepts these (Python's int and Decimal are lenient): so must we. Activity dates are partial dates
# (ГГГГ, ГГГГ-ММ, ГГГГ-ММ-ДД) checked by a pattern, so «2021-3-1» fails in both.
ACCEPTED = {"spaced integer", "underscore integer", "decimal with spaces and exponent", "space is not blank"}


@pytest.mark.parametrize("case", CASES)
def test_same_problems_as_frictionless(tmp_path, case):
    project = write_project(tmp_path, base_tables())
    _edit(project, *CASES[case])
    ours, theirs = _both(project)
    assert bool(theirs) != (case in ACCEPTED)
    assert ours == theirs


def test_repeated_and_blank_keys(tmp_path):
    tables = base_tables()
    tables["clusters"] += [dict(cluster_id="selo", name="ещё раз"), dict(cluster_id="selo", name="и ещё"), dict(name="без ключа")]
    ours, theirs = _both(write_project(tmp_path, tables))
    assert [p.code for p in theirs].count("primary-key") == 3
    assert ours == theirs


def test_empty_lookup_table(tmp_path):
    tables = base_tables()
    tables["partner_groups"] = []
    ours, theirs = _both(write_project(tmp_path, tables))
    assert [p.code for p in theirs] == ["foreign-key", "foreign-key"]
    assert ours == theirs


DESCRIPTORS = {
    "as written": lambda d: d,
    "name with a space": lambda d: dict(d, name="test package"),
    "upper-case name": lambda d: dict(d, name="Test"),
    "no name": lambda d: {k: v for k, v in d.items() if k != "name"},
    "title not text": lambda d: dict(d, title=["a"]),
    "licenses": lambda d: dict(d, licenses=[{"name": "CC-BY-4.0"}]),
    "bad licenses": lambda d: dict(d, licenses="CC-BY"),
    "resource with a dialect": lambda d: dict(
        d, resources=[dict(d["resources"][0], dialect={"delimiter": ";"})] + d["resources"][1:]
    ),
    "resource without a name": lambda d: dict(
        d, resources=[{k: v for k, v in d["resources"][0].items() if k != "name"}] + d["resources"][1:]
    ),
    "duplicate resource": lambda d: dict(d, resources=d["resources"] + d["resources"][:1]),
    "no resources": lambda d: dict(d, resources=[]),
}


@pytest.mark.parametrize("case", sorted(DESCRIPTORS))
def test_descriptor_judged_without_frictionless_only_when_frictionless_accepts_it(tmp_path, case):
    """The fast path (structure.plain) skips frictionless' descriptor check only for descriptors it accepts."""
    import json

    project = write_project(tmp_path, base_tables())
    descriptor = DESCRIPTORS[case](json.loads(project.datapackage.read_text(encoding="utf-8")))
    project.datapackage.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    if structure.plain(descriptor):
        assert schema.descriptor(project) == [], case
    else:
        assert case not in ("as written", "no name"), "kachestvo's own descriptors take the fast path"


def test_plain_descriptor_still_reports_a_bad_name(tmp_path):
    from kachestvo.validate import validate

    project = write_project(tmp_path, base_tables())
    text = project.datapackage.read_text(encoding="utf-8")
    project.datapackage.write_text(text.replace('"name": "test"', '"name": "Test Package"', 1), encoding="utf-8")
    assert "descriptor-invalid" in [p.code for p in validate(project)[1]]


# Errors of every kind frictionless reports, planted together in one package (table, old text, new text).
PLANTED = [
    ("results", ",2019,средняя", ",двадцать,средняя"),  # type error (integer)
    ("results", "3.8,", "три и восемь,"),  # type error (number)
    ("results", "alpha,ОГЭ,9,Математика,2020", "alpha,ОГЕ,9,Математика,2020"),  # enum constraint
    ("results", "\nalpha,ОГЭ,9,Математика,2021", "\n,,,,,,,,,,,\nalpha,ОГЭ,9,Математика,2021"),  # blank row
    ("clusters", "selo,сельские школы", "selo"),  # missing cells (and a required name)
    ("schools", ",selo", ",selo,лишнее"),  # extra cell
    ("schools", "alpha,", "Alpha,"),  # pattern, and foreign keys to it from other tables
]


def _frictionless_cli(project) -> set[tuple]:
    """What `frictionless validate` (the command a reader would run) reports, as (file, line, field, type)."""
    import json
    import subprocess
    import sys

    from kachestvo import csvfile

    done = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", "data/datapackage.json"],
        cwd=project.root,
        capture_output=True,
        text=True,
    )
    report = json.loads(done.stdout)
    assert not report["errors"], report["errors"]  # the package itself is readable: only cells are wrong
    out = set()
    for task in report["tasks"]:
        text = (project.data / f"{task['name']}.csv").read_text(encoding="utf-8")
        lines = csvfile.record_lines(text)
        for e in task["errors"]:
            field = e.get("fieldName") or (e.get("fieldNames") or [None])[0] or None
            out.add((f"data/{task['name']}.csv", csvfile.line_of(lines, e.get("rowNumber")), field, e["type"]))
    return out


SCHEMA_CODES = ("type-error", "primary-key", "foreign-key", "blank-row", "extra-cell", "missing-cell")


@pytest.mark.slow
def test_kachestvo_validate_reports_what_frictionless_validate_reports(tmp_path):
    """The whole `kachestvo validate` (fast path) against the `frictionless validate` command on one package with
    errors of every kind planted at once: the same set of (file, line, field, kind)."""
    from kachestvo.validate import validate

    project = write_project(tmp_path, base_tables())
    for planted in PLANTED:
        _edit(project, *planted)
    theirs = _frictionless_cli(project)
    _, problems = validate(project)
    ours = {
        (p.file, p.row, p.field or None, "constraint-error" if p.code.startswith("constraint-") else p.code)
        for p in problems
        if p.code in SCHEMA_CODES or p.code.startswith("constraint-")
    }
    # kachestvo's one documented merge: a blank row is one problem («пустая строка»), not also its empty key
    blank = {(file, line) for file, line, _, kind in theirs if kind == "blank-row"}
    theirs = {e for e in theirs if e[3] == "blank-row" or (e[0], e[1]) not in blank}
    kinds = {kind for *_, kind in theirs}
    assert kinds == {"type-error", "constraint-error", "blank-row", "missing-cell", "extra-cell", "foreign-key"}, kinds
    assert ours == theirs
