"""Issue 21, item 5: nothing from data printed by the CLI can start a GitHub workflow command, and annotations are
built with GitHub's documented escaping (ci_log)."""

from __future__ import annotations

import re
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import base_tables, write_project
from kachestvo import ci_log, cli
from kachestvo.validate.problems import Problem, format_github

EVIL = "Альфа\n::stop-commands::tok\r::add-mask::секрет\n  ::error::поддельная\n##[set-output name=x]y"
COMMAND = re.compile(r"^\s*::|##\[")


def _commands(text: str) -> list[str]:
    return [line for line in re.split(r"\r\n|\r|\n", text) if COMMAND.search(line)]


def _evil_project(tmp_path):
    tables = base_tables()
    tables["schools"][0]["short_name"] = EVIL
    tables["results"][0]["document_id"] = ""  # an unsourced figure: audit lists it with the school's name
    return write_project(tmp_path, tables)


def test_audit_prints_no_workflow_command(tmp_path, capsys):
    project = _evil_project(tmp_path)
    cli.main(["audit", "--project", str(project.root)])
    out = capsys.readouterr().out
    assert "stop-commands" in out and "add-mask" in out  # the text is shown, only neutralised
    assert _commands(out) == []


def test_diff_text_prints_no_workflow_command(tmp_path, capsys):
    project = write_project(tmp_path, base_tables())
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=Тест", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=project.root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project.root, check=True)
    subprocess.run([*git, "commit", "-qm", "база"], cwd=project.root, check=True)
    _evil_project(tmp_path)
    cli.main(["diff", "--project", str(project.root), "--base", "HEAD"])
    out = capsys.readouterr().out
    assert "add-mask" in out
    assert _commands(out) == []


def test_validate_text_prints_no_workflow_command(tmp_path, capsys):
    project = _evil_project(tmp_path)
    assert cli.main(["validate", "--project", str(project.root)]) == 1
    assert _commands(capsys.readouterr().out) == []


def test_github_annotations_use_the_documented_escaping():
    p = Problem("data/a,b:c.csv", 3, "short_name", "line-break", "сто%\r\nпроцентов\n::add-mask::x")
    [line] = format_github([p]).splitlines()
    assert line.startswith("::error file=data/a%2Cb%3Ac.csv,line=3,title=")
    assert line.endswith("::сто%25%0D%0Aпроцентов%0A::add-mask::x")
    assert ci_log.command("warning", "a\nb", file="x:y,z") == "::warning file=x%3Ay%2Cz::a%0Ab"


@given(st.text())
def test_safe_text_never_holds_a_command_line(text):
    shown = ci_log.safe(text)
    assert _commands(shown) == []
    # nothing is lost but the line breaks and the marks: the visible text stays readable
    assert len(shown.split("\n")) == len(ci_log.BREAKS.split(text))


@pytest.mark.parametrize("line", ["::add-mask::x", "   ::error::y", "\t::stop-commands::t", "a ##[warning]b"])
def test_each_command_form_is_neutralised(line):
    assert _commands(ci_log.safe(line)) == []


def test_build_prints_its_log_through_the_helper(tmp_path, capsys, monkeypatch):
    """Everything the build logs (warnings that quote data, the summary line) passes ci_log as the other commands do."""
    import kachestvo.build

    def build(project, log):
        log("предупреждение о строке\n::add-mask::секрет")

    monkeypatch.setattr(kachestvo.build, "build", build)
    project = write_project(tmp_path, base_tables())
    assert cli.main(["build", "--project", str(project.root)]) == 0
    out = capsys.readouterr().out
    assert "add-mask" in out and _commands(out) == []
