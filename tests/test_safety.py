"""Every data string appears on the site as literal text: no element, no link, no template evaluation."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import base_tables, write_project
from htmltext import Page
from kachestvo.build import BuildFailed, build
from kachestvo.escape import href, text

ATTACKS = {
    "script": "<script>alert(1)</script>",
    "md_link": "[x](javascript:alert(1))",
    "img": '<img src=x onerror="alert(1)">',
    "attr": '" onmouseover="alert(1)',
    "jinja": "{{ 7*7 }} {% include 'secret' %}",
    "snippet": '--8<-- "/etc/passwd"',
    "markdown": "**жирный** _курсив_ # заголовок {: .cls }",
    "pipe": "левая | правая",
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    tables = base_tables()
    tables["schools"][0].update(
        short_name=ATTACKS["script"], full_name=ATTACKS["md_link"], note=ATTACKS["img"], locality=ATTACKS["attr"]
    )
    tables["activities"][0].update(
        title=ATTACKS["jinja"], result="Итог:\n" + ATTACKS["snippet"] + "\n" + ATTACKS["pipe"], responsible=ATTACKS["markdown"]
    )
    tables["documents"][0].update(title=ATTACKS["md_link"], issuer=ATTACKS["script"])
    tables["municipality"][0].update(name=ATTACKS["script"], authority=ATTACKS["img"])
    tables["programmes"][0].update(title=ATTACKS["img"])
    tables["indicators"][0].update(text=ATTACKS["md_link"])
    tables["partner_groups"][0].update(name=ATTACKS["script"])
    root = tmp_path_factory.mktemp("hostile")
    project = write_project(root, tables)
    build(project, log=lambda *_: None)
    return project.site


def _pages(site: Path):
    for path in sorted(site.rglob("*.html")):
        yield path, Page(path.read_text(encoding="utf-8"))


def test_no_injected_element_or_link(hostile_site):
    for path, page in _pages(hostile_site):
        for tag, attrs in page.elements:
            assert not any(k.startswith("on") for k in attrs), (path, tag, attrs)
            for key in ("href", "src", "action"):
                assert not (attrs.get(key) or "").lower().startswith("javascript:"), (path, tag, attrs)
            assert not (tag == "img" and attrs.get("src") == "x"), path
        assert not any("alert(1)" in s for s in page.scripts), path


def test_data_shows_as_literal_text(hostile_site):
    school = Page((hostile_site / "shkoly" / "alpha" / "index.html").read_text(encoding="utf-8"))
    for key in ("script", "md_link", "img", "attr"):
        assert ATTACKS[key] in school.text, key
    activities = Page((hostile_site / "meropriyatiya" / "index.html").read_text(encoding="utf-8"))
    assert ATTACKS["jinja"] in activities.text and "49" not in activities.text
    assert ATTACKS["markdown"] in activities.text
    assert any(ATTACKS["snippet"] in td and ATTACKS["pipe"] in td for td in activities.tds), "cell split"
    home = (hostile_site / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in home
    assert ATTACKS["script"] in Page(home).text


def test_page_titles_are_escaped(hostile_site):
    html = (hostile_site / "shkoly" / "alpha" / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<script>" not in title and "&lt;script&gt;" in title


class _Strings(HTMLParser):
    """Every attribute value and text node of a page, character references resolved once."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.values: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.values += [v for _, v in attrs if v]

    def handle_data(self, data):
        self.values.append(data)


def test_site_name_is_escaped_once_everywhere(hostile_site):
    name = "Повышение качества образования — " + ATTACKS["script"]
    for path in sorted(hostile_site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        assert "&amp;lt;" not in html and "&amp;#" not in html, path  # a second escaping leaves these
        strings = _Strings(html).values
        shown = [v for v in strings if "Повышение качества образования — " in v]
        assert shown and all(name in v for v in shown), (path, shown)
        assert ATTACKS["script"] not in html, path  # and never unescaped


def test_link_from_data_must_be_http(tmp_path):
    tables = base_tables()
    tables["schools"][0]["website"] = "javascript:alert(1)"
    project = write_project(tmp_path, tables)
    with pytest.raises(BuildFailed, match="http:// или https://"):
        build(project, log=lambda *_: None)
    assert not project.site.exists()


@given(st.text())
def test_escaped_text_parses_back_to_the_original(value):
    rendered = str(text(value))
    page = Page(f"<p>{rendered}</p>")
    assert page.text.replace("\r", "") == value.replace("\r", "").replace("\n", "")
    assert rendered.count("<br>") == value.replace("\r\n", "\n").count("\n")


@given(st.text())
def test_only_http_links_pass(value):
    result = href(value)
    assert result is None or re.match(r"^https?://", result)
