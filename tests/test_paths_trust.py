"""Issue 21, item 3: every path taken from a git tree or from municipality.csv is resolved and refused outside its
root; only http(s) and mailto links come from data."""

from __future__ import annotations

import subprocess

import pytest

from conftest import base_tables, write_project
from kachestvo import cli
from kachestvo.output.assemble import AssembleFailed, assemble
from kachestvo.paths import Project

GIT = ["git", "-c", "user.email=t@example.org", "-c", "user.name=Тест", "-c", "commit.gpgsign=false"]


def _git(root, *args, stdin=None) -> str:
    return subprocess.run([*GIT, *args], cwd=root, check=True, capture_output=True, text=True, input=stdin).stdout.strip()


def _crafted_commit(root) -> str:
    """A commit whose data/ tree holds «data/../../../escaped.txt» (git mktree accepts entries named «..»)."""
    blob = _git(root, "hash-object", "-w", "--stdin", stdin="PWNED\n")
    tree = _git(root, "mktree", stdin=f"100644 blob {blob}\tescaped.txt\n")
    for _ in range(3):
        tree = _git(root, "mktree", "--missing", stdin=f"040000 tree {tree}\t..\n")
    head_tree = _git(root, "rev-parse", "HEAD^{tree}")
    entries = [e for e in _git(root, "ls-tree", head_tree).splitlines() if not e.endswith("\tdata")]
    top = _git(root, "mktree", "--missing", stdin="\n".join(entries + [f"040000 tree {tree}\tdata"]) + "\n")
    return _git(root, "commit-tree", top, "-p", "HEAD", "-m", "дерево с ..")


def test_diff_refuses_a_tree_entry_leading_outside(tmp_path, capsys, monkeypatch):
    project = write_project(tmp_path / "work" / "p", base_tables())
    _git(project.root, "init", "-q")
    _git(project.root, "add", "-A")
    _git(project.root, "commit", "-qm", "база")
    commit = _crafted_commit(project.root)
    scratch = tmp_path / "scratch" / "a" / "b"
    scratch.mkdir(parents=True)
    monkeypatch.setenv("TMPDIR", str(scratch))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    assert cli.main(["diff", "--project", str(project.root), "--base", commit]) == 2
    err = capsys.readouterr().err
    assert "за пределы проекта" in err and "escaped.txt" in err
    assert not list(tmp_path.rglob("escaped.txt"))


def _built_region_input(root, municipality_id: str) -> Project:
    """A stand-in for a built project: site/index.html and data/municipality.csv are all assemble reads."""
    (root / "site").mkdir(parents=True)
    (root / "site" / "index.html").write_text("<p>сайт</p>", encoding="utf-8")
    (root / "data").mkdir()
    (root / "data" / "municipality.csv").write_text(
        f'municipality_id,name,region,as_of\n"{municipality_id}",Район,Область,2021-09-01\n', encoding="utf-8"
    )
    return Project.at(root)


@pytest.mark.parametrize("bad_id", ["../escaped", "javascript:alert(1)", "a/b", "..", "Район", ""])
def test_assemble_refuses_ids_that_are_not_slugs(tmp_path, bad_id):
    project = _built_region_input(tmp_path / "m", bad_id)
    out = tmp_path / "region" / "out"
    with pytest.raises(AssembleFailed, match="недопустим|нет строки"):
        assemble([project], out)
    assert not out.exists() and not (tmp_path / "region" / "escaped").exists()


def test_assemble_publishes_no_link_from_a_site(tmp_path):
    project = _built_region_input(tmp_path / "m", "rayon")
    (project.site / "passwd").symlink_to("/etc/passwd")
    out = tmp_path / "region"
    assemble([project], out)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="rayon/"' in index
    assert not (out / "rayon" / "passwd").exists() and (out / "rayon" / "index.html").exists()


def test_assemble_on_an_empty_municipality_file_is_a_message(tmp_path):
    project = _built_region_input(tmp_path / "m", "rayon")
    (project.data / "municipality.csv").write_text("", encoding="utf-8")
    with pytest.raises(AssembleFailed, match="нет строки"):
        assemble([project], tmp_path / "region")
