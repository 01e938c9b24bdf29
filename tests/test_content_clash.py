"""A content/ file or folder where the build writes a generated page: a Russian message, nothing published."""

from __future__ import annotations

import pytest

from conftest import base_tables, write_project
from kachestvo.build import BuildFailed, build
from kachestvo.output.stage import clashes

GENERATED = ["index.md", "shkoly/index.md", "shkoly/alpha.md", "programma/index.md", "assets/kachestvo.css"]


@pytest.mark.parametrize(
    "content, why",
    [
        ("shkoly/alpha.md", "создаётся из данных"),  # the same path
        ("shkoly", "папку shkoly/"),  # a file where a folder is generated
        ("assets", "папку assets/"),
        ("shkoly/alpha.md/notes.md", "папка content/shkoly/alpha.md"),  # a folder where a file is generated
        ("index.md/x.md", "папка content/index.md"),
        ("programma.md", "тот же адрес"),  # programma.md and programma/index.md are both /programma/
        ("shkoly/alpha/index.md", "тот же адрес"),
    ],
)
def test_each_kind_of_clash_is_named(content, why):
    found = clashes(GENERATED, [content])
    assert len(found) == 1 and found[0].startswith(f"content/{content} ") and why in found[0]


@pytest.mark.parametrize("content", ["documents/prikaz.pdf", "o-proekte.md", "shkoly-arhiv/index.md", "programma-2.md"])
def test_hand_written_pages_beside_generated_ones_pass(content):
    assert clashes(GENERATED, [content]) == []


def _make(project, kind: str):
    """A clash of content/ with the generated pages; returns what removes it again."""
    import shutil

    if kind == "file":
        (project.content / "shkoly").write_text("лишний файл", encoding="utf-8")
        return lambda: (project.content / "shkoly").unlink()
    if kind == "section":
        (project.content / "shkoly.md").write_text("# Школы\n", encoding="utf-8")
        return lambda: (project.content / "shkoly.md").unlink()
    (project.content / "shkoly" / "alpha.md").mkdir(parents=True)
    (project.content / "shkoly" / "alpha.md" / "x.md").write_text("# X\n", encoding="utf-8")
    return lambda: shutil.rmtree(project.content / "shkoly")


@pytest.mark.e2e
def test_build_refuses_a_clash_in_russian_and_keeps_the_site(tmp_path):
    """One site built; a file, a section page and a folder in turn clash with it: each build stops with a Russian
    message and leaves the published site byte for byte as it was; without the clash the build passes again."""
    project = write_project(tmp_path, base_tables())
    build(project, log=lambda *_: None)
    before = {p.relative_to(project.site): p.read_bytes() for p in project.site.rglob("*") if p.is_file()}
    for kind in ("file", "section", "folder"):
        undo = _make(project, kind)
        with pytest.raises(BuildFailed, match="content/shkoly.*Опубликованный ранее сайт не изменён"):
            build(project, log=lambda *_: None)
        after = {p.relative_to(project.site): p.read_bytes() for p in project.site.rglob("*") if p.is_file()}
        assert after == before, kind
        undo()
    build(project, log=lambda *_: None)  # nothing left over from the refused builds
    assert (project.site / "shkoly" / "alpha" / "index.html").is_file()
