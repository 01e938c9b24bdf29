"""What a parent reads: no results a school cannot have, no single-year charts, no developer words, and a home page
that counts and links only what was built — checked against the data and the built pages of every example."""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict

import pytest

from conftest import PROJECTS, base_tables, each_example, read_rows, write_project
from htmltext import Page
from kachestvo.build import generate_site
from kachestvo.history import History
from kachestvo.pages import applicable
from kachestvo.paths import Project

# words of developers, not of parents: on no public page's visible text
DEVELOPER_WORDS = re.compile(r"(?i)коммит|(?<![\w])git(?![\w])|CSV-строк|data/[\w./-]*\.csv|нет строки")


def _row(**kw) -> dict:
    base = dict(assessment="ЕГЭ", grade="11", subject="Математика", metric="средний балл", unit="балл", year=2021)
    return base | dict(value=None, value_missing=None) | kw


def test_results_a_school_cannot_have_are_left_out_with_the_reason():
    rows = [
        _row(value_missing="нет участников"),
        _row(year=2022, value_missing="нет участников"),
        _row(assessment="ОГЭ", grade="9", metric="средняя оценка", unit="оценка", value=3.4),
        _row(assessment="ГВЭ", grade="9", metric="средняя оценка", unit="оценка", value_missing="нет участников"),
        _row(assessment="ВПР", grade="5", value_missing="нет данных"),  # no data is said, not hidden
    ]
    shown, reasons = applicable.split(rows, "ООШ")
    assert {r["assessment"] for r in shown} == {"ОГЭ", "ВПР"}
    assert reasons == {"ЕГЭ": "в школе нет 11\u00a0класса", "ГВЭ": "участников не было ни в одном году"}
    assert applicable.sentence(reasons) == (
        "Не показаны результаты, которых у школы нет: ГВЭ (участников не было ни в одном году); ЕГЭ (в школе нет 11\u00a0класса)."
    )
    # a value is never left out, whatever the level says
    shown, reasons = applicable.split([_row(value=70.0), _row(year=2022, value_missing="нет участников")], "ООШ")
    assert len(shown) == 2 and reasons == {}
    # at a secondary school ЕГЭ applies: only «no participants every year» leaves it out
    assert applicable.split([_row(value_missing="не проводилось")], "СОШ") == ([_row(value_missing="не проводилось")], {})
    mixed = [_row(value_missing="не проводилось"), _row(year=2022, value_missing="нет участников")]
    assert applicable.split(mixed, "СОШ")[1] == {"ЕГЭ": "ни в одном году не проводилась или не было участников"}
    _, reasons = applicable.split([_row(subject="Химия", value_missing="нет участников"), _row(value=55.0)], "СОШ")
    assert reasons == {"ЕГЭ, 11\u00a0класс, химия": "участников не было ни в одном году"}


def test_a_single_year_is_a_sentence_and_a_table_not_a_chart(tmp_path):
    tables = base_tables()
    tables["results"] = [dict(r, year="2021") for r in tables["results"][:1]] + [
        dict(
            tables["results"][0],
            assessment="ЕГЭ",
            grade="11",
            metric="средний балл",
            unit="балл",
            value="",
            value_missing="нет участников",
            year=y,
        )
        for y in ("2020", "2021")
    ]
    tables["results"][0]["school_id"] = "beta"  # an ООШ: ОГЭ applies, ЕГЭ does not
    tables["results"][1]["school_id"] = tables["results"][2]["school_id"] = "beta"
    site, _ = generate_site(write_project(tmp_path, tables))
    beta = site.pages["shkoly/beta.md"]
    assert site.charts == []
    assert "Значения есть только за 2021\u00a0год, поэтому вместо графика — таблица." in beta
    assert "<caption>ОГЭ — средняя оценка, Бета ООШ</caption>" in beta and "Данные графика" not in beta  # a table
    assert "### ЕГЭ" not in beta and "Не показаны результаты, которых у школы нет: ЕГЭ (в школе нет 11\u00a0класса)." in beta
    assert "ЕГЭ —" not in site.pages["rezultaty/index.md"] and "Бета ООШ — ЕГЭ" in site.pages["rezultaty/index.md"]


def _school_pages(project: Project) -> dict[str, str]:
    return {
        p.parent.name: p.read_text(encoding="utf-8")
        for p in (project.site / "shkoly").glob("*/index.html")
        if p.parent.name != "spisok"
    }


def _h3(html: str) -> list[str]:
    return [m.strip() for m in re.findall(r"<h3[^>]*>(.*?)<", html, re.S)]


