"""`kachestvo init`: a new municipality's project that validates and builds at once and after each table is filled."""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest
import yaml

from conftest import PROJECTS
from kachestvo import schemas
from kachestvo.build import build
from kachestvo.cli import main
from kachestvo.init import SKELETON, InitFailed, init, version
from kachestvo.pages import registry
from kachestvo.paths import Project
from kachestvo.validate import validate


def _fk_order(names: list[str]) -> list[str]:
    """Tables in an order where every foreign key points at a table already filled."""
    done: list[str] = []
    while len(done) < len(names):
        for name in names:
            refs = {fk["reference"]["resource"] or name for fk in schemas.schema(name).get("foreignKeys", [])}
            if name not in done and refs <= set(done) | {name}:
                done.append(name)
    return done


def test_init_writes_a_standalone_project(tmp_path):
    target = tmp_path / "novyj"
    init(target)
    for rel in (
        "data/datapackage.json",
        "content/index.md",
        "mkdocs.yml",
        ".gitignore",
        "README.md",
        ".github/workflows/pull-request.yml",
        ".github/workflows/publish.yml",
    ):
        assert (target / rel).is_file(), rel
    for name in schemas.table_names():
        header = (target / "data" / f"{name}.csv").read_text(encoding="utf-8").splitlines()
        assert header == [",".join(schemas.field_names(name))]
        assert (target / "data" / "schemas" / f"{name}.json").read_text(encoding="utf-8") == schemas.canonical_text(name)
    assert "INHERIT" not in (target / "mkdocs.yml").read_text(encoding="utf-8")
    for wf in ("pull-request.yml", "publish.yml"):
        text = (target / ".github" / "workflows" / wf).read_text(encoding="utf-8")
        assert "python -m pip install --require-hashes -r tool/requirements.txt" in text
        assert "kachestvo validate" in text or "kachestvo build" in text
        yaml.safe_load(text)
    readme = (target / "README.md").read_text(encoding="utf-8")
    assert "kachestvo import" in readme and "kachestvo validate" in readme and "__KACHESTVO" not in readme
    assert (
        f"kachestvo-{version()}-py3-none-any.whl" in readme
        and (target / "tool" / f"kachestvo-{version()}-py3-none-any.whl").is_file()
    )


def test_init_workflows_pass_zizmor_offline(tmp_path):
    """The workflows every municipality gets: pinned actions, least privilege, no persisted credentials."""
    zizmor = shutil.which("zizmor")
    if zizmor is None:
        pytest.skip("zizmor is not installed (pip install '.[test]')")
    init(tmp_path / "p")
    done = subprocess.run([zizmor, "--offline", str(tmp_path / "p" / ".github" / "workflows")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_examples_use_the_skeleton_configuration():
    """One place for the MkDocs configuration: every example carries the one `init` writes."""
    expected = (SKELETON / "mkdocs.yml").read_text(encoding="utf-8")
    for name, path in PROJECTS.items():
        assert (path / "mkdocs.yml").read_text(encoding="utf-8") == expected, name


def test_init_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InitFailed, match="не пуста"):
        init(tmp_path)


def test_init_cli_with_municipality_and_incomplete_options(tmp_path, capsys):
    args = [
        "init",
        str(tmp_path / "a"),
        "--id",
        "novyj",
        "--name",
        "Новый район",
        "--region",
        "Область",
        "--authority",
        "Управление образования",
    ]
    assert main(args) == 0
    rows = list(csv.DictReader((tmp_path / "a" / "data" / "municipality.csv").open(encoding="utf-8")))
    assert rows[0]["name"] == "Новый район" and rows[0]["as_of"]
    assert main(["init", str(tmp_path / "b"), "--name", "Только название"]) == 2
    assert "--id" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.e2e
def test_new_project_builds_right_away_and_after_each_table(tmp_path):
    """Sections without data are omitted; filling the tables one by one (in foreign-key order) keeps it buildable."""
    project = Project.at(tmp_path / "novyj")
    init(project.root)
    build(project, log=lambda *_: None)
    assert (project.site / "index.html").is_file()
    assert not (project.site / "shkoly").exists()
    src = PROJECTS["irbit"]
    shutil.copytree(src / "content" / "documents", project.content / "documents", dirs_exist_ok=True)
    filled = [n for n in _fk_order(list(schemas.table_names())) if (src / "data" / f"{n}.csv").is_file()]
    sections = {s.slug for s in registry.published(validate(project)[0])}
    for name in filled:
        shutil.copy(src / "data" / f"{name}.csv", project.data / f"{name}.csv")
        ds, problems = validate(project)
        assert problems == [], (name, problems[:3])
        now = {s.slug for s in registry.published(ds)}
        if now != sections or name == filled[-1]:  # a build per table that brings a section (they cost seconds)
            build(project, log=lambda *_: None)
            assert all((project.site / slug / "index.html").is_file() for slug in now), name
            sections = now
    assert (project.site / "shkoly" / "index.html").is_file()
