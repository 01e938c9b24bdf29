"""End-to-end: strict builds of every project, links, external hosts, downloads, determinism, failure safety."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import add_small_group, base_tables, each_example, write_project
from htmltext import Page
from kachestvo import rowkey
from kachestvo.build import BuildFailed, build
from kachestvo.dataset import load
from kachestvo.output.downloads import sheet_names
from kachestvo.schemas import schema

pytestmark = pytest.mark.e2e
NAMES = each_example()


def tree_hash(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()
    }


def html_pages(site: Path):
    for path in sorted(site.rglob("*.html")):
        yield path, Page(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", NAMES)
def test_every_school_has_a_page(built, name):
    project = built(name)
    ds = load(project)
    if ds["schools"].empty:
        # a source that names no school (examples/tyazhinsky): no «Школы» section rather than an empty one
        assert not (project.site / "shkoly").exists()
        return
    for school_id in ds["schools"]["school_id"]:
        page = project.site / "shkoly" / school_id / "index.html"
        assert page.is_file(), school_id
    listing = Page((project.site / "shkoly" / "index.html").read_text(encoding="utf-8"))
    for short in ds["schools"]["short_name"]:
        assert short in listing.text


@pytest.mark.parametrize("name", NAMES)
def test_every_indicator_and_group_is_published(built, name):
    project = built(name)
    ds = load(project)
    if ds.has("indicators"):
        programme = Page((project.site / "programma" / "index.html").read_text(encoding="utf-8"))
        for text in ds["indicators"]["text"]:
            assert " ".join(text.split()) in " ".join(programme.text.split()), text
    if ds["partner_groups"].empty:
        return
    schools = Page((project.site / "shkoly" / "index.html").read_text(encoding="utf-8"))
    for group in ds["partner_groups"]["name"]:
        assert group in schools.text


@pytest.mark.parametrize("name", NAMES)
def test_no_missing_value_leaks_as_nan(built, name):
    for path, page in html_pages(built(name).site):
        assert not re.search(r"\b(nan|NaN|None|NaT)\b|<NA>", page.text), path


@pytest.mark.parametrize("name", NAMES)
def test_internal_links_resolve(built, name):
    site = built(name).site
    for path, page in html_pages(site):
        for tag, attrs in page.elements:
            for key in ("href", "src"):
                url = attrs.get(key)
                if not url or url.startswith(("#", "mailto:", "data:")) or urlparse(url).scheme:
                    continue
                rel = urlparse(url).path
                target = (site / rel.lstrip("/") if rel.startswith("/") else path.parent / rel).resolve()
                if target.is_dir():
                    target = target / "index.html"
                assert target.exists(), f"{path.relative_to(site)}: {tag} {key}={url}"


def _data_urls(project) -> set[str]:
    ds = load(project)
    urls = set(ds["documents"]["url"].dropna()) | set(ds["schools"]["website"].dropna())
    return {urlparse(u).netloc for u in urls}


@pytest.mark.parametrize("name", NAMES)
def test_no_external_host_is_referenced(built, name):
    project = built(name)
    allowed = _data_urls(project)
    for path, page in html_pages(project.site):
        for tag, attrs in page.elements:
            for key in ("href", "src", "srcset", "action", "poster", "data"):
                host = urlparse(attrs.get(key) or "").netloc
                assert not host or host in allowed, f"{path}: {tag} {key}={attrs.get(key)}"
    for css in project.site.rglob("*.css"):
        for url in re.findall(r"url\(([^)]*)\)", css.read_text(encoding="utf-8")):
            assert not re.match(r"['\"]?(https?:)?//", url), (css, url)


@pytest.mark.parametrize("name", NAMES)
def test_downloads_are_complete_and_valid(built, name):
    from frictionless import Package
    from openpyxl import load_workbook

    project = built(name)
    files = project.site / "otkrytye-dannye" / "files"
    ds = load(project)
    tables = [r["name"] for r in ds.descriptor["resources"]]
    for table in tables:
        assert (files / f"{table}.csv").read_bytes() == (project.data / f"{table}.csv").read_bytes()
    report = Package(str(files / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    book = load_workbook(files / "data.xlsx")
    names = sheet_names(tables)
    assert book.sheetnames == ["О данных"] + [names[t] for t in tables]
    for table in tables:
        sheet = book[names[table]]
        titles = {f["name"]: f["title"] for f in schema(table)["fields"]}
        with open(project.data / f"{table}.csv", encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        key = [rowkey.HEADER] if schema(table).get("primaryKey") else []  # the hidden row-key column comes last
        assert [c.value for c in sheet[1]] == [titles[h] for h in header] + key, table  # Russian column titles
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref, table


@pytest.mark.parametrize("name", NAMES)
def test_site_name_shows_escaped_once_on_every_page(built, name):
    from kachestvo.build import site_name

    project = built(name)
    expected = site_name(load(project)["municipality"].iloc[0])
    for path, page in html_pages(project.site):
        logos = [a for tag, a in page.elements if tag == "a" and "md-logo" in (a.get("class") or "")]
        assert logos and all(a["title"] == expected and a["aria-label"] == expected for a in logos), path
        title = re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8"), re.S).group(1)
        assert html.unescape(title).endswith(expected), path


def test_rebuild_is_byte_identical(built):
    project = built("kotelnikovsky")
    before = tree_hash(project.site)
    build(project, log=lambda *_: None)
    assert tree_hash(project.site) == before


def assert_build_fails_and_keeps_site(project, path: Path, text: str, match: str) -> None:
    """Write `text` to `path`, expect BuildFailed matching `match`, restore the file, check site/ is unchanged."""
    before = tree_hash(project.site)
    old = path.read_text(encoding="utf-8") if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    try:
        with pytest.raises(BuildFailed, match=match):
            build(project, log=lambda *_: None)
    finally:
        path.write_text(old, encoding="utf-8") if old is not None else path.unlink()
    assert tree_hash(project.site) == before


def test_failed_build_leaves_previous_site(built):
    project = built("kotelnikovsky")
    path = project.data / "schools.csv"
    broken = path.read_text(encoding="utf-8").replace(",СОШ,", ",ШКОЛА,", 1)
    assert_build_fails_and_keeps_site(project, path, broken, "schools.csv», строка")


def test_content_clash_fails_and_leaves_site(built):
    project = built("kotelnikovsky")
    assert_build_fails_and_keeps_site(project, project.content / "shkoly" / "index.md", "# Моя страница\n", "shkoly/index.md")


def test_small_groups_are_suppressed_everywhere(tmp_path):
    tables = base_tables()
    add_small_group(tables)
    project = write_project(tmp_path, tables)
    build(project, log=lambda *_: None)
    for path in project.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".svg", ".csv", ".md"):
            text = path.read_text(encoding="utf-8")
            assert "4,87" not in text and "4.87" not in text, path
    rows = list(
        csv.DictReader(io.StringIO((project.site / "otkrytye-dannye" / "files" / "results.csv").read_text(encoding="utf-8")))
    )
    assert rows[0]["value"] == "" and rows[0]["value_missing"] == "скрыто"
    texts = [(p, p.read_text(encoding="utf-8")) for p in (project.site / "search").rglob("*.json")]
    assert any("скрыто" in t for p, t in texts if p.parent.name == "p")  # the page texts searched are the pages


def test_external_asset_in_content_fails_the_build(built):
    project = built("kotelnikovsky")
    assert_build_fails_and_keeps_site(
        project,
        project.content / "metodika.md",
        '# Методика\n\n<img src="https://example.com/counter.png" alt="счётчик">\n',
        "example.com",
    )


def test_hand_written_content_page_joins_the_nav(tmp_path):
    project = write_project(tmp_path, base_tables())
    (project.content / "metodika.md").write_text("# Методика сбора данных\n\nТекст.\n", encoding="utf-8")
    build(project, log=lambda *_: None)
    home = (project.site / "index.html").read_text(encoding="utf-8")
    nav = re.findall(r'<a href="([^"]*)"[^>]*>\s*(?:<span[^>]*>)?\s*Методика сбора данных', home)
    assert any(href.rstrip("/").endswith("metodika") for href in nav), nav  # a link in the menu, to the page
    assert "Текст." in (project.site / "metodika" / "index.html").read_text(encoding="utf-8")


def test_questionnaire_results_are_published(tmp_path):
    tables = base_tables()
    tables["questionnaires"] = [
        dict(
            questionnaire_id="q", title="Есть ли изменения?", scale="изменений нет; незначительные изменения; заметные изменения"
        )
    ]
    tables["questionnaire_items"] = [
        dict(item_id="q1", questionnaire_id="q", order="1", section="Доверие", text="Учителя обсуждают уроки")
    ]
    tables["questionnaire_results"] = [
        dict(item_id="q1", school_id="alpha", year="2022", answer="заметные изменения", respondents="7"),
        dict(item_id="q1", school_id="beta", year="2022", answer="заметные изменения", respondents="5"),
        dict(item_id="q1", school_id="beta", year="2022", answer="изменений нет", respondents="2"),
    ]
    project = write_project(tmp_path, tables)
    build(project, log=lambda *_: None)
    page = Page((project.site / "resheniya" / "index.html").read_text(encoding="utf-8"))
    assert ["Учителя обсуждают уроки", "2", "0", "12"] == page.tds[-4:]


@pytest.mark.parametrize("name", NAMES)
def test_the_404_page_is_russian_and_leads_home(built, name):
    text = (built(name).site / "404.html").read_text(encoding="utf-8")
    assert "Not found" not in text and "<h1>Страница не найдена</h1>" in text
    logo = re.search(r'<a href="([^"]*)"[^>]*class="md-header__button md-logo"', text).group(1)
    assert f'<a href="{logo}">Перейти на главную страницу</a>' in text
