"""MkDocs' pages reused from the previous build (output/mkdocs_reuse.py) are exactly what MkDocs makes afresh.

The oracle: after each kind of change, the site built with the reuse cache of the previous build equals, file by
file and byte by byte, the site built from the same inputs with no reuse cache at all. Each case also counts what
was reused, so a reuse that silently does nothing (or reuses what changed) fails too.
"""

from __future__ import annotations

import filecmp
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import base_tables, write_project
from kachestvo.build import BuildFailed, build
from kachestvo.output import mkdocs_reuse
from kachestvo.output.publish import REUSE
from kachestvo.paths import Project


@pytest.fixture
def counted(monkeypatch) -> list[dict]:
    """What each MkDocs run reused: {"render": n, "page": n}, one dict per successful run."""
    runs: list[dict] = []
    commit = mkdocs_reuse.Site.commit

    def record(self):
        runs.append(dict(self.reused))
        commit(self)

    monkeypatch.setattr(mkdocs_reuse.Site, "commit", record)
    return runs


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root, check=True, capture_output=True)


def files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def same_as_fresh(p: Project, tmp_path: Path) -> None:
    """The site in place equals the site MkDocs makes from the same inputs without any reuse cache."""
    reused = tmp_path / "reused-site"
    shutil.rmtree(reused, ignore_errors=True)
    shutil.copytree(p.site, reused)
    shutil.rmtree(p.cache / REUSE)
    (p.cache / "site.json").unlink()  # the site in place is forgotten: MkDocs runs again
    build(p, log=lambda *_: None)
    assert files(p.site) == files(reused)
    _, differ, errors = filecmp.cmpfiles(p.site, reused, files(p.site), shallow=False)
    assert differ == [] and errors == [], differ[:10]


def pages(p: Project) -> int:
    return len(list(p.site.rglob("*.html"))) - 1  # 404.html is a theme template, not a page


@pytest.fixture
def project(tmp_path) -> Project:
    p = write_project(tmp_path / "p", base_tables())
    git(p.root, "init", "-q")
    git(p.root, "add", "-A")
    git(p.root, "commit", "-q", "-m", "data")
    build(p, log=lambda *_: None)
    return p


def test_the_wrappers_change_no_byte_of_what_mkdocs_makes(project, tmp_path, monkeypatch):
    """While reuse wraps MkDocs' steps it also lets go of each page's Markdown and HTML once they are used: the site
    equals the one MkDocs makes unwrapped (titles, navigation and search included)."""
    wrapped = tmp_path / "wrapped"
    shutil.copytree(project.site, wrapped)
    monkeypatch.setattr(mkdocs_reuse, "supported", lambda config: False)
    (project.cache / "site.json").unlink()  # the site in place is forgotten: MkDocs runs again, unwrapped
    build(project, log=lambda *_: None)
    assert files(project.site) == files(wrapped)
    _, differ, errors = filecmp.cmpfiles(project.site, wrapped, files(wrapped), shallow=False)
    assert differ == [] and errors == [], differ[:10]


def test_one_changed_row_reuses_every_other_page_and_equals_a_fresh_build(project, counted, tmp_path):
    path = project.data / "results.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[1].startswith("alpha,") and ",3.5," in lines[1]
    lines[1] = lines[1].replace(",3.5,", ",3.6,")
    path.write_text("".join(lines), encoding="utf-8")
    said: list[str] = []
    build(project, log=said.append)
    total = pages(project)
    assert f"Страниц, которые MkDocs взял из прошлой сборки: {counted[-1]['page']}." in said[-1]
    assert 0 < counted[-1]["page"] < total  # the school's page and the summaries are made again, the rest reused
    # a changed chart has a new file name; pages that do not link to it keep their Markdown render
    assert counted[-1]["render"] >= counted[-1]["page"]
    same_as_fresh(project, tmp_path)
    assert counted[-1] == {"render": 0, "page": 0}  # the fresh build had nothing to reuse


