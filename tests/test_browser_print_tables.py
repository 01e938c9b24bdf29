"""On paper nothing scrolls: every table of every Иланский page fits the A4 text width when printed (headless Debian
Chromium, print media at the page box of kachestvo.css: 210 mm − 2 × 12 mm). The roadmap tables, eight columns of
long texts, stack into cards as on a phone; the scorecard and the document register stay tables."""

from __future__ import annotations

import pytest

from conftest import open_page, serve_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

A4_TEXT_PX = round((210 - 2 * 12) / 25.4 * 96)  # 703 CSS px

TABLES_JS = """() => [...document.querySelectorAll('table.kq-table')].map(t => ({
  caption: (t.caption || {}).textContent || '',
  right: t.getBoundingClientRect().right,
  width: t.getBoundingClientRect().width,
  columns: t.querySelectorAll('thead th').length,
  stacked: t.rows.length > 1 && getComputedStyle(t.rows[1]).display === 'block',
  table: t.className,
}))"""


@pytest.mark.parametrize("path", ["programma/", "dokumenty/", "shkoly/ilanskaya-sosh-1/"])
def test_printed_tables_fit_the_a4_text_width(browser, built, path):
    with serve_site(built("ilansky").site) as url:
        with open_page(browser, url + path, media="print", viewport={"width": A4_TEXT_PX, "height": 1000}) as page:
            tables = page.evaluate(TABLES_JS)
    assert tables
    assert [(t["caption"], round(t["right"])) for t in tables if t["right"] > A4_TEXT_PX + 1] == []
    if path == "programma/":
        roadmaps = [t for t in tables if "дорожная карта" in t["caption"]]
        assert len(roadmaps) == 6 and all(t["stacked"] and t["columns"] == 8 for t in roadmaps)
        scorecards = [t for t in tables if "kq-scorecard" in t["table"]]
        assert scorecards and not any(t["stacked"] for t in scorecards)
