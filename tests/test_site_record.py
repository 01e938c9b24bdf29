"""The site in place: an unchanged rebuild runs nothing (not even MkDocs); every changed input publishes again."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from conftest import base_tables, write_project
from kachestvo import build as build_module
from kachestvo.build import build
from kachestvo.output import cache, site_record
from kachestvo.paths import Project


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Project:
    """A small project built once per module (each test works on a copy); the build's last line is kept."""
    p = write_project(tmp_path_factory.mktemp("built") / "p", base_tables())
    said: list[str] = []
    build(p, log=said.append)
    (p.root.parent / "first-build.txt").write_text(said[-1], encoding="utf-8")
    return p


class Copy(Project):
    published: list  # the arguments of each publish (MkDocs run) since the copy was made


@pytest.fixture
def project(built_once, tmp_path, monkeypatch) -> Copy:
    """A copy of the built project (files' times kept, so its site is in place) whose publishes are counted."""
    shutil.copytree(built_once.root, tmp_path / "p", symlinks=True)
    p = Copy(root=(tmp_path / "p").resolve())
    object.__setattr__(p, "published", [])
    publish = build_module.publish
    monkeypatch.setattr(build_module, "publish", lambda *a, **k: (p.published.append(a), publish(*a, **k)))
    return p


def rebuild(p: Project) -> list[str]:
    said: list[str] = []
    build(p, log=said.append)
    return said


def test_unchanged_inputs_run_neither_generation_nor_mkdocs(project, built_once, monkeypatch):
    monkeypatch.setattr(build_module, "_generate", lambda *_: pytest.fail("nothing may be generated"))
    said = rebuild(project)
    assert project.published == []
    # the counts the first build reported, read back from the record
    first = (built_once.root.parent / "first-build.txt").read_text(encoding="utf-8")
    pages, charts = re.search(r"страниц (\d+), графиков (\d+)", first).groups()
    assert int(pages) > 5
    assert "пересобирать нечего" in said[-1] and f"страниц {pages}, графиков {charts}" in said[-1], (first, said[-1])


