"""The school report card and the published district average: sentences from data only, the average a
results row of the municipality (never arithmetic over the site's schools), and its validation rules."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from conftest import PROJECTS, base_tables, read_rows, write_project
from kachestvo import fmt
from kachestvo.build import build
from kachestvo.pages import report_card
from kachestvo.validate import validate

NB = fmt.NBSP


def _row(year, value, missing=None, metric="средняя оценка", unit="оценка", **kw):
    return dict(
        dict(
            assessment="ОГЭ",
            grade="9",
            subject="Математика",
            year=year,
            metric=metric,
            unit=unit,
            value=value,
            value_missing=missing,
            document_id="d",
        ),
        **kw,
    )


def test_sentence_compares_with_published_average_and_previous_time():
    rows = [_row(2019, 3.1), _row(2020, None, "не проводилось"), _row(2021, 3.4)]
    averages = {("ОГЭ", "9", "Математика", "средняя оценка", 2021): _row(2021, 3.7)}
    s = report_card.result_sentence(rows, averages, "по району", lambda r: Markup('<a href="d">Приказ</a>'))
    assert s == (
        f"ОГЭ, 9{NB}класс, математика, 2021: средняя оценка 3,4 — на 0,3{NB}балла ниже, чем в среднем по району, 2021 "
        f'(3,7; это хуже; <a href="d">Приказ</a>); в 2019 — 3,1 (↑{NB}0,3, лучше).'
    )


@pytest.mark.parametrize(
    "value,average,words",
    [
        # lower is better (a share of «2»): below the average is better, above is worse — both ways
        (0.05, 0.17, f"на 12{NB}п.{NB}п. ниже, чем в среднем по району, 2021 (17{NB}%; это лучше)"),
        (0.30, 0.17, f"на 13{NB}п.{NB}п. выше, чем в среднем по району, 2021 (17{NB}%; это хуже)"),
    ],
)
def test_comparison_with_the_average_is_judged_by_direction(value, average, words):
    rows = [_row(2021, value, metric="доля «2»", unit="доля")]
    averages = {("ОГЭ", "9", "Математика", "доля «2»", 2021): _row(2021, average, metric="доля «2»", unit="доля")}
    assert words in report_card.result_sentence(rows, averages, "по району")


def test_sentence_says_when_no_average_is_published_and_judges_a_change_by_direction():
    rows = [_row(2019, 0.12, metric="доля «2»", unit="доля"), _row(2021, 0.30, metric="доля «2»", unit="доля")]
    # an average of another year or metric is not the same comparison
    averages = {("ОГЭ", "9", "Математика", "доля «2»", 2019): _row(2019, 0.2, metric="доля «2»", unit="доля")}
    s = report_card.result_sentence(rows, averages, "по району")
    assert "среднее по району не опубликовано" in s
    assert f"в 2019 — 12{NB}% (↑{NB}18{NB}п.{NB}п., хуже)" in s  # a share of «2» going up is worse, never bare «↑»
    down = [_row(2019, 0.30, metric="доля «2»", unit="доля"), _row(2021, 0.12, metric="доля «2»", unit="доля")]
    assert f"(↓{NB}18{NB}п.{NB}п., лучше)" in report_card.result_sentence(down, {}, "по району")


def test_sentence_for_a_missing_latest_result_and_equal_values():
    rows = [_row(2019, 50.0, metric="средний балл", unit="балл"), _row(2021, None, "нет участников", metric="средний балл")]
    s = report_card.result_sentence(rows, {}, "по району")
    assert s == "ОГЭ, 9\u00a0класс, математика, 2021: средний балл: нет участников; последний результат — 50 в 2019."
    same = [_row(2019, 3.5), _row(2021, 3.5)]
    avg = {("ОГЭ", "9", "Математика", "средняя оценка", 2021): _row(2021, 3.5)}
    assert "как в среднем по району, 2021 (3,5); в 2019 — 3,5 (=)" in report_card.result_sentence(same, avg, "по району")
    ball = [_row(2021, 60.0, metric="средний балл", unit="балл")]
    avg = {("ОГЭ", "9", "Математика", "средний балл", 2021): _row(2021, 55.0, metric="средний балл", unit="балл")}
    assert (
        f"средний балл 60 — на 5{NB}баллов выше, чем в среднем по району, 2021 (55; это лучше); "
        "более ранних результатов в данных нет." in report_card.result_sentence(ball, avg, "по району")
    )


def test_one_sentence_per_subject_with_every_metric():
    rows = [
        _row(2019, 0.70, metric="доля «4 и 5»", unit="доля"),
        _row(2021, 0.76, metric="доля «4 и 5»", unit="доля"),
        _row(2021, 0.07, metric="доля «2»", unit="доля"),
        _row(2021, 12.0, metric="число участников", unit="человек"),
    ]
    out = report_card.results(rows, [], "по району")
    assert out == [
        dict(
            assessment="ОГЭ",
            sentences=[
                f"ОГЭ, 9{NB}класс, математика, 2021: доля «4 и 5» 76{NB}%, в 2019 — 70{NB}% (↑{NB}6{NB}п.{NB}п., лучше); "
                f"доля «2» 7{NB}%."
            ],
        )
    ]


def test_no_published_average_is_said_in_one_line_not_in_every_sentence():
    """No average for any of the school's results: one line says so, no sentence repeats it; where some are published,
    the sentences without one say so each (the line is not there)."""
    rows = [
        _row(2021, 3.4),
        _row(2021, 3.9, subject="Русский язык"),
        _row(2021, 0.1, metric="доля «2»", unit="доля"),
    ]
    none = report_card.results(rows, [], "по району")
    assert not [s for a in none for s in a["sentences"] if "не опубликовано" in s]
    assert report_card.unpublished(rows, [], "по району") == (
        "Среднее по району за эти годы, классы и предметы не опубликовано: результаты школы сравниваются только с её "
        "прошлыми результатами."
    )
    other_year = [_row(2019, 3.5, municipality_id="test")]  # an average of another year compares nothing
    assert report_card.unpublished(rows, other_year, "по району") == report_card.unpublished(rows, [], "по району")
    some = [_row(2021, 3.7, municipality_id="test")]
    assert report_card.unpublished(rows, some, "по району") is None
    sentences = [s for a in report_card.results(rows, some, "по району") for s in a["sentences"]]
    said = ["не опубликовано" in s for s in sentences]
    assert said == [False, True], sentences  # математика: both metrics compared or said; русский язык: not published


def test_a_value_keeps_the_precision_it_was_written_with():
    """«4,0» in the source stays «4,0» (its CSV text «4.0»); «4» and «3,4» gain no zeros."""
    from kachestvo.dataset import DECIMALS

    rows = [_row(2019, 3.4, **{DECIMALS: 1}), _row(2020, 4.0, **{DECIMALS: 0}), _row(2021, 4.0, **{DECIMALS: 1})]
    s = report_card.result_sentence(rows, {}, "по району")
    assert "средняя оценка 4,0; в 2020 — 4 (=)" in s


def test_status_says_list_year_reason_and_document():
    memberships = [
        dict(list="региональный список ШНОР", year=2020, status="включена", reason=None, document_id="a"),
        dict(list="региональный список ШНОР", year=2021, status="исключена", reason="Рост результатов.\nЕщё", document_id="b"),
    ]
    out = [str(s) for s in report_card.status(memberships, [], lambda r: f"[{r['document_id']}]")]
    assert out[0] == (
        "Сейчас не относится к школам с низкими результатами: исключена из регионального списка ШНОР в 2021 году ([b])."
    )
    assert out[1].startswith("Основание (региональный список ШНОР, 2021): Рост результатов")
    pilot = [dict(list="пилотная площадка", year=2020, status="включена", reason=None, document_id="a")]
    assert [str(s) for s in report_card.status(pilot, [], lambda r: "")][1:] == ["Роль «пилотная площадка» с 2020 года."]
    on = [dict(list="список ШНСУ", year=2022, status="включена", reason="Низкий ИСБШ", document_id="c")]
    assert [str(s) for s in report_card.status(on, [], lambda r: "")] == [
        "Школа с низкими результатами: входит в список ШНСУ с 2022 года.",
        "Основание (список ШНСУ, 2022): Низкий ИСБШ.",
    ]


def test_activities_of_the_year():
    from datetime import date

    acts = [
        dict(start_date=date(2021, 3, 1), end_date=date(2021, 3, 31)),
        dict(start_date=date(2020, 9, 1), end_date=date(2021, 8, 31)),
        dict(start_date=date(2019, 1, 1), end_date=date(2019, 2, 1)),
        dict(start_date=None, end_date=None),
    ]
    assert report_card.activities_year(acts, None) == (2021, 2, 1)
    assert report_card.activities_year(acts, 2019) == (2019, 1, 1)


def _municipal_row(**kw):
    return dict(
        dict(
            municipality_id="test",
            assessment="ОГЭ",
            grade="9",
            subject="Математика",
            year="2021",
            metric="средняя оценка",
            unit="оценка",
            value="3.7",
            document_id="prikaz-1",
        ),
        **kw,
    )


def test_published_average_reaches_school_card_and_results_page(tmp_path):
    tables = base_tables()
    tables["results"].append(_municipal_row())
    project = write_project(tmp_path, tables)
    build(project, log=lambda *_: None)
    school = (project.site / "shkoly" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert "средняя оценка 3,8 — на 0,1\u00a0балла выше, чем в среднем по району, 2021 (3,7; это лучше; " in school
    assert re.search(
        r"в среднем по району, 2021 \(3,7; это лучше; <a class=\"kq-doc\" href=\"../../dokumenty/prikaz-1/\">", school
    )
    assert "9 класс: Математика — среднее по району" in school  # drawn and tabulated beside the school
    results = (project.site / "rezultaty" / "index.html").read_text(encoding="utf-8")
    assert ": среднее по школам" not in results
    assert "среднее по району, опубликованное органом управления образованием" in results
    assert "Школ с результатом по годам: 2019 — 1; 2020 — не проводилось; 2021 — 1." in results
    # the municipal row is not a school: no school link or school row for it
    assert 'data-school="None"' not in results and 'data-school=""' not in results


def test_without_a_published_average_the_card_says_so(built):
    html = (built("kotelnikovsky").site / "shkoly" / "krasnoyarskaya-sh" / "index.html").read_text(encoding="utf-8")
    page = re.sub(r"</?abbr[^>]*>", "", html)  # glossary tooltips mark abbreviations such as «ОГЭ»
    assert "ОГЭ, 9\u00a0класс, математика, 2021: средняя оценка 3,33; в 2019 — 4 (↓\u00a00,67, хуже)." in page
    card = page[page.index('<div class="kq-report">') : page.index("</div>", page.index('<div class="kq-report">'))]
    assert card.count("не опубликовано") == 1  # one line, not one per sentence
    assert "Среднее по району за эти годы, классы и предметы не опубликовано" in card
    results = (built("kotelnikovsky").site / "rezultaty" / "index.html").read_text(encoding="utf-8")
    assert ": среднее по школам" not in results and "Среднее по району не опубликовано." in results


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_examples_hold_no_municipal_rows_the_seeds_do_not_state(name):
    # none of the three seeds (000 Ирбит, 001 Котельниковский, 002 Иланский) publishes a district average
    rows = read_rows(name, "results") if (PROJECTS[name] / "data" / "results.csv").exists() else []
    assert not [r for r in rows if r["municipality_id"]]
    assert all(r["school_id"] for r in rows)


@pytest.mark.parametrize(
    "row, code, field",
    [
        (_municipal_row(school_id="alpha"), "result-scope", "school_id"),
        (_municipal_row(municipality_id=""), "result-scope", "school_id"),
        (_municipal_row(document_id=""), "municipal-result-source", "document_id"),
        (_municipal_row(municipality_id="elsewhere"), "foreign-key", "municipality_id"),
    ],
)
def test_municipal_rows_are_checked(tmp_path, row, code, field):
    tables = base_tables()
    tables["results"].append(row)
    problems = validate(write_project(tmp_path, tables))[1]
    assert any(p.code == code and p.file == "data/results.csv" and p.row == 5 for p in problems), problems
    if code != "foreign-key":
        assert any(p.field == field for p in problems if p.code == code)


def test_valid_municipal_row_passes(tmp_path):
    tables = base_tables()
    tables["results"].append(_municipal_row())
    assert validate(write_project(tmp_path, tables))[1] == []
