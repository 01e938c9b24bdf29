"""Every example on a 390 px phone and on paper (real headless Chromium): nothing wider than the screen, tables
within their boxes, and a printed school page naming the municipality and the «as of» date on every page."""

from __future__ import annotations

import functools
import http.server
import io
import json
import threading

import pytest

from conftest import PROJECTS, TIMEOUT_MS
from kachestvo.dataset import load
from kachestvo.fmt import date

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NAMES = list(PROJECTS)

# Elements (visible, not clipped away) wider than the viewport, and tables wider than their container.
OVERFLOW_JS = """(wideColumns) => {
  const vw = document.documentElement.clientWidth, out = [];
  if (document.documentElement.scrollWidth > vw + 1) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth}px`);
  for (const el of document.querySelectorAll('.md-content *, .md-header *, .md-footer *')) {
    const r = el.getBoundingClientRect();
    if (r.width > vw + 1 && el.offsetParent !== null) out.push(`${el.tagName}.${el.className} ${Math.round(r.width)}px`);
  }
  for (const t of document.querySelectorAll('table')) {
    if (t.rows.length && t.rows[0].cells.length >= wideColumns) continue;
    const w = t.getBoundingClientRect().width, box = t.parentElement.clientWidth;
    if (t.offsetParent !== null && w > box + 1) out.push(`table ${Math.round(w)}px in ${box}px: ${t.innerText.slice(0, 40)}`);
  }
  return out;
}"""


@functools.cache
def _serve(site) -> str:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("width", [390, 1366])
def test_no_page_is_wider_than_the_screen(built, browser, name, width):
    """390 px: a phone (every table); 1366 px: a laptop, where one long URL used to make a table 1,646 px wide
    (there a table of seven or more columns, such as a four-year roadmap, may scroll inside its own box)."""
    site = built(name).site
    base = _serve(site)
    ctx = browser.new_context(viewport={"width": width, "height": 844}, device_scale_factor=1)
    ctx.set_default_timeout(TIMEOUT_MS)
    page = ctx.new_page()
    problems = {}
    try:
        for path in sorted(site.rglob("index.html")):
            rel = path.relative_to(site).parent.as_posix()
            page.goto(base + ("" if rel == "." else rel + "/"))
            found = page.evaluate(OVERFLOW_JS, 10_000 if width < 600 else 7)
            if found:
                problems[rel] = found[:5]
    finally:
        ctx.close()
    assert problems == {}


FOOTER_ZONE_PT = 100  # PDF y runs up from the bottom edge; the fixed footer sits within its lowest 35 mm


@pytest.mark.parametrize("name", NAMES)
def test_printed_school_page_names_municipality_and_date_on_every_page(built, browser, name):
    from pypdf import PdfReader

    project = built(name)
    ds = load(project)
    m = ds["municipality"].iloc[0]
    # the longest school page (an example without schools, e.g. Тяжинский, prints its programme)
    pages = [f"shkoly/{s}/" for s in ds["schools"]["school_id"]] or ["programma/"]
    school_page = max(pages, key=lambda rel: (project.site / rel / "index.html").stat().st_size)
    ctx = browser.new_context()
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        page = ctx.new_page()
        page.goto(_serve(project.site) + school_page)
        assert page.locator(".md-copyright__highlight").get_attribute("data-kq-url").endswith(f"/{school_page}")
        footer_text = _norm(page.locator(".md-copyright__highlight").inner_text() + " · " + page.url)
        pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
        assert len(pdf.pages) >= 2, "a school page short enough for one sheet proves nothing about repetition"
        when = date(m["as_of"]).replace("\u00a0", " ")
        for number, sheet in enumerate(pdf.pages, 1):
            fragments = _fragments(sheet)
            # the footer's first line: the lowest mention of the municipality, within the bottom margin
            footer_top = max(y for y, t in fragments if m["name"] in t and y < FOOTER_ZONE_PT)
            # the footer's box reaches about 12 pt above its first line: no text of the page may sit there or below
            # (the page number's line, in the bottom margin below the footer, is not the page's text)
            number_line = max((y for y, t in fragments if t.startswith("Страница")), default=-1.0)
            covered = [t for y, t in fragments if number_line + 2 < y <= footer_top + 12 and _norm(t) not in footer_text]
            assert covered == [], f"page {number}: the footer covers {covered}"
            text = " ".join(sheet.extract_text().replace("\u00a0", " ").split())
            assert m["name"] in text, f"page {number}"
            assert when in text, f"page {number}"
            assert school_page in text.replace(" ", ""), f"page {number}"
            assert "↕" not in text and "Найти в таблице" not in text, f"page {number}: interactive controls printed"
            # the page number in the bottom margin (an @page margin box), and the address whole on one line
            assert f"Страница {number} из {len(pdf.pages)}" in text, f"page {number}: no page number"
            lines = [" ".join(t.replace("\u00a0", " ").split()) for t in sheet.extract_text().splitlines()]
            assert page.url in lines, f"page {number}: the address is not a line of its own"
            assert any(when in line and m["name"] in line for line in lines), f"page {number}: the date line is split"
    finally:
        ctx.close()


