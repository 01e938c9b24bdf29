"""Build cache: an unchanged rebuild regenerates nothing and publishes the same bytes; any input change rebuilds."""

from __future__ import annotations

import hashlib
import re
import shutil

import pytest

from conftest import base_tables, copy_project, write_project
from kachestvo import build as build_module
from kachestvo.build import build
from kachestvo.output import cache


def tree_hash(root) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A small project built once for the module (the tests leave its inputs as they found them)."""
    p = write_project(tmp_path_factory.mktemp("cached"), base_tables())
    (p.content / "index.md").write_text("Введение.\n", encoding="utf-8")
    build(p, log=lambda *_: None)
    return p


def test_unchanged_rebuild_generates_nothing_and_is_identical(project, monkeypatch):
    before = tree_hash(project.site)

    def refuse(_):
        raise AssertionError("unchanged inputs must not be validated or generated again")

    monkeypatch.setattr(build_module, "_generate", refuse)
    build(project, log=lambda *_: None)
    assert tree_hash(project.site) == before


def test_cached_output_equals_a_fresh_build(project):
    before = tree_hash(project.site)
    shutil.rmtree(project.cache)
    build(project, log=lambda *_: None)
    assert tree_hash(project.site) == before


def test_every_input_is_in_the_key(project, monkeypatch):
    key = cache.inputs_key(project)
    schools = project.data / "schools.csv"
    text = schools.read_text(encoding="utf-8")
    schools.write_text(text + "\n", encoding="utf-8")
    assert cache.inputs_key(project) != key
    schools.write_text(text, encoding="utf-8")
    stray = project.content / "new.md"
    stray.write_text("# Новая\n", encoding="utf-8")
    assert cache.inputs_key(project) != key
    stray.unlink()
    assert cache.inputs_key(project) == key
    monkeypatch.setattr(cache, "tool_fingerprint", lambda: "another version of the tool")
    assert cache.inputs_key(project) != key


def test_changed_data_is_rebuilt_and_published(project):
    path = project.data / "municipality.csv"
    old = path.read_text(encoding="utf-8")
    header, row = old.splitlines()[:2]
    name = row.split(",")[header.split(",").index("name")]
    path.write_text(old.replace(name, name + " (изменено)", 1), encoding="utf-8")
    try:
        build(project, log=lambda *_: None)
        assert name + " (изменено)" in (project.site / "index.html").read_text(encoding="utf-8")
    finally:
        path.write_text(old, encoding="utf-8")


def test_damaged_cache_is_not_used(project):
    key = cache.inputs_key(project)
    build(project, log=lambda *_: None)
    assert cache.load(project, key) is not None
    blob = project.cache / "build-files.bin"
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 1
    blob.write_bytes(bytes(data))
    assert cache.load(project, key) is None


def test_unchanged_build_dir_is_not_restaged_but_a_touched_one_is(project):
    build(project, log=lambda *_: None)
    page = project.build / "index.md"
    stamp = page.stat().st_mtime_ns
    build(project, log=lambda *_: None)
    assert page.stat().st_mtime_ns == stamp  # left as staged
    text = page.read_text(encoding="utf-8")
    page.write_text("# Подмена\n", encoding="utf-8")
    (project.build / "stray.md").write_text("# Лишнее\n", encoding="utf-8")
    build(project, log=lambda *_: None)
    assert page.read_text(encoding="utf-8") == text and not (project.build / "stray.md").exists()


@pytest.mark.slow  # two builds of ilansky and a fresh one
def test_one_changed_result_row_reuses_the_other_school_pages_and_equals_a_fresh_build(tmp_path):
    p = copy_project("ilansky", tmp_path / "p")
    build(p, log=lambda *_: None)
    school = p.site / "shkoly" / "ilanskaya-sosh-1" / "index.html"
    assert "74\u00a0%" not in school.read_text(encoding="utf-8")
    path = p.data / "results.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert ",0.73," in lines[1] and lines[1].startswith("ilanskaya-sosh-1,")
    path.write_text("".join([lines[0], lines[1].replace(",0.73,", ",0.74,")] + lines[2:]), encoding="utf-8")
    said = []
    build(p, log=said.append)
    reused = int(re.search(r"Страниц без изменений, взятых из прошлой сборки: (\d+)\.", said[-1]).group(1))
    assert reused > 14  # the other 14 school pages and the sections not made from results
    assert "74\u00a0%" in school.read_text(encoding="utf-8")
    incremental = tree_hash(p.site)
    shutil.rmtree(p.cache)
    build(p, log=lambda *_: None)
    assert tree_hash(p.site) == incremental


def test_staging_writes_only_what_changed_and_removes_what_is_gone(tmp_path, monkeypatch):
    from kachestvo.output import stage

    written = []
    write = stage._write
    monkeypatch.setattr(stage, "_write", lambda path, data: (written.append(path), write(path, data)))

    p = copy_project("ilansky", tmp_path / "p")
    (p.content / "documents").mkdir(parents=True, exist_ok=True)
    (p.content / "documents" / "extra.txt").write_text("Лишний файл\n", encoding="utf-8")
    files = {"a.md": "# А\n".encode(), "b/c.md": "# В\n".encode(), "gone/d.md": "# Г\n".encode(), "x.svg": b"<svg/>"}
    stage.stage(p, files, p.build, "k1")
    assert len(written) > 5  # the first staging writes everything
    written.clear()
    stage.stage(p, {"a.md": "# А\n".encode(), "b/c.md": "# В изменена\n".encode(), "x.svg": b"<svg/>"}, p.build, "k2")
    assert written == [p.build / "b" / "c.md"]  # the same bytes are left as they were
    assert (p.build / "b" / "c.md").read_text(encoding="utf-8") == "# В изменена\n"
    assert not (p.build / "gone").exists()
    (p.content / "documents" / "extra.txt").write_text("Изменён\n", encoding="utf-8")
    stage.stage(p, {"a.md": "# А\n".encode()}, p.build, "k3")
    assert (p.build / "documents" / "extra.txt").read_text(encoding="utf-8") == "Изменён\n"
    assert not (p.build / "x.svg").exists() and not (p.build / "b").exists()
    with pytest.raises(stage.ContentClash):  # a generated page with the path of a content/ file: nothing is touched
        stage.stage(p, {"documents/extra.txt": b"x"}, p.build, "k4")
    assert (p.build / "a.md").exists() and (p.build / "documents" / "extra.txt").read_text(encoding="utf-8") == "Изменён\n"