def test_a_new_commit_changes_only_the_footer_and_reuses_every_page(project, counted, tmp_path):
    git(project.root, "commit", "-q", "--allow-empty", "-m", "nothing")
    done = subprocess.run(["git", "rev-parse", "--short=7", "HEAD"], cwd=project.root, capture_output=True, text=True)
    head = done.stdout.strip()
    build(project, log=lambda *_: None)
    assert counted[-1] == {"render": pages(project), "page": pages(project)}
    for html in project.site.rglob("*.html"):  # every page names the new commit in its footer
        assert f"<code>{head}</code>" in html.read_text(encoding="utf-8"), html
    same_as_fresh(project, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize(
    "change",
    [
        "theme override",  # a template of the project's custom_dir
        "mkdocs.yml",  # a theme feature
        "content page",  # a new page in the navigation: every page's navigation changes
        "validation",  # MkDocs' link checks become stricter
    ],
)
def test_every_other_change_is_built_as_afresh(project, counted, tmp_path, change):
    yml = project.mkdocs_yml.read_text(encoding="utf-8")
    if change == "theme override":
        (project.root / "overrides").mkdir()
        (project.root / "overrides" / "main.html").write_text(
            '{% extends "base.html" %}\n{% block content %}<p class="kq-test">изменённый шаблон</p>{{ super() }}{% endblock %}\n',
            encoding="utf-8",
        )
        yml = yml.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n")
        project.mkdocs_yml.write_text(yml, encoding="utf-8")
    elif change == "mkdocs.yml":
        project.mkdocs_yml.write_text(yml.replace("    - navigation.top\n", ""), encoding="utf-8")
    elif change == "content page":
        (project.content / "o-sajte.md").write_text("# О сайте\n\nСтраница о сайте.\n", encoding="utf-8")
    else:
        project.mkdocs_yml.write_text(yml + "validation:\n  anchors: warn\n", encoding="utf-8")
    build(project, log=lambda *_: None)
    if change == "theme override":
        assert "изменённый шаблон" in (project.site / "index.html").read_text(encoding="utf-8")
    assert counted[-1]["page"] == 0  # whatever the change reaches, no page's output is taken from before it
    same_as_fresh(project, tmp_path)


def test_a_page_that_made_mkdocs_warn_is_never_reused(project, counted):
    """A strict build that fails keeps nothing: the same warning fails the next build too."""
    (project.content / "ssylka.md").write_text("# Ссылка\n\n[нет такой страницы](net-takoj.md)\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(BuildFailed, match="net-takoj.md"):
            build(project, log=lambda *_: None)
    assert counted == []
    assert not list((project.cache / REUSE).rglob("*.new"))


def test_a_page_is_rendered_again_when_a_file_it_links_to_goes(project, counted):
    """A render depends on the files its links reach: the same Markdown after the linked file is removed warns."""
    (project.content / "files").mkdir()
    (project.content / "files" / "plan.txt").write_text("план\n", encoding="utf-8")
    (project.content / "ssylka.md").write_text("# Ссылка\n\n[план](files/plan.txt)\n", encoding="utf-8")
    build(project, log=lambda *_: None)
    (project.content / "files" / "plan.txt").unlink()
    with pytest.raises(BuildFailed, match="files/plan.txt"):
        build(project, log=lambda *_: None)


def test_an_edited_cache_entry_is_made_again(project, counted, tmp_path):
    store = project.cache / REUSE / "page"
    entries = sorted(store.glob("*.json"))
    assert entries
    for entry in entries:
        entry.write_text(entry.read_text(encoding="utf-8").replace("Тестовый район", "Другой район"), encoding="utf-8")
    git(project.root, "commit", "-q", "--allow-empty", "-m", "nothing")
    build(project, log=lambda *_: None)
    assert counted[-1]["page"] == 0
    assert "Другой район" not in "".join(p.read_text(encoding="utf-8") for p in project.site.rglob("*.html"))
    same_as_fresh(project, tmp_path)


def test_reuse_is_off_with_a_plugin_it_does_not_know():
    class Plugin:
        config: dict = {}

    config = {"plugins": {"material/search": Plugin(), "tags": Plugin()}, "copyright": "c"}
    assert not mkdocs_reuse.supported(config)
    config["plugins"].pop("tags")
    assert mkdocs_reuse.supported(config)
    fetching = Plugin()
    fetching.config = {"assets_fetch": True}
    assert not mkdocs_reuse.supported({"plugins": {"privacy": fetching}, "copyright": "c"})
    assert not mkdocs_reuse.supported({"plugins": {}, "copyright": ""})  # no footer to put the commit in
    # an extension that reads other files (snippets) makes a page from more than its text
    assert not mkdocs_reuse.supported({"plugins": {}, "copyright": "c", "markdown_extensions": ["toc", "pymdownx.snippets"]})
    assert mkdocs_reuse.supported({"plugins": {}, "copyright": "c", "markdown_extensions": ["toc", "markdown.extensions.tables"]})


def test_configuration_values_hash_the_same_in_any_process():
    import functools

    def slug(text, sep):
        return text

    value = {"toc": {"slugify": functools.partial(slug, case="lower")}, "set": {"b", "a"}, "n": [1, 2.5, None]}
    assert mkdocs_reuse.plain(value) == {
        "toc": {"slugify": {"partial": f"{__name__}.{slug.__qualname__}", "args": [], "kw": {"case": "lower"}}},
        "set": ['"a"', '"b"'],
        "n": [1, 2.5, None],
    }
    assert "0x" not in str(mkdocs_reuse.plain(object()))
