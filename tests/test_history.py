"""History on the site: each page's last data change and the build commit come from git, never from the clock."""

from __future__ import annotations

import json
import re
import subprocess

from conftest import base_tables, write_project
from kachestvo import config
from kachestvo.build import build, pages
from kachestvo.history import History
from kachestvo.validate import validate
from kachestvo.validate.problems import errors, format_github, format_json, format_text

URL = "https://github.com/org/kachestvo-test"


def _git(root, *args: str) -> str:
    env = ["-c", "user.email=t@example.org", "-c", "user.name=Тест"]
    return subprocess.run(["git", *env, *args], cwd=root, check=True, capture_output=True, text=True).stdout.strip()


def _commit(root, date: str) -> str:
    if not (root / ".git").exists():
        _git(root, "init", "-q")
        (root / ".gitignore").write_text("/build/\n/site/\n/.kachestvo-cache/\n", encoding="utf-8")
    _git(root, "add", "-A")
    stamp = f"{date}T12:00:00+00:00"
    subprocess.run(
        ["git", "-c", "user.email=t@example.org", "-c", "user.name=Тест", "commit", "-qm", "данные"],
        cwd=root,
        check=True,
        env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "PATH": "/usr/bin:/bin"},
    )
    return _git(root, "rev-parse", "HEAD")


def _with_url(project, url=URL):
    descriptor = json.loads(project.datapackage.read_text(encoding="utf-8"))
    descriptor["kachestvo"] = {"repository_url": url}
    project.datapackage.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


def _history_block(text: str) -> str:
    return text[text.index('<div class="kq-history"') :]


def test_pages_show_last_change_of_their_own_inputs_and_link_file_histories(tmp_path):
    project = write_project(tmp_path, base_tables())
    _with_url(project)
    _commit(project.root, "2021-09-01")
    results = project.data / "results.csv"
    results.write_text(results.read_text(encoding="utf-8").replace(",3.5,", ",3.6,"), encoding="utf-8")
    head = _commit(project.root, "2022-03-15")
    site, _ = pages(project, history=History.of(project, URL))
    school = _history_block(site.pages["shkoly/alpha.md"])
    assert '<time datetime="2022-03-15">15\u00a0марта 2022\u00a0г.</time>' in school  # results.csv is an input
    assert f'href="{URL}/commits/{head}/data/results.csv"' in school
    documents = _history_block(site.pages["dokumenty/index.md"])
    assert '<time datetime="2021-09-01">' in documents  # documents.csv has not changed since
    assert "results.csv" not in documents
    for path, text in site.pages.items():
        assert 'class="kq-history"' in text, path


def test_uncommitted_changes_are_named_and_outside_git_is_said_plainly(tmp_path):
    project = write_project(tmp_path / "a", base_tables())
    site, _ = pages(project, history=History.of(project))
    block = _history_block(site.pages["shkoly/alpha.md"])
    assert "сайт собран не из репозитория git" in block and "<code>data/results.csv</code>" in block
    _commit(project.root, "2021-09-01")
    (project.data / "results.csv").write_text(
        (project.data / "results.csv").read_text(encoding="utf-8").replace(",3.5,", ",3.6,"), encoding="utf-8"
    )
    site, _ = pages(project, history=History.of(project))
    assert "изменения, ещё не внесённые в git" in _history_block(site.pages["shkoly/alpha.md"])
    assert "изменения" not in _history_block(site.pages["dokumenty/index.md"])


def test_every_built_page_names_its_commit_and_a_rebuild_is_identical(tmp_path):
    project = write_project(tmp_path, base_tables())
    _with_url(project)
    head = _commit(project.root, "2021-09-01")
    build(project, log=lambda *_: None)
    html = sorted(project.site.rglob("*.html"))
    assert html
    for path in html:
        assert f'<a href="{URL}/commit/{head}"><code>{head[:7]}</code></a>' in path.read_text(encoding="utf-8"), path
    before = {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()}
    build(project, log=lambda *_: None)
    assert {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()} == before


def test_repository_url_must_be_https():
    assert config.problems({"kachestvo": {"repository_url": URL}}) == []
    for bad in ("http://github.com/x", "javascript:alert(1)", 'https://x"><script>', 5):
        [(key, message)] = config.problems({"kachestvo": {"repository_url": bad}})
        assert key == "repository_url" and "https://" in message
    assert config.settings({})["repository_url"] is None


def test_years_after_as_of_are_a_warning_not_an_error(tmp_path):
    tables = base_tables()
    tables["results"].append(dict(tables["results"][0], year="2023", value="4.0"))
    project = write_project(tmp_path, tables)
    ds, problems = validate(project)
    [warning] = [p for p in problems if p.code == "year-after-as-of"]
    assert warning.severity == "warning" and warning.field == "year" and warning.row == 5
    assert "2023" in warning.message and "01.09.2021" in warning.message
    assert errors(problems) == []
    assert re.search(r"предупреждение: год 2023", format_text(problems))
    assert format_github(problems).startswith("::warning file=data/results.csv,line=5,")
    assert json.loads(format_json(problems))["valid"] is True
    site, _ = pages(project, ds)  # warnings do not stop the build
    assert "shkoly/alpha.md" in site.pages