def test_a_changed_template_publishes_again(project, tmp_path, monkeypatch):
    from kachestvo import paths

    package = tmp_path / "kachestvo"
    shutil.copytree(paths.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE_DIR", package)
    rebuild(project)
    assert project.published == []  # the same sources elsewhere: the same tool
    template = package / "templates" / "school.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    rebuild(project)
    assert len(project.published) == 1


def test_a_changed_library_version_publishes_again(project, monkeypatch):
    # a theme update changes the HTML MkDocs writes, though no page of ours changes
    real = site_record.library_versions()
    theme = next(v for v in real if "mkdocs_material-" in v)
    monkeypatch.setattr(site_record, "library_versions", lambda: [v for v in real if v != theme] + [theme + ".post1"])
    rebuild(project)
    assert len(project.published) == 1
    rebuild(project)
    assert len(project.published) == 1
    monkeypatch.setattr(site_record, "library_versions", lambda: real)
    rebuild(project)
    assert len(project.published) == 2


def test_a_changed_content_file_publishes_it(project):
    intro = project.content / "index.md"  # the home page's introduction
    intro.write_text("Добавленный абзац для проверки.\n", encoding="utf-8")
    rebuild(project)
    assert len(project.published) == 1
    assert "Добавленный абзац для проверки." in (project.site / "index.html").read_text(encoding="utf-8")
    page = project.content / "metodika.md"  # a hand-written page
    page.write_text("# Методика\n\nПервая редакция.\n", encoding="utf-8")
    rebuild(project)
    page.write_text("# Методика\n\nВторая редакция.\n", encoding="utf-8")
    rebuild(project)
    assert len(project.published) == 3
    assert "Вторая редакция." in (project.site / "metodika" / "index.html").read_text(encoding="utf-8")


def test_a_changed_mkdocs_yml_publishes_again(project):
    yml = project.mkdocs_yml.read_text(encoding="utf-8")
    project.mkdocs_yml.write_text(yml.replace("primary: indigo", "primary: teal", 1), encoding="utf-8")
    rebuild(project)
    assert len(project.published) == 1
    assert "teal" in (project.site / "index.html").read_text(encoding="utf-8")


def test_a_hook_named_in_mkdocs_yml_is_an_input(project):
    """A hook runs only when the project allows code (issue 21); then editing the hook publishes again."""
    descriptor = json.loads(project.datapackage.read_text(encoding="utf-8"))
    descriptor["kachestvo"] = {**descriptor.get("kachestvo", {}), "allow_code": True}
    project.datapackage.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    hook = project.root / "hooks.py"
    hook.write_text("def on_config(config):\n    return config\n", encoding="utf-8")
    yml = project.mkdocs_yml.read_text(encoding="utf-8")
    project.mkdocs_yml.write_text(yml + "\nhooks:\n  - hooks.py\n", encoding="utf-8")
    rebuild(project)
    assert len(project.published) == 1
    hook.write_text("def on_config(config):\n    config['site_author'] = 'x'\n    return config\n", encoding="utf-8")
    rebuild(project)
    assert len(project.published) == 2


@pytest.mark.parametrize(
    "how",
    [
        "edited",
        "site removed",
        *(pytest.param(how, marks=pytest.mark.slow) for how in ("deleted", "added", "generated configuration edited")),
    ],
)
def test_a_site_changed_by_hand_is_published_again(project, how):
    index = project.site / "index.html"
    before = index.read_bytes()
    if how == "edited":
        index.write_bytes(before.replace(b"</body>", b"<p>hand</p></body>"))
    elif how == "deleted":
        index.unlink()
    elif how == "added":
        (project.site / "stray.html").write_text("<p>stray</p>", encoding="utf-8")
    elif how == "site removed":
        shutil.rmtree(project.site)
    else:
        generated = project.root / ".kachestvo-mkdocs.yml"
        generated.write_text(generated.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    rebuild(project)
    assert len(project.published) == 1
    assert index.read_bytes() == before and not (project.site / "stray.html").exists()
    rebuild(project)
    assert len(project.published) == 1


def test_an_interrupted_publish_is_not_trusted(project, monkeypatch):
    publish = build_module.publish

    def interrupted(*_):
        raise KeyboardInterrupt  # MkDocs stopped half way: whatever site/ holds now, nobody recorded it

    monkeypatch.setattr(build_module, "publish", interrupted)
    intro = project.content / "index.md"
    intro.write_text("Введение.\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        build(project, log=lambda *_: None)
    assert not (project.cache / "site.json").exists()
    intro.unlink()  # back to the inputs the site was published from
    published = []
    monkeypatch.setattr(build_module, "publish", lambda *a, **k: (published.append(a), publish(*a, **k)))
    rebuild(project)
    assert len(published) == 1
    rebuild(project)
    assert len(published) == 1


def git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_a_new_commit_that_changes_nothing_else_shows_in_the_footer(project):
    git(project.root, "init", "-q")
    git(project.root, "-c", "user.name=t", "-c", "user.email=t@t", "add", "data", "content", "mkdocs.yml")
    git(project.root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "data")

    def head():
        done = subprocess.run(["git", "rev-parse", "--short=7", "HEAD"], cwd=project.root, capture_output=True, text=True)
        return done.stdout.strip()

    rebuild(project)
    first = head()
    assert f"<code>{first}</code>" in (project.site / "index.html").read_text(encoding="utf-8")
    rebuild(project)
    published = len(project.published)
    git(project.root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "nothing")
    rebuild(project)
    assert len(project.published) == published + 1
    page = (project.site / "index.html").read_text(encoding="utf-8")
    assert f"<code>{head()}</code>" in page and f"<code>{first}</code>" not in page


def test_library_versions_read_the_import_path_without_importing():
    versions = site_record.library_versions()
    assert any("mkdocs_material-" in v for v in versions) and any(":mkdocs-" in v for v in versions)
