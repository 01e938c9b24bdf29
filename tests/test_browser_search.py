"""Search in a real browser (headless Debian Chromium) on the built Иланский example: a roadmap item's words and an
indicator's name, typed key by key as a person types them, find the page that shows them; nothing is requested
from another host; the first download holds no page text."""

from __future__ import annotations

import csv
import re
from urllib.parse import unquote, urlparse

import pytest

from conftest import PROJECTS, TIMEOUT_MS, serve_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _row(table: str, key: str, value: str) -> dict:
    with open(PROJECTS["ilansky"] / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return next(r for r in csv.DictReader(fh) if r[key] == value)


def _pages_showing(site, text: str) -> set[str]:
    """Addresses of the built pages whose visible text holds `text` (tags dropped, spaces normalised)."""
    out = set()
    want = " ".join(text.split())
    for path in site.rglob("index.html"):
        html = path.read_text(encoding="utf-8")
        article = html[html.find("<article") : html.find("</article>")]
        plain = " ".join(re.sub(r"<[^>]+>", " ", article).replace("&nbsp;", " ").replace("\u00a0", " ").split())
        plain = re.sub(r" ([,.;:])", r"\1", plain)
        if want in plain:
            rel = path.parent.relative_to(site).as_posix()
            out.add("/" if rel == "." else f"/{rel}/")
    return out


@pytest.fixture(scope="module")
def ilansky(built):
    site = built("ilansky").site
    with serve_site(site) as url:
        yield site, url


def _search(browser, url: str, query: str, requests: list[str], anchors: bool = False) -> tuple[list[str], str]:
    """Types the query into Material's search box key by key; returns the result pages' paths (with the section's
    anchor if `anchors`: every link of a result, the page's own and its sections') once the list stops changing, and
    the result count line. Material reads the query on keyup: each letter ends with one."""
    ctx = browser.new_context()
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.on("request", lambda r: requests.append(r.url))
    try:
        page = ctx.new_page()
        page.goto(url)
        box = page.locator(".md-search__input")
        box.click()
        for ch in query:  # Playwright inserts a Cyrillic letter without key events: a Shift gives the keyup
            box.press_sequentially(ch)
            page.keyboard.press("Shift")
        meta = page.locator(".md-search-result__meta")
        page.wait_for_function(
            "() => { const m = document.querySelector('.md-search-result__meta').textContent;"
            " return /Найдено/.test(m) || /не найдено/.test(m); }"
        )
        page.wait_for_timeout(700)  # answers to half-typed queries must not arrive after the last one
        links = page.locator(".md-search-result__item a" if anchors else ".md-search-result__item > a")
        hrefs = [urlparse(h) for h in links.evaluate_all("as => as.map(a => a.href)")]
        return [unquote(h.path) + (f"#{unquote(h.fragment)}" if anchors and h.fragment else "") for h in hrefs], meta.inner_text()
    finally:
        ctx.close()


def _assert_local(requests: list[str], url: str) -> None:
    host = urlparse(url).netloc
    assert requests and not [u for u in requests if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != host]


def test_roadmap_item_words_find_the_programme(browser, ilansky):
    site, url = ilansky
    item = _row("roadmap", "item_id", "r6-4")["activity"]  # the last item: far beyond any cap of a section's text
    expected = _pages_showing(site, item)
    assert "/programma/" in expected
    requests: list[str] = []
    # the item's words, inflected differently from the page («Мониторинг образовательных достижений»)
    found, meta = _search(browser, url, "мониторинга образовательного достижения", requests)
    assert "не найдено" not in meta
    assert "/programma/" in found[:5], (found[:8], expected)  # not only the transcription of the order holding it
    _assert_local(requests, url)


def test_a_roadmap_item_leads_to_its_task_on_the_programme_page(browser, ilansky):
    """The result opens the programme page at the task whose roadmap holds the item, not at the page's top (the
    programme's headings had no anchors, so the whole page was one section of the index)."""
    site, url = ilansky
    row = _row("roadmap", "item_id", "r6-4")
    html = (site / "programma" / "index.html").read_text(encoding="utf-8")
    anchor = f"zadacha-{row['task_id']}"
    start = html.index(f'id="{anchor}"')
    following = html.find('<h3 class="kq-h3"', start + 1)
    assert row["activity"].split()[0] in html[start : following if following > 0 else None]  # the item is in that section
    found, _ = _search(browser, url, "мониторинга образовательного достижения", [], anchors=True)
    assert f"/programma/#{anchor}" in found[:6], found[:8]


def test_indicator_name_finds_its_page(browser, ilansky):
    site, url = ilansky
    text = _row("indicators", "indicator_id", "t6-i3")["text"]  # the last indicator
    expected = _pages_showing(site, text)
    assert expected
    requests: list[str] = []
    found, meta = _search(browser, url, "аналитические отчеты о результатах мониторингов", requests)
    assert "/programma/" in expected and "/programma/" in found[:5], (found[:8], expected)
    _assert_local(requests, url)


def test_a_school_activity_finds_the_school_page(browser, ilansky):
    site, url = ilansky
    title = _row("activities", "activity_id", "ilansky-rezultat-2019-05")["title"]
    assert "/shkoly/novgorodskaya-sosh-3/" in _pages_showing(site, title)
    requests: list[str] = []
    found, meta = _search(browser, url, "цифровой мониторинг учителя", requests)
    pages = list(dict.fromkeys(found))  # a page's matching sections follow it in the list: among the first five pages
    assert "/shkoly/novgorodskaya-sosh-3/" in pages[:5], pages[:8]
    _assert_local(requests, url)


def test_two_words_typed_key_by_key_show_results_at_once(browser, ilansky):
    """A two-word query typed key by key shows its results without another key being pressed (the query rewrite
    used to answer «Совпадений не найдено» until a letter was typed and deleted)."""
    site, url = ilansky
    requests: list[str] = []
    found, meta = _search(browser, url, "иланская 41", requests)
    assert found and found[0] == "/shkoly/ilanskaya-sosh-41/", found[:5]
    assert re.match(r"Найдено совпадений: \d+", meta), meta