@pytest.mark.e2e
@pytest.mark.parametrize("name", each_example())
def test_no_page_lists_an_assessment_a_school_never_had(built, name):
    project = built(name)
    levels = {s["school_id"]: s["level"] for s in read_rows(name, "schools")}
    results = read_rows(name, "results") if (PROJECTS[name] / "data" / "results.csv").is_file() else []
    by_school = defaultdict(lambda: defaultdict(list))
    for r in results:
        if r["school_id"]:
            by_school[r["school_id"]][r["assessment"]].append(r)
    school_pages = _school_pages(project)
    results_page = project.site / "rezultaty" / "index.html"
    rows_listed = defaultdict(set)  # school → assessments with a row on the results page
    if results_page.is_file():
        for school_id, cells in re.findall(r'<tr data-school="([^"]+)">(.*?)</tr>', results_page.read_text(encoding="utf-8")):
            procedure = re.search(r'data-label="Процедура и предмет">([^<,]+)', cells)
            if procedure:
                rows_listed[school_id].add(procedure.group(1).strip())
    left_out = 0
    for school_id, assessments in by_school.items():
        html = school_pages[school_id]
        headings = _h3(html)
        for assessment, rows in assessments.items():
            empty = all(not r["value"] for r in rows)
            never = all(r["value_missing"] == "нет участников" for r in rows)
            no_class = (
                levels[school_id] in ("НОШ", "ООШ") and assessment == "ЕГЭ" or levels[school_id] == "НОШ" and assessment == "ОГЭ"
            )
            if empty and (never or no_class):
                left_out += 1
                assert not any(h.startswith(f"{assessment} —") for h in headings), (school_id, assessment)
                # nor the report card at the top (sentences «ГВЭ, 11 класс, …: нет участников»)
                top = html[: html.index('id="rezultaty-po-godam"')] if 'id="rezultaty-po-godam"' in html else html
                assert not re.search(rf"<li>(<abbr[^>]*>)?{assessment}(</abbr>)?,", top), (school_id, assessment)
                assert assessment not in rows_listed[school_id], (school_id, assessment)
                assert re.search(rf"Не показаны результаты, которых у школы нет:[^<]*{assessment}", Page(html).text), school_id
    if name == "ilansky":
        assert left_out == 5  # two primary schools' ОГЭ and ЕГЭ, a basic school's ЕГЭ (counted from the data above)


@pytest.mark.e2e
@pytest.mark.parametrize("name", each_example())
def test_no_chart_of_a_single_year_and_every_chart_has_its_table(built, name):
    project = built(name)
    site, _ = generate_site(Project.at(PROJECTS[name]))
    for chart in site.charts:
        assert len({int(r["year"]) for r in chart.rows}) >= 2, chart.alt
    for path in project.site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for figure in re.finditer(r'<figure class="kq-figure">.*?</figure>', html, re.S):
            after = html[figure.end() : figure.end() + 3000]
            assert "<caption>Данные графика:" in after, path


@pytest.mark.e2e
@pytest.mark.parametrize("name", each_example())
def test_no_developer_words_on_public_pages(built, name):
    project = built(name)
    for path in project.site.rglob("*.html"):
        text = Page(path.read_text(encoding="utf-8")).text
        found = DEVELOPER_WORDS.search(text)
        assert not found, (path.relative_to(project.site).as_posix(), text[max(0, found.start() - 80) : found.end() + 40])


def _in_git(path) -> bool:
    done = subprocess.run(["git", "ls-files", "--error-unmatch", "data/datapackage.json"], cwd=path, capture_output=True)
    return done.returncode == 0


@pytest.mark.parametrize("name", each_example())
def test_committed_examples_never_say_their_data_is_not_committed(name):
    """Each example lies in examples/<name>/ of this repository: every page names the date of its data's last change."""
    project = Project.at(PROJECTS[name])
    if not _in_git(project.root):
        pytest.skip("not a git checkout")
    site, _ = generate_site(project, history=History.of(project))
    for path, text in site.pages.items():
        history = text[text.index('<div class="kq-history"') :]
        assert "ещё не сохранены" not in history and '<time datetime="' in history, path


def _links(html: str) -> list[str]:
    return re.findall(r'<a [^>]*href="([^"#:]+)/?"', html)


@pytest.mark.e2e
@pytest.mark.parametrize("name", each_example())
def test_home_and_section_pages_count_and_link_only_what_was_built(built, name):
    project = built(name)
    home = (project.site / "index.html").read_text(encoding="utf-8")
    text = Page(home).text
    for href in _links(home[home.index('<div class="kq-numbers">') :]):
        if not href.startswith(("http", "assets", "..")):
            assert (project.site / href.strip("/") / "index.html").is_file() or (project.site / href).is_file(), href
    numbers = dict(
        (label.strip(), int(n))
        for n, label in re.findall(r"<strong>(\d+)</strong>\s*<span>([^<]+)</span>", home[home.index("kq-numbers") :])
    )
    schools = _school_pages(project)
    documents = [p for p in (project.site / "dokumenty").glob("*/index.html")]
    assert all(n > 0 for n in numbers.values()), numbers
    for label, n in numbers.items():
        if "со своей страницей" in label:
            assert n == len(schools), label
        if "документ" in label:
            assert n == len(documents), label
        if "муниципалитет" in label and "с данными" in label:
            assert n == len(read_rows(name, "municipality")) - 1
        if "в списках ШНОР/ШНСУ или" in label:  # it counts schools ever listed: Котельниковский's three are out by 2021
            assert label.endswith("за все годы в данных"), label
    if not schools:
        assert "Страниц отдельных школ на сайте нет" in text and "школ с данными" not in text
        assert "какие это школы" not in text
    has_results = (
        any(r["school_id"] for r in read_rows(name, "results")) if (PROJECTS[name] / "data" / "results.csv").is_file() else False
    )
    assert ("результаты по годам" in text) == has_results
    assert ("результаты оценочных процедур" in text) == has_results  # the section's blurb too
    # every section the home page links to was built, and every built section is linked
    sections = {h.strip("/") for h in _links(home[home.index('<ul class="kq-sections">') :]) if "/" not in h.strip("/")}
    built_sections = {p.parent.name for p in project.site.glob("*/index.html") if (project.site / p.parent.name).is_dir()}
    assert sections <= built_sections


