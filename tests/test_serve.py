"""`kachestvo serve` rebuilds when data, content or a template changes, and keeps the old site when data breaks.

The slow test runs the server in a subprocess on a copy of the package, so that it can edit a template without
touching the package under test in place, and reads the pages over HTTP. The fast one builds the server in process
(no socket): what it watches, and what its builder does with a data edit and with invalid data.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import base_tables, write_project
from kachestvo.paths import PACKAGE_DIR


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, needle: str, timeout: float = 60) -> str:
    deadline = time.time() + timeout
    body = ""
    while time.time() < deadline:
        try:
            body = urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
            if needle in body:
                return body
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} не появилось на {url}")


def _wait_for_log(log, needle: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if needle in log.read_text(encoding="utf-8", errors="replace"):
            return
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} не появилось в выводе serve")


@pytest.mark.e2e
@pytest.mark.slow
def test_serve_rebuilds_on_data_and_template_change_and_keeps_site_on_bad_data(tmp_path):
    package = tmp_path / "pkg" / "kachestvo"
    shutil.copytree(PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    project = write_project(tmp_path / "project", base_tables())
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "PYTHONPATH": str(package.parent), "PYTHONUNBUFFERED": "1"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kachestvo.cli", "serve", "--project", str(project.root), "--dev-addr", f"127.0.0.1:{port}"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}/shkoly/"
        _wait_for(url, "Альфа СОШ")

        schools = project.data / "schools.csv"
        schools.write_text(schools.read_text(encoding="utf-8").replace("Альфа СОШ", "Омега СОШ"), encoding="utf-8")
        _wait_for(url, "Омега СОШ")

        template = package / "templates" / "schools.md.j2"
        template.write_text(template.read_text(encoding="utf-8") + "\nМетка шаблона для проверки serve\n", encoding="utf-8")
        _wait_for(url, "Метка шаблона для проверки serve")

        builds = log.read_text(encoding="utf-8").count("Сайт собран")
        schools.write_text(schools.read_text(encoding="utf-8").replace(",СОШ,", ",ШКОЛА,"), encoding="utf-8")
        _wait_for_log(log, "ШКОЛА")  # the rebuild ran and reported the bad value …
        body = urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
        assert "Омега СОШ" in body and "Метка шаблона" in body  # … and the previous site is still served
        assert log.read_text(encoding="utf-8").count("Сайт собран") == builds
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_watches_every_input_and_its_builder_keeps_the_site_on_bad_data(tmp_path, monkeypatch, capsys):
    """In process, without a socket: the server watches data/, content/, mkdocs.yml and the templates; its builder
    publishes a data edit, and on invalid data prints the report and leaves the served site as it was."""
    from mkdocs.livereload import LiveReloadServer

    from kachestvo.paths import TEMPLATES_DIR
    from kachestvo.serve import server

    watched: list[str] = []
    monkeypatch.setattr(LiveReloadServer, "watch", lambda self, path, *a, **k: watched.append(path))
    project = write_project(tmp_path / "project", base_tables())
    srv = server(project, "127.0.0.1", 0)
    try:
        assert sorted(watched) == sorted(map(str, (project.data, project.content, project.mkdocs_yml, TEMPLATES_DIR)))
        assert srv.root == str(project.site.resolve()) and srv.builder is not None
        page = project.site / "shkoly" / "index.html"
        assert "Альфа СОШ" in page.read_text(encoding="utf-8")
        schools = project.data / "schools.csv"
        schools.write_text(schools.read_text(encoding="utf-8").replace("Альфа СОШ", "Омега СОШ"), encoding="utf-8")
        srv.builder()
        assert "Омега СОШ" in page.read_text(encoding="utf-8")
        before = {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()}
        capsys.readouterr()
        schools.write_text(schools.read_text(encoding="utf-8").replace(",СОШ,", ",ШКОЛА,"), encoding="utf-8")
        srv.builder()  # a BuildFailed is printed, not raised: the server goes on
        out = capsys.readouterr().out
        assert "«ШКОЛА»" in out and "Сайт не собран" in out, out
        assert {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()} == before
    finally:
        srv.server_close()
