"""Headless Chromium on examples/irkutsk (region mode): the schools table filtered by municipality, the link
from a school to its municipality. Same browser and local-only rules as tests/test_browser.py."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from test_browser import Pages, _QuietHandler, browser  # noqa: F401  (the session's Chromium fixture)

from conftest import copy_project
from kachestvo.build import build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def region_site(tmp_path_factory) -> str:
    project = copy_project("irkutsk", tmp_path_factory.mktemp("irkutsk"))
    build(project, log=lambda *_: None)
    handler = functools.partial(_QuietHandler, directory=str(project.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="kq-region-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def pages(browser, region_site):  # noqa: F811
    p = Pages(browser, region_site)
    try:
        yield p
    finally:
        p.close()


def _visible_schools(page) -> list[str]:
    return page.locator("table.kq-by-municipality tbody tr").evaluate_all(
        "rows => rows.filter(r => !r.hidden).map(r => r.cells[0].textContent.trim())"
    )


def test_schools_table_filters_by_municipality(pages):
    page = pages.open("shkoly/")
    select = page.get_by_label("Муниципалитет")
    assert len(_visible_schools(page)) == 20
    select.select_option("УКМО")
    assert {" ".join(s.split()) for s in _visible_schools(page)} == {"СОШ № 8 УКМО", "СОШ с. Ния УКМО"}
    # the municipality filter and the search box combine
    page.get_by_label("Найти в таблице").fill("Ния")
    assert [" ".join(s.split()) for s in _visible_schools(page)] == ["СОШ с. Ния УКМО"]
    select.select_option("")
    page.get_by_label("Найти в таблице").fill("")
    assert len(_visible_schools(page)) == 20
    pages.assert_local_only()


def test_school_page_links_to_its_municipality(pages):
    page = pages.open("shkoly/chiknskaya-sosh/")
    page.locator("article dl.kq-facts").get_by_role("link", name="Жигаловский район").click()
    page.wait_for_url("**/munitsipalitety/#zhigalovskiy-rayon")
    assert page.locator("#zhigalovskiy-rayon").is_visible()
    pages.assert_local_only()
