"""History on the site: each page's last data change and the build commit come from git, never from the clock."""

from __future__ import annotations

import json
import re
import subprocess

from conftest import base_tables, write_project
from kachestvo import config, schemas
from kachestvo import history as history_module
from kachestvo.build import build, generate_site
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
    site, _ = generate_site(project, history=History.of(project, URL))
    school = _history_block(site.pages["shkoly/alpha.md"])
    assert "Последнее изменение данных этой страницы — " in school and "г.." not in school
    assert '<time datetime="2022-03-15">15\u00a0марта 2022\u00a0г.</time>' in school  # alpha's results changed
    assert f'href="{URL}/commits/{head}/data"' in school  # the data's history, a secondary link
    assert '<time datetime="2021-09-01">' in _history_block(site.pages["shkoly/beta.md"])  # beta's rows did not
    documents = _history_block(site.pages["dokumenty/index.md"])
    assert '<time datetime="2021-09-01">' in documents  # documents.csv has not changed since
    assert ".csv" not in documents
    for path, text in site.pages.items():
        assert 'class="kq-history"' in text, path


def test_uncommitted_changes_are_named_and_outside_git_is_said_plainly(tmp_path):
    project = write_project(tmp_path / "a", base_tables())
    site, _ = generate_site(project, history=History.of(project))
    block = _history_block(site.pages["shkoly/alpha.md"])
    assert "сайт собран без истории изменений" in block and ".csv" not in block
    _commit(project.root, "2021-09-01")
    (project.data / "results.csv").write_text(
        (project.data / "results.csv").read_text(encoding="utf-8").replace(",3.5,", ",3.6,"), encoding="utf-8"
    )
    site, _ = generate_site(project, history=History.of(project))
    assert "изменения, ещё не сохранённые в истории" in _history_block(site.pages["shkoly/alpha.md"])
    assert "ещё не сохранённые" not in _history_block(site.pages["shkoly/beta.md"])  # alpha's rows changed, not beta's
    assert "ещё не сохранённые" not in _history_block(site.pages["dokumenty/index.md"])


def test_every_built_page_names_its_commit_and_a_rebuild_is_identical(tmp_path):
    project = write_project(tmp_path, base_tables())
    _with_url(project)
    head = _commit(project.root, "2021-09-01")
    build(project, log=lambda *_: None)
    html = sorted(project.site.rglob("*.html"))
    assert html
    for path in html:
        assert f'версия сайта <a href="{URL}/commit/{head}"><code>{head[:7]}</code></a>' in path.read_text(encoding="utf-8"), path
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
    site, _ = generate_site(project, ds)  # warnings do not stop the build
    assert "shkoly/alpha.md" in site.pages


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_project_in_a_subfolder_reads_its_own_history(tmp_path):
    """As every example: the project lies in examples/x/ of a repository; its pages and the cache key follow its
    data's commits (git once ran with the folder prefixed twice: «not committed» and a key that never changed)."""
    project = write_project(tmp_path / "examples" / "x", base_tables())
    _commit(tmp_path, "2021-09-01")
    history = History.of(project, URL)
    assert history.prefix == "examples/x/"
    first = history.fingerprint()
    site, _ = generate_site(project, history=history)
    assert '<time datetime="2021-09-01">' in _history_block(site.pages["shkoly/alpha.md"])
    for path, text in site.pages.items():
        assert "ещё не сохранены" not in text, path
    assert f'href="{URL}/commits/{history.commit}/examples/x/data"' in _history_block(site.pages["index.md"])

    _edit(project.data / "results.csv", ",3.5,", ",3.6,")
    dirty = History.of(project, URL)
    assert dirty.fingerprint() != first  # uncommitted changes are shown, so they are part of the key
    site, _ = generate_site(project, history=dirty)
    assert "ещё не сохранённые" in _history_block(site.pages["shkoly/alpha.md"])

    _commit(tmp_path, "2022-03-15")
    again = History.of(project, URL)
    assert again.fingerprint() not in (first, dirty.fingerprint())
    site, _ = generate_site(project, history=again)
    assert '<time datetime="2022-03-15">' in _history_block(site.pages["shkoly/alpha.md"])
    assert '<time datetime="2021-09-01">' in _history_block(site.pages["shkoly/beta.md"])

    (tmp_path / "README.txt").write_text("другое\n", encoding="utf-8")
    _commit(tmp_path, "2022-04-01")  # a commit outside the project's data: same key, same pages
    assert History.of(project, URL).fingerprint() == again.fingerprint()


