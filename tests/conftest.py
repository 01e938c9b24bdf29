"""Shared fixtures: a small valid project written from Python dicts, and paths of the real examples."""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import http.server
import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

from kachestvo import schemas
from kachestvo.paths import Project

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# Frozen example projects that the tests pin; the repository's own data/ is a live site, never read here.
PROJECTS = {p.name: p for p in sorted(EXAMPLES.iterdir()) if (p / "data" / "datapackage.json").is_file()}

# The fast subset (pytest -m "not slow") builds a municipality and the region; the full suite builds every example.
FAST_EXAMPLES = ("kotelnikovsky", "irkutsk")


def each_example(names=None) -> list:
    """Parameters for a test over every example: those outside FAST_EXAMPLES are marked slow."""
    return [pytest.param(n, marks=() if n in FAST_EXAMPLES else pytest.mark.slow) for n in (names or sorted(PROJECTS))]


DOC_TEXT = "Приказ № 1 от 01.09.2021\n"
DOC_SHA = hashlib.sha256(DOC_TEXT.encode("utf-8")).hexdigest()


def base_tables() -> dict[str, list[dict]]:
    return {
        "documents": [
            dict(
                document_id="prikaz-1",
                type="приказ",
                number="1",
                date="2021-09-01",
                issuer="Управление образования",
                title="Об утверждении программы",
                file="documents/prikaz-1.txt",
                sha256=DOC_SHA,
            )
        ],
        "municipality": [
            dict(
                municipality_id="test",
                name="Тестовый район",
                region="Тестовая область",
                authority="Управление образования",
                schools_total="2",
                as_of="2021-09-01",
                document_id="prikaz-1",
            )
        ],
        "clusters": [dict(cluster_id="selo", name="сельские школы")],
        "schools": [
            dict(school_id="alpha", full_name="МБОУ «Альфа СОШ»", short_name="Альфа СОШ", level="СОШ", cluster_id="selo"),
            dict(
                school_id="beta",
                full_name="Бета ООШ — филиал МБОУ «Альфа СОШ»",
                short_name="Бета ООШ",
                level="ООШ",
                branch_of="alpha",
                cluster_id="selo",
            ),
        ],
        "results": [
            dict(
                school_id="alpha",
                assessment="ОГЭ",
                grade="9",
                subject="Математика",
                year="2019",
                metric="средняя оценка",
                unit="оценка",
                value="3.5",
                document_id="prikaz-1",
            ),
            dict(
                school_id="alpha",
                assessment="ОГЭ",
                grade="9",
                subject="Математика",
                year="2020",
                metric="средняя оценка",
                unit="оценка",
                value_missing="не проводилось",
            ),
            dict(
                school_id="alpha",
                assessment="ОГЭ",
                grade="9",
                subject="Математика",
                year="2021",
                metric="средняя оценка",
                unit="оценка",
                value="3.8",
            ),
        ],
        "activities": [
            dict(
                activity_id="alpha-01",
                school_id="alpha",
                level="школьный",
                order="1",
                title="Семинар",
                period="март 2021",
                start_date="2021-03-01",
                end_date="2021-03-31",
                result="Проведён",
            )
        ],
        "programmes": [dict(programme_id="p", title="Программа", start_year="2021", end_year="2022", document_id="prikaz-1")],
        "tasks": [dict(task_id="t1", programme_id="p", order="1", text="Задача")],
        "indicators": [dict(indicator_id="t1-i1", task_id="t1", order="1", text="Наличие приказа", unit="да/нет")],
        "indicator_values": [
            dict(indicator_id="t1-i1", year="2021", target="да", actual="да"),
            dict(indicator_id="t1-i1", year="2022", target="да", actual_missing="срок не наступил"),
        ],
        "partner_groups": [dict(group_id="g1", name="1 группа")],
        "partner_group_members": [
            dict(group_id="g1", school_id="alpha", role="ресурсный центр"),
            dict(group_id="g1", school_id="beta", role="участник"),
        ],
    }


def add_small_group(tables: dict[str, list[dict]]) -> None:
    """Alpha's 2019 ОГЭ mathematics (4,87) had 3 participants: below the threshold of 5, so it must be hidden."""
    tables["results"][0]["value"] = "4.87"
    tables["results"].append(
        dict(
            school_id="alpha",
            assessment="ОГЭ",
            grade="9",
            subject="Математика",
            year="2019",
            metric="число участников",
            unit="человек",
            value="3",
        )
    )