def _search(browser, site, query: str, expect: str) -> list[tuple[str, str]]:
    """(href, text) of the search results for a query in Material's search box, once a result linking to
    `expect` is shown (the whole query is set at once: no results of a partly typed query are read)."""
    ctx = browser.new_context()
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        page = ctx.new_page()
        page.goto(_serve(site))
        box = page.locator(".md-search__input")
        box.click()
        box.fill(query)
        box.press("End")  # Material reads the query on keyup
        page.locator(f".md-search-result__item a[href*='{expect}']").first.wait_for(state="visible")
        hits = page.locator(".md-search-result__item a")
        return [(a.get_attribute("href"), a.inner_text()) for a in hits.all()]
    finally:
        ctx.close()


def _index(site) -> dict:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


def test_search_finds_inflected_russian_and_separates_cells(built, browser):
    """«пьянковской» (genitive) finds Пьянковская ООШ: the Russian stemmer is in the search pipeline."""
    site = built("irbit").site
    index = _index(site)
    assert "stemmer" in index["config"]["pipeline"]
    texts = [s[2] for p in (site / "search" / "p").glob("*.json") for s in json.loads(p.read_text(encoding="utf-8"))]
    assert texts and not any("СШМероприятие" in t or "муниципальныеМероприятие" in t for t in texts)
    school = "shkoly/pyankovskaya-oosh/"
    hits = [text for href, text in _search(browser, site, "пьянковской", school) if school in href]
    assert hits and "Пьянковская ООШ" in hits[0]


@pytest.mark.parametrize(
    ("name", "query", "school"),
    [("ilansky", "иланская 41", "ilanskaya-sosh-41"), ("irbit", "зайковская 2", "zaykovskaya-sosh-2")],
)
def test_search_finds_a_school_by_its_number(built, browser, name, query, school):
    """«СОШ № 41» is found by its number: the pipeline keeps digits (no Cyrillic-only trimmer), «№» separates."""
    site = built(name).site
    assert _index(site)["config"]["pipeline"] == ["stemmer", "stopWordFilter"]
    href, text = _search(browser, site, query, f"shkoly/{school}/")[0]
    assert f"shkoly/{school}/" in href, text


def _fragments(sheet) -> list[tuple[float, str]]:
    """(height on the sheet in points, text) of every text fragment of a PDF page."""
    out = []

    def visit(text, cm, tm, *_):
        if text.strip():
            out.append((tm[5] * cm[3] + cm[5], text))

    sheet.extract_text(visitor_text=visit)
    return out


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def test_table_filter_hides_cards_on_a_phone_and_takes_words_in_any_order(built, browser):
    """On a 390 px phone tables are stacks of cards (display: block rows): a row the filter hides must disappear
    there too; the query's words match in any order."""
    ctx = browser.new_context(viewport={"width": 390, "height": 800})
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        page = ctx.new_page()
        page.goto(_serve(built("irbit").site) + "shkoly/")
        rows = page.locator("table.kq-sortable tbody tr")
        total = rows.count()
        assert total > 3 and rows.filter(visible=True).count() == total
        search = page.get_by_role("searchbox", name="Найти в таблице")
        search.fill("оош пьянков")
        visible = rows.filter(visible=True)
        assert visible.count() == 1 and "Пьянковская ООШ" in visible.first.inner_text()
        search.fill("")
        assert rows.filter(visible=True).count() == total
    finally:
        ctx.close()
