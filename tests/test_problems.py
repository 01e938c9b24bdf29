"""The problem catalogue covers every code the code can emit; every format names the row's key; the job summary lists all."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from conftest import ROOT, base_tables, write_project
from kachestvo import schemas
from kachestvo.cli import main
from kachestvo.validate import schema as schema_check
from kachestvo.validate import structure
from kachestvo.validate.catalogue import CATALOGUE, FATAL
from kachestvo.validate.problems import Problem

PACKAGE = ROOT / "scripts" / "kachestvo"
CODE = re.compile(r"^[a-z]+(-[a-zA-Z0-9]+)*$")


def _emitted_codes() -> set[str]:
    """Every literal code: 4th argument of Problem()/problem()/make(), and (code, message) pairs in csvfile."""
    codes = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("Problem", "problem", "make"):
                if len(node.args) >= 4 and isinstance(node.args[3], ast.Constant):
                    codes.add(node.args[3].value)
            if path.name == "csvfile.py" and isinstance(node, ast.Tuple) and len(node.elts) == 2:
                first = node.elts[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str) and CODE.match(first.value):
                    codes.add(first.value)
    return codes


def test_every_emitted_code_is_in_the_catalogue():
    codes = _emitted_codes()
    assert len(codes) > 30  # the scan really finds the emitters
    assert codes - set(CATALOGUE) == set()
    # codes made from frictionless' errors: each one it can produce maps to the catalogue
    assert {k for k in schema_check._MESSAGES if k != "constraint-error"} <= set(CATALOGUE)


def test_catalogue_entries_say_what_to_do():
    for code, kind in CATALOGUE.items():
        assert CODE.match(code), code
        assert kind.severity in ("error", "warning")
        assert kind.title and kind.todo.endswith((".", "»")), code


def test_fatal_set_comes_from_the_catalogue():
    assert structure.FATAL is FATAL
    assert {"excel-bom", "encoding-error", "delimiter", "missing-file"} <= FATAL


def test_severity_comes_from_the_catalogue():
    assert Problem("data/x.csv", 2, None, "type-error", "…", severity="warning").severity == "error"


def _fifteen_problems(tmp_path) -> Path:
    tables = base_tables()
    for i in range(15):
        tables["clusters"].append(dict(cluster_id=f"Кластер {i}", name=f"к{i}"))  # a Cyrillic id breaks the pattern
    project = write_project(tmp_path / "p", tables)
    return project.root


def test_job_summary_lists_all_problems(tmp_path, capsys, monkeypatch):
    root = _fifteen_problems(tmp_path)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.chdir(root)

    assert main(["validate", "--format", "github"]) == 1

    annotations = capsys.readouterr().out.splitlines()
    assert len(annotations) == 15
    table = [line for line in summary.read_text(encoding="utf-8").splitlines() if line.startswith("| ") and "data/" in line]
    assert len(table) == 15
    for i, line in enumerate(table):
        assert f"cluster_id = Кластер {i}" in line
        assert "Идентификатор кластера (cluster_id)" in line
    assert all(f"cluster_id = Кластер {i}" in annotations[i] for i in range(15))


def test_every_format_names_the_row_key(tmp_path, capsys, monkeypatch):
    root = _fifteen_problems(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    for fmt in ("text", "github"):
        main(["validate", "--project", str(root), "--format", fmt])
        lines = [line for line in capsys.readouterr().out.splitlines() if "clusters.csv" in line]
        assert len(lines) == 15 and all("cluster_id = Кластер " in line for line in lines), fmt
    main(["validate", "--project", str(root), "--format", "json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [p["row_key"] for p in problems] == [f"cluster_id = Кластер {i}" for i in range(15)]
    assert {p["column"] for p in problems} == {"Идентификатор кластера"}
    assert all(p["row_key"] in p["where"] and "«Идентификатор кластера»" in p["where"] for p in problems)


def test_summary_cells_cannot_break_the_table(tmp_path):
    from kachestvo.validate.problems import format_summary

    p = Problem("data/x.csv", 2, "name", "type-error", "плохо | очень\nплохо", value="<b>|</b>")
    row = format_summary([p]).splitlines()[-1]
    assert row.count(" | ") == 6 and "<b>" not in row and "\n" not in row


def test_trailing_blank_lines_are_not_duplicate_keys(mini):
    from kachestvo.validate import validate

    path = mini.data / "schools.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    assert validate(mini)[1] == []
    empty_cells = "," * (len(schemas.field_names("schools")) - 1)
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n{empty_cells}\n\n", encoding="utf-8")
    assert [p.key for p in validate(mini)[1]] == [("data/schools.csv", 4, None, "blank-row")]


def test_blank_line_in_the_middle_keeps_line_numbers_right(mini):
    """pandas skips empty lines: the rows it reads still point at their own file lines."""
    from kachestvo.validate import validate

    path = mini.data / "activities.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], ""] + lines[1:]).replace("alpha-01,alpha,", "alpha-01,,") + "\n", encoding="utf-8")
    keys = [p.key for p in validate(mini)[1]]
    assert ("data/activities.csv", 3, "school_id", "school-required") in keys


def test_impossible_date_gets_no_impossible_fix(mini):
    from kachestvo.validate import validate

    path = mini.data / "activities.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2021-03-31", "31.02.2024"), encoding="utf-8")
    (problem,) = validate(mini)[1]
    assert "2024-02-31" not in problem.message and "Такой даты нет" in problem.message
    assert problem.row_key == "activity_id = alpha-01" and problem.column == "Окончание"


def test_line_breaks_in_cells_give_the_excel_row_too(tmp_path):
    from kachestvo.validate import validate

    tables = base_tables()
    tables["activities"].insert(
        0, dict(activity_id="alpha-00", school_id="alpha", level="школьный", order="1", title="Курсы", result="а\nб\nв")
    )
    tables["activities"][1]["school_id"] = "nope"
    (problem,) = validate(write_project(tmp_path, tables))[1]
    assert (problem.row, problem.record, problem.row_key) == (5, 3, "activity_id = alpha-01")
    from kachestvo.validate.problems import format_text

    assert "строка 5 (activity_id = alpha-01; в Excel — строка 3), столбец «Школа» (school_id)" in format_text([problem])