# terms a parent meets on these sites; wherever one stands in a page's text, the glossary explains it
PARENT_TERMS = (
    "ШНОР",
    "ШНСУ",
    "ИСБШ",
    "ВПР",
    "ОГЭ",
    "ЕГЭ",
    "ГВЭ",
    "КДР",
    "ЦОКО",
    "НОШ",
    "ООШ",
    "СОШ",
    "кластер",
    "группа качества",
)


@pytest.mark.e2e
@pytest.mark.parametrize("name", each_example())
def test_terms_on_the_pages_are_in_the_glossary_and_explained_where_they_stand(built, name):
    project = built(name)
    glossary = {r["term"]: r["meaning"] for r in read_rows(name, "glossary")}
    for path in project.site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        text = Page(html).text
        for term in PARENT_TERMS:
            if re.search(rf"(?<![\w-]){term}(?![\w-])", text, re.IGNORECASE if term.islower() else 0):
                assert term in glossary, (path.relative_to(project.site).as_posix(), term)
    school = next(iter(_school_pages(project).values()), None)
    if school is not None:  # e.g. the classification table's header «Группа качества», explained where it stands
        for term in ("группа качества",):
            if term.capitalize() in Page(school).text:
                assert re.search(rf'<abbr title="[^"]+">{term.capitalize()}</abbr>', school), name


@pytest.mark.parametrize("name", each_example())
def test_cycle_page_names_tables_in_russian_and_links_each_to_its_description(built, name):
    """«Управленческий цикл»: the «Данные» column names each table by its title (no file names) and every link lands on
    the heading of that table on the open-data page."""
    project = built(name)
    page = (project.site / "cikl" / "index.html").read_text(encoding="utf-8")
    data_page = (project.site / "otkrytye-dannye" / "index.html").read_text(encoding="utf-8")
    assert ".csv" not in Page(page[page.index("<table") : page.index("</table>")]).text
    anchors = re.findall(r'href="\.\./otkrytye-dannye/#([\w-]+)">([^<]+)</a>', page)
    assert anchors, "no table is linked"
    for table, title in anchors:
        heading = re.search(rf'<h2 class="kq-h2" id="{table}">([^<]+)', data_page)
        assert heading and heading.group(1).strip() == title.strip(), (table, title)


# capitals that are no abbreviation: a command's placeholder on the documents page, a journal's title as published,
# the parts of a date's format («ГГГГ-ММ-ДД») on the open-data page
CAPITAL_WORDS = {"ФАЙЛ", "ИМИДЖ", "ГГГГ", "ММ", "ДД"}


def _abbreviations(text: str, glossary: list[str]) -> set[str]:
    """Runs of 2–6 Cyrillic capitals standing as words, once every glossary term (some are several words) is cut out."""
    for term in sorted(glossary, key=len, reverse=True):
        text = re.sub(rf"(?<![а-яёА-ЯЁ]){re.escape(term)}(?![а-яёА-ЯЁ])", " ", text)
    return set(re.findall(r"(?<![а-яёА-ЯЁA-Za-z])[А-ЯЁ]{2,6}(?![а-яёА-ЯЁ])", text)) - CAPITAL_WORDS


@pytest.mark.e2e
@pytest.mark.parametrize("name", each_example())
def test_every_abbreviation_a_reader_meets_is_in_the_glossary(built, name):
    """Not only a fixed list: any abbreviation in a page's visible text is explained (the transcriptions of the source
    documents, shown as the documents are, are left out)."""
    project = built(name)
    glossary = [r["term"] for r in read_rows(name, "glossary")]
    unexplained = {}
    for path in project.site.rglob("index.html"):
        rel = path.parent.relative_to(project.site).as_posix()
        if rel.startswith("dokumenty/"):
            continue
        html = path.read_text(encoding="utf-8")
        article = html[html.index("<article") : html.index("</article>")]
        for abbreviation in _abbreviations(Page(article).text, glossary):
            unexplained.setdefault(abbreviation, rel)
    assert unexplained == {}


def test_abbreviations_are_found_whole_and_glossary_terms_cut_out():
    glossary = ["ДПП ПК", "ШНОР"]
    assert _abbreviations("Программа ДПП ПК для ШНОР и ПК в МСО; ФАЙЛ; СОШ№4; ГосУслуги", glossary) == {"ПК", "МСО", "СОШ"}
