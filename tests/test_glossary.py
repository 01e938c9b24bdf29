"""Glossary: tooltips on abbreviations that never touch tags, attributes, front matter or headings, stay escaped,
and keep raw-HTML tables intact; the glossary page on every example that has a glossary."""

from __future__ import annotations

import pytest

from conftest import base_tables, each_example, write_project
from htmltext import Page
from kachestvo.build import build
from kachestvo.dataset import load
from kachestvo.pages.abbreviations import tooltips

PAGE = """---
title: "ШНОР"
---
<!-- ШНОР -->
## ШНОР по годам

<p>Школы ШНОР и ШНСУ; ещё раз ШНОР; ШНОРовский не трогаем.</p>
<table><thead><tr><th>ГК</th></tr></thead><tbody>
<tr><td data-label="ШНОР">ШНСУ</td> <td><a href="x">ШНОР в ссылке</a></td></tr></tbody></table>
"""


def test_first_occurrence_in_text_only_and_escaped():
    mark = tooltips({"ШНОР": 'школы с низкими "результатами" <script>', "ШНСУ": "в неблагоприятных условиях", "ГК": "группа"})
    out = mark(PAGE)
    head, body = out.split("## ШНОР по годам\n")
    assert head == PAGE.split("## ШНОР по годам\n")[0]  # front matter, comment and heading untouched
    assert body.count("<abbr") == 3  # ШНОР and ШНСУ in the paragraph, ГК in the header cell
    assert '<abbr title="школы с низкими &#34;результатами&#34; &lt;script&gt;">ШНОР</abbr> и' in body
    assert "ШНОРовский" in body and "ещё раз ШНОР;" in body
    assert 'data-label="ШНОР"' in body and '<a href="x">ШНОР в ссылке</a>' in body
    page = Page(body)
    assert [t for t, _ in page.elements].count("td") == 2 and "<script>" not in body


def test_no_glossary_no_change():
    assert tooltips({})(PAGE) == PAGE


def test_glossary_page_and_tooltips_from_data(tmp_path):
    tables = base_tables()
    tables["glossary"] = [dict(term="ОГЭ", meaning="основной <государственный> экзамен", document_id="prikaz-1")]
    project = write_project(tmp_path, tables)
    build(project, log=lambda *_: None)
    glossary = (project.site / "terminy" / "index.html").read_text(encoding="utf-8")
    assert "основной &lt;государственный&gt; экзамен" in glossary and "Приказ" in glossary
    school = (project.site / "shkoly" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="основной &lt;государственный&gt; экзамен">ОГЭ</abbr>' in school


@pytest.mark.e2e
@pytest.mark.parametrize("name", each_example())
def test_examples_explain_their_abbreviations(built, name):
    project = built(name)
    ds = load(project)
    page = Page((project.site / "terminy" / "index.html").read_text(encoding="utf-8"))
    for term in ds["glossary"]["term"]:
        assert term in page.text
    assert "ШНОР" in set(ds["glossary"]["term"])
    home = (project.site / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="школы с низкими образовательными результатами' in home


def test_a_lower_case_term_is_explained_at_the_start_of_a_sentence_too():
    mark = tooltips({"кластер": "группа похожих школ", "группа качества": "группа по результатам"})
    out = mark("<p>Кластер: сельские школы.</p>\n<p>Школа в группа качества 2; кластер тот же.</p>\n")
    assert '<abbr title="группа похожих школ">Кластер</abbr>: сельские' in out
    assert '<abbr title="группа похожих школ">кластер</abbr> тот же' in out  # each written form once
    assert '<abbr title="группа по результатам">группа качества</abbr>' in out
    assert "<abbr" not in mark("<p>Кластеры и кластерный подход.</p>")  # a term stands as a whole word only
