"""The `kachestvo` command line: `validate` in its three formats and the real projects (its docs: tests/test_docs.py)."""

from __future__ import annotations

import argparse
import ast
import json
import re
from pathlib import Path

import pytest

from conftest import PROJECTS, each_example
from kachestvo.cli import main, parser

ROOT = Path(__file__).resolve().parent.parent


def _break(project) -> None:
    """One known problem: a decimal comma in results (data/results.csv, line 2, column value)."""
    path = project.data / "results.csv"
    text = path.read_text(encoding="utf-8")
    assert "3.5," in text
    path.write_text(text.replace("3.5,", '"3,5",', 1), encoding="utf-8")


def test_validate_ok(mini, capsys, monkeypatch):
    monkeypatch.chdir(mini.root)
    assert main(["validate"]) == 0  # --project defaults to the current directory
    out = capsys.readouterr().out
    assert out.startswith("Данные в порядке")


def test_validate_broken_text(mini, capsys, monkeypatch):
    _break(mini)
    monkeypatch.chdir(mini.root)
    assert main(["validate"]) == 1
    lines = capsys.readouterr().out.splitlines()
    # the row by its key and the column by its Russian title, as a person finds them in the table
    assert lines[0].startswith(
        "«data/results.csv», строка 2 (school_id = alpha, assessment = ОГЭ, grade = 9, subject = Математика, "
        "year = 2019, metric = средняя оценка), столбец «Значение» (value): "
    )
    assert lines[-1].startswith("Найдено ошибок: 1.")


def test_validate_json(mini, capsys, monkeypatch):
    _break(mini)
    monkeypatch.chdir(mini.root.parent)
    assert main(["validate", "--project", mini.root.name, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    assert len(report["problems"]) == 1
    problem = report["problems"][0]
    assert {"file", "row", "field", "code", "message"} <= set(problem)
    assert (problem["file"], problem["row"], problem["field"], problem["code"]) == (
        f"{mini.root.name}/data/results.csv",
        2,
        "value",
        "type-error",
    )
    # the same problem in the same words as the text report, which names the bad value
    assert "«3,5»" in problem["message"]
    assert main(["validate", "--project", mini.root.name]) == 1
    text = capsys.readouterr().out.splitlines()[0]
    assert text.endswith(problem["message"]), (text, problem["message"])


def test_validate_json_valid(mini, capsys):
    assert main(["validate", "--project", str(mini.root), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"valid": True, "problems": []}


def test_validate_github(mini, capsys, monkeypatch):
    _break(mini)
    monkeypatch.chdir(mini.root.parent)
    assert main(["validate", "--project", str(mini.root), "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    prefix = (
        f"::error file={mini.root.name}/data/results.csv,line=2,title=Значение не того типа — «Значение» (value)::"
        "school_id = alpha, assessment = ОГЭ"
    )
    assert lines[0].startswith(prefix)
    # the annotation's message is the text report's message (a workflow command is one line: nothing to escape here)
    assert main(["validate", "--project", str(mini.root), "--format", "json"]) == 1
    message = json.loads(capsys.readouterr().out)["problems"][0]["message"]
    assert "\n" not in message and lines[0].endswith(message), (lines[0], message)


@pytest.mark.parametrize("name", each_example())
def test_real_projects_are_valid(name, capsys):
    path = PROJECTS[name]
    assert path.resolve().is_relative_to(ROOT)
    assert (path / "data" / "datapackage.json").is_file()
    code = main(["validate", "--project", str(path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Данные в порядке" in out


def test_every_example_folder_is_a_project_the_tests_pin():
    """PROJECTS keeps only folders with a data package: a folder that lost its descriptor would drop out silently."""
    folders = {p.name for p in (ROOT / "examples").iterdir() if p.is_dir()}
    assert folders == set(PROJECTS) == {"kotelnikovsky", "ilansky", "irbit", "tyazhinsky", "irkutsk"}


LIVE = {"data", "content", "site", "mkdocs.yml"}


def live_paths(source: str) -> list[int]:
    """Lines of a test module that make a path into the repository's own live site (ROOT / "data", Project.at(ROOT))."""
    tree = ast.parse(source)
    for node in tree.body:  # a module whose own ROOT is an example folder (ROOT = … / "examples" / name) is not in question
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["ROOT"]:
            if "examples" in ast.unparse(node.value):
                return []
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            left, right = node.left, node.right
            if isinstance(left, ast.Name) and left.id == "ROOT" and isinstance(right, ast.Constant) and right.value in LIVE:
                lines.append(node.lineno)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "at":
            if [a.id for a in node.args if isinstance(a, ast.Name)] == ["ROOT"]:
                lines.append(node.lineno)
    return sorted(lines)


def test_tests_never_read_the_live_site():
    found = {p.name: live_paths(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "tests").glob("*.py"))}
    assert {name: lines for name, lines in found.items() if lines} == {}


def test_live_path_finder_sees_each_way_in():
    assert live_paths('x = ROOT / "data" / "schools.csv"\ny = Project.at(ROOT)\nz = ROOT / "examples"\n') == [1, 2]
    assert live_paths('ROOT = HERE / "examples" / "irbit"\nx = ROOT / "data"\n') == []


def _subcommands() -> list[str]:
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


def test_subcommands_are_exactly_the_documented_ones():
    """The command reference has a section for each command the parser knows, and none for a command it does not
    (what each section says of the options: tests/test_docs.py)."""
    reference = (ROOT / "docs" / "src" / "reference" / "cli.md").read_text(encoding="utf-8")
    documented = re.findall(r"^## `kachestvo ([a-z-]+)`", reference, flags=re.M)
    assert len(documented) == len(set(documented)) and sorted(documented) == _subcommands()
    assert {"validate", "build", "serve", "diff", "audit", "import", "init", "assemble"} <= set(_subcommands())


@pytest.mark.parametrize("command", [[], *[[name] for name in _subcommands()]])
def test_help_and_errors_are_russian(command, capsys):
    with pytest.raises(SystemExit):
        main([*command, "--help"])
    out = capsys.readouterr().out
    assert "Использование:" in out and "показать эту справку" in out
    for english in ("usage:", "options:", "positional arguments", "show this help", "optional arguments"):
        assert english not in out
    with pytest.raises(SystemExit):
        main([*command, "--no-such-option"])
    err = capsys.readouterr().err
    assert "ошибка:" in err and "error:" not in err and "unrecognized" not in err and "required" not in err