def test_each_school_page_is_dated_by_the_changes_to_its_own_rows(tmp_path):
    """Two schools changed at different dates (an edit, an added row, a removed row, a row moved between schools):
    each page names the last change to its own rows, whatever other schools' rows did later."""
    tables = base_tables()
    tables["activities"].append(dict(tables["activities"][0], activity_id="beta-01", school_id="beta"))
    project = write_project(tmp_path / "examples" / "x", tables)
    _commit(tmp_path, "2020-01-10")
    _edit(project.data / "activities.csv", "beta-01,beta,школьный,1,Семинар", "beta-01,beta,школьный,1,Вебинар")
    _commit(tmp_path, "2020-02-20")  # beta's activity edited
    _edit(project.data / "results.csv", ",3.8,", ",3.9,")
    _commit(tmp_path, "2020-03-30")  # alpha's result edited

    def dates():
        site, _ = generate_site(project, history=History.of(project))
        found = {}
        for school in ("alpha", "beta"):
            [date] = re.findall(r'<time datetime="([0-9-]+)">', _history_block(site.pages[f"shkoly/{school}.md"]))
            found[school] = date
        return found

    assert dates() == {"alpha": "2020-03-30", "beta": "2020-02-20"}
    lines = (project.data / "activities.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (project.data / "activities.csv").write_text("".join(line for line in lines if not line.startswith("beta-01")), "utf-8")
    _commit(tmp_path, "2020-04-15")  # beta's only activity removed: a removed row dates beta's page
    assert dates() == {"alpha": "2020-03-30", "beta": "2020-04-15"}
    _edit(project.data / "activities.csv", "alpha-01,alpha,", "alpha-01,beta,")
    _commit(tmp_path, "2020-05-05")  # a row moved from alpha to beta changes both pages
    assert dates() == {"alpha": "2020-05-05", "beta": "2020-05-05"}
    _edit(project.data / "activities.csv", ",Проведён", ',"Проведён:\nпервая часть\nвторая часть"')
    _commit(tmp_path, "2020-05-20")  # a result written on three lines (a record spanning lines)
    assert dates() == {"alpha": "2020-05-05", "beta": "2020-05-20"}
    _edit(project.data / "activities.csv", "первая часть", "первая часть исправлена")
    _commit(tmp_path, "2020-05-25")  # only its middle line changed
    assert dates() == {"alpha": "2020-05-05", "beta": "2020-05-25"}
    municipal = dict(tables["results"][0], school_id="", municipality_id="test", value="3.4")
    with (project.data / "results.csv").open("a", encoding="utf-8") as fh:
        fields = schemas.field_names("results")
        fh.write(",".join(str(municipal.get(f, "")) for f in fields) + "\n")
    _commit(tmp_path, "2020-06-01")  # the district average beside every school's results is on every school's page
    assert dates() == {"alpha": "2020-06-01", "beta": "2020-06-01"}


def test_row_dates_take_one_git_log_per_file_whatever_the_number_of_schools(tmp_path, monkeypatch):
    tables = base_tables()
    for n in range(30):
        tables["schools"].append(dict(tables["schools"][1], school_id=f"s{n}", short_name=f"Школа {n}", branch_of=""))
    project = write_project(tmp_path, tables)
    _commit(tmp_path, "2020-01-10")
    calls = []
    real = history_module.git.output
    monkeypatch.setattr(history_module.git, "output", lambda cwd, *args, **kw: calls.append(args[0]) or real(cwd, *args, **kw))
    site, _ = generate_site(project, history=History.of(project))
    assert len([p for p in site.pages if p.startswith("shkoly/") and p.count("/") == 1]) > 30
    assert calls.count("log") <= len(list(project.data.glob("*.csv"))) * 2 + 2
