"""A table wider than its box says so (headless Debian Chromium, built Иланский example): at 1366 px the roadmap
tables scroll inside their box and a visible line above each says so, with a shadow on the side that hides columns;
a table that fits has no such line; at 390 px the roadmap stacks into cards and needs none."""

from __future__ import annotations

import pytest

from conftest import open_page, serve_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Each box in turn is brought into view (tables out of view are not laid out: content-visibility), then read.
STATE_JS = """async () => {
  const out = [];
  for (const w of document.querySelectorAll('.kq-table-wrap')) {
    w.scrollIntoView();
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))));
    const hint = w.previousElementSibling && w.previousElementSibling.classList.contains('kq-scroll-hint')
      ? w.previousElementSibling : null;
    const r = hint ? hint.getBoundingClientRect() : null;
    out.push({
      caption: (w.querySelector('caption') || {}).textContent || '',
      wider: w.scrollWidth > w.clientWidth + 1,
      hint: !!(hint && !hint.hidden && r.width > 0 && r.height > 0 && getComputedStyle(hint).visibility === 'visible'),
      hintText: hint ? hint.textContent : '',
      shadow: getComputedStyle(w).backgroundImage,
    });
  }
  return out;
}"""


@pytest.fixture(scope="module")
def programme(built):
    with serve_site(built("ilansky").site) as url:
        yield url + "programma/"


def _state(browser, url: str, width: int) -> list[dict]:
    with open_page(browser, url, viewport={"width": width, "height": 900}) as page:
        page.wait_for_function("() => document.querySelector('.kq-scroll-hint') !== null")
        return page.evaluate(STATE_JS)


def test_wide_roadmap_tables_show_a_scroll_cue_at_1366(browser, programme):
    tables = _state(browser, programme, 1366)
    roadmaps = [t for t in tables if "дорожная карта" in t["caption"]]
    assert len(roadmaps) == 6 and all(t["wider"] for t in roadmaps)
    # every table wider than its box, and only those, shows the line; every box has the edge shadows
    assert [t["caption"] for t in tables if t["hint"]] == [t["caption"] for t in tables if t["wider"]]
    assert all(t["hintText"] == "Таблица шире страницы: прокрутите её вбок" for t in roadmaps)
    assert any(not t["wider"] for t in tables)
    assert all("radial-gradient" in t["shadow"] for t in tables)


def test_roadmap_tables_stack_at_390_and_need_no_cue(browser, programme):
    tables = _state(browser, programme, 390)
    assert tables and not any(t["wider"] for t in tables)
    assert not any(t["hint"] for t in tables)