def write_project(root: Path, tables: dict[str, list[dict]]) -> Project:
    data = root / "data"
    (data / "schemas").mkdir(parents=True, exist_ok=True)
    (root / "content" / "documents").mkdir(parents=True, exist_ok=True)
    (root / "content" / "documents" / "prikaz-1.txt").write_text(DOC_TEXT, encoding="utf-8")
    resources = []
    for name, rows in tables.items():
        fields = schemas.field_names(name)
        with (data / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        (data / "schemas" / f"{name}.json").write_text(schemas.canonical_text(name), encoding="utf-8")
        resources.append({"name": name, "path": f"{name}.csv", "schema": f"schemas/{name}.json"})
    (data / "datapackage.json").write_text(
        json.dumps({"name": "test", "resources": resources}, ensure_ascii=False), encoding="utf-8"
    )
    (root / "mkdocs.yml").write_text((PROJECTS["irbit"] / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    return Project.at(root)


@pytest.fixture
def mini(tmp_path) -> Project:
    return write_project(tmp_path, base_tables())


def copy_project(name: str, dest: Path) -> Project:
    """Copy an example project (data, content, mkdocs.yml): each is standalone, so any folder will do."""
    import shutil

    src = PROJECTS[name]
    dest.mkdir(parents=True, exist_ok=True)
    for sub in ("data", "content"):
        if (src / sub).exists():
            shutil.copytree(src / sub, dest / sub)
    shutil.copy(src / "mkdocs.yml", dest / "mkdocs.yml")
    return Project.at(dest)


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Build each real project once per test session, in a copy; returns name → Project."""
    from kachestvo.build import build

    cache: dict[str, Project] = {}

    def get(name: str) -> Project:
        if name not in cache:
            project = copy_project(name, tmp_path_factory.mktemp(name))
            build(project, log=lambda *_: None)
            cache[name] = project
        return cache[name]

    return get


# --------------------------------------------------------------------------- tests write only into their temporary folders
# (in parallel, a write into examples/ or the repository's site would leak from one test into another)

WATCHED = ["examples", "data", "content", "mkdocs.yml", "tests/golden"]


def _repository_state() -> str | None:
    done = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--", *WATCHED], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout if done.returncode == 0 else None  # outside a git checkout: nothing to compare


def pytest_collection_modifyitems(config, items):
    """A browser test is a slow test: it starts Chromium and serves a built site (the fast subset leaves them out)."""
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # the controlling process only, not each xdist worker
        session.config.stash[_STATE] = _repository_state()


def pytest_sessionfinish(session, exitstatus):
    before = session.config.stash.get(_STATE, None)
    if before is None or hasattr(session.config, "workerinput"):
        return
    after = _repository_state()
    if after != before:
        changed = sorted(set(after.splitlines()) ^ set(before.splitlines()))
        print(f"\nТесты изменили файлы репозитория (пишите только во временные папки): {changed}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_STATE = pytest.StashKey[str | None]()


def read_rows(project: str, table: str) -> list[dict]:
    """A table of a real project as dicts of strings, exactly as written in the CSV."""
    with open(PROJECTS[project] / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------- one headless Chromium for every browser test
# (one session-wide instance: Playwright's sync API cannot run two at once in a thread)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000


def browser_unavailable(reason: str):
    """Skip locally; fail under CI, which must run the browser tests."""
    if os.environ.get("CI"):
        pytest.fail(
            f"{reason}; CI must run the browser tests (install Debian's chromium and pip install -e '.[test]')", pytrace=False
        )
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        browser_unavailable(f"{CHROMIUM} not found (Debian package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class' name
        pass


@contextlib.contextmanager
def serve_site(directory: Path):
    """Serve a built site/ on a free localhost port; yields its base URL ending in «/»."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="kq-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def open_page(browser, url: str, media: str | None = None, **context_options):
    """A page at `url` in a fresh browser context (viewport and other options as given; `media="print"` emulates paper
    before loading), the tests' timeout set; the context is closed afterwards."""
    ctx = browser.new_context(**context_options)
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        page = ctx.new_page()
        if media:
            page.emulate_media(media=media)
        page.goto(url)
        yield page
    finally:
        ctx.close()
