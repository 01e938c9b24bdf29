"""`kachestvo serve` rebuilds the site when data changes, and keeps serving the old site when data breaks."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request

import pytest

from conftest import base_tables, write_project
from kachestvo.serve import server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, needle: str, timeout: float = 40) -> str:
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


@pytest.mark.e2e
def test_serve_rebuilds_on_data_change(tmp_path):
    project = write_project(tmp_path, base_tables())
    port = _free_port()
    srv = server(project, "127.0.0.1", port)
    thread = threading.Thread(target=srv.serve, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{port}/shkoly/"
        _wait_for(url, "Альфа СОШ")
        schools = project.data / "schools.csv"
        schools.write_text(schools.read_text(encoding="utf-8").replace("Альфа СОШ", "Омега СОШ"), encoding="utf-8")
        _wait_for(url, "Омега СОШ")
        schools.write_text(schools.read_text(encoding="utf-8").replace(",СОШ,", ",ШКОЛА,"), encoding="utf-8")
        time.sleep(3)
        assert "Омега СОШ" in urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
    finally:
        srv.shutdown()
        thread.join(timeout=10)
