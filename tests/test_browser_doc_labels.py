"""A document label («Протокол от 20.05.2021») wraps only at its ordinary spaces, never inside the number or the date
(headless Debian Chromium, built Котельниковский example): Material's links break anywhere, kq-doc links do not."""

from __future__ import annotations

import pytest

from conftest import open_page, serve_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# For every document link: how many lines it takes, and how many it may take (one more than its breakable spaces).
LINES_JS = """async () => {
  const out = [];
  for (const a of document.querySelectorAll('article a.kq-doc')) {
    a.scrollIntoView();
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 20))));
    const tops = new Set([...a.getClientRects()].map(r => Math.round(r.top)));
    out.push({text: a.textContent, lines: tops.size, allowed: a.textContent.split(' ').length});
  }
  return out;
}"""


@pytest.mark.parametrize("width", [1366, 390])
def test_document_labels_never_break_inside_a_date(browser, built, width):
    with serve_site(built("kotelnikovsky").site) as url:
        with open_page(browser, url + "shkoly/krasnoyarskaya-sh/", viewport={"width": width, "height": 900}) as page:
            links = page.evaluate(LINES_JS)
    assert len(links) >= 5
    assert [x for x in links if x["lines"] > x["allowed"]] == []
