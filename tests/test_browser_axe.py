"""axe-core (the npm package pinned in tests/npm/package-lock.json, installed by `.ci/run` with `npm ci`) in Debian's
Chromium: one page of each kind in every example, light and dark, with the search closed and open (a query typed,
its results shown): no violation at all, of any impact.

A page's kind is its section for a section page, and «section/*» for the pages inside one (a school, a document,
a part of the list of schools, a municipality)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import PROJECTS, ROOT, TIMEOUT_MS, serve_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = ROOT / "tests" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
RUN_JS = "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations"


def kinds(site: Path) -> dict[str, str]:
    """One page (its address) of each kind of a built site."""
    out: dict[str, str] = {}
    for path in sorted(site.rglob("index.html")):
        parts = path.parent.relative_to(site).parts
        kind = "/".join(parts[:1]) + ("/*" * (len(parts) > 1)) if parts else "home"
        if len(parts) > 2:
            kind = "/".join(parts[:2]) + "/*"
        out.setdefault(kind, "/".join(parts) + "/" if parts else "")
    return out


def _axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing: .ci/run must run `npm ci --prefix tests/npm`", pytrace=False)
        pytest.skip("axe-core is not installed (npm ci --prefix tests/npm)")
    return AXE.read_text(encoding="utf-8")


def _describe(violations: list[dict]) -> str:
    return "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {' '.join(map(str, n['target']))}  {n['html'][:140]}" for n in v["nodes"][:5])
        for v in violations
    )


def _open_search(page, query: str) -> None:
    box = page.locator(".md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material reads the query on keyup
    page.locator(".md-search-result__item").first.wait_for(state="visible")
    page.wait_for_function("() => /Найдено/.test(document.querySelector('.md-search-result__meta').textContent)")


@pytest.mark.parametrize("name", list(PROJECTS))
def test_axe_finds_nothing_on_any_kind_of_page(built, browser, name):
    source = _axe_source()
    site = built(name).site
    pages = kinds(site)
    assert {"home", "shkoly", "dokumenty"} <= set(pages) or name == "tyazhinsky", pages
    problems = []
    with serve_site(site) as url:
        for scheme in ("light", "dark"):
            ctx = browser.new_context(color_scheme=scheme, viewport={"width": 1366, "height": 900})
            ctx.set_default_timeout(TIMEOUT_MS)
            try:
                page = ctx.new_page()
                for kind, rel in pages.items():
                    for search in (False, True):
                        page.goto(url + rel)
                        page.wait_for_load_state("load")
                        if search:
                            _open_search(page, "школа")
                        page.add_script_tag(content=source)
                        violations = page.evaluate(RUN_JS)
                        if violations:
                            state = "search open" if search else "search closed"
                            problems.append(f"/{rel} ({kind}, {scheme}, {state}):\n{_describe(violations)}")
            finally:
                ctx.close()
    assert not problems, "\n".join(problems)


def test_every_kind_is_found():
    """The kinds of a site as the test above takes them."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        for rel in ("", "shkoly", "shkoly/a", "shkoly/b", "shkoly/spisok/1", "shkoly/spisok/2", "dokumenty/x"):
            (site / rel).mkdir(parents=True, exist_ok=True)
            (site / rel / "index.html").write_text("", encoding="utf-8")
        assert kinds(site) == {
            "home": "",
            "shkoly": "shkoly/",
            "shkoly/*": "shkoly/a/",
            "shkoly/spisok/*": "shkoly/spisok/1/",
            "dokumenty/*": "dokumenty/x/",
        }
