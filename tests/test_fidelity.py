"""Seed fidelity and provenance on the built examples: list sizes the source states (Иланский: 8 = 7 + 5 − 4),
the programme's approval from its approving document only, «4,0» kept as written wherever the value shows, and
inferred values marked on the page, in the downloads and in the audit."""

from __future__ import annotations

import re

import pytest

from conftest import read_rows
from kachestvo.audit import audit, format_text

NB = "\u00a0"


def _card(html: str) -> str:
    """The headline and the report card of a school page (from the article, not the table of contents)."""
    start = html.index('class="kq-headline"')
    return html[start : re.search(r'<h2 id="[^"]*">О школе', html).start()]


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).replace(NB, " ")


@pytest.mark.slow
def test_ilansky_home_shows_the_stated_list_sizes(built):
    home = _plain((built("ilansky").site / "index.html").read_text(encoding="utf-8"))
    assert "8 школ в списках ШНОР/ШНСУ (2020): «Рособрнадзор» — 7 (из них 4 и в «ЦОКО»), «ЦОКО» — 5" in home
    assert "названы в источнике и есть на сайте — 4" in home
    assert "2020: включено 8" in home  # the chart's text and table count the stated sizes, not the named schools


@pytest.mark.slow
def test_programme_approval_comes_from_its_approving_document_only(built):
    kot = _plain((built("kotelnikovsky").site / "programma" / "index.html").read_text(encoding="utf-8"))
    assert "Утверждена" not in kot  # the protocol of 20.05.2021 did not approve the plan
    assert "Источник: Протокол от 20.05.2021; документ, которым программа утверждена, в источнике не назван." in kot
    ila = _plain((built("ilansky").site / "programma" / "index.html").read_text(encoding="utf-8"))
    assert "Утверждена: Приказ № 63-од от 09.03.2021." in ila


@pytest.mark.slow
def test_a_value_written_4_0_shows_4_0_everywhere(built):
    """nagolnenskaya-sh, ВПР, русский язык, 2021: the seed writes «4,0» (CSV «4.0»); «4» and «3,4» gain no zeros."""
    row = [
        r
        for r in read_rows("kotelnikovsky", "results")
        if r["school_id"] == "nagolnenskaya-sh"
        and r["assessment"] == "ВПР"
        and r["year"] == "2021"
        and r["subject"] == "Русский язык"
    ]
    assert row[0]["value"] == "4.0"
    site = built("kotelnikovsky").site
    school = (site / "shkoly" / "nagolnenskaya-sh" / "index.html").read_text(encoding="utf-8")
    card = _plain(_card(school))
    assert "ВПР, русский язык, 2021: средняя оценка 4,0;" in card
    assert re.search(r"alt=\"[^\"]*Русский язык: 3,16 в 2019 году, 4,0 в 2021 году", school)  # the chart's alt text
    assert re.search(r'data-label="2021">4,0</td>', school)  # the chart's data table
    other = (site / "shkoly" / "krasnoyarskaya-sh" / "index.html").read_text(encoding="utf-8")
    assert "средняя оценка 3,33; в 2019 — 4 (↓ 0,67, хуже)" in _plain(_card(other))  # «4» stays «4»
    results = (site / "rezultaty" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"Нагольненская СШ.{0,400}?>4,0</td>", results, re.S)


@pytest.mark.slow
def test_inferred_values_are_marked_on_pages_downloads_and_audit(built):
    project = built("irbit")
    school = (project.site / "shkoly" / "berdyuginskaya-sosh" / "index.html").read_text(encoding="utf-8")
    card = _card(school)
    assert "без особенностей" in card and "(по косвенным данным)" in card
    home = _plain((project.site / "index.html").read_text(encoding="utf-8"))
    assert "Данные по состоянию на 14 октября 2020 г. (по косвенным данным:" in home
    download = (project.site / "otkrytye-dannye" / "files" / "classifications.csv").read_text(encoding="utf-8")
    assert "inferred" in download.splitlines()[0] and "Итог «без особенностей» в источнике не назван" in download
    report = audit(project)
    inferred_rows = [
        r for t in ("list_membership", "classifications", "municipality") for r in read_rows("irbit", t) if r["inferred"]
    ]
    assert len(report.inferred) == len(inferred_rows) > 0
    assert f"Значения по косвенным данным (на сайте помечены): {len(inferred_rows)}." in format_text(report, "irbit")
    kot = (built("kotelnikovsky").site / "shkoly" / "krasnoyarskaya-sh" / "index.html").read_text(encoding="utf-8")
    status = kot[re.search(r'<h2 id="[^"]*">Статус и его история', kot).start() :]
    assert status.count("(по косвенным данным)") >= 2  # the 2020 inclusion and the 2021 exclusion years


@pytest.mark.slow
def test_methodology_page_states_the_rules_with_the_code_thresholds(built):
    from kachestvo import fmt, indicator_values

    page = _plain((built("kotelnikovsky").site / "kak-chitat" / "index.html").read_text(encoding="utf-8"))
    assert "входит в список «с 2019 года»" in page  # the standing rule: since the latest return to the list
    assert "Источники о статусе расходятся" in page
    for word in ("не менее", "не более", "да/нет", "в диапазоне", "справочно"):
        assert f"«{word}»" in page
    substantial = fmt.number(indicator_values.SUBSTANTIAL * 100, 0)
    still = fmt.number(indicator_values.STILL * 100, 0)
    assert f"пройдено не меньше {substantial} % пути" in page and f"сдвиг меньше {still} % пути" in page
    for word in ("цель достигнута", "заметный прогресс", "слабый прогресс", "без изменений", "ухудшение"):
        assert word in page


def test_import_keeps_the_new_columns(mini, tmp_path):
    """«По косвенным данным» and «Направление» come through `kachestvo import` by their Russian titles."""
    from openpyxl import Workbook

    from kachestvo import schemas
    from kachestvo.cli import main

    book = Workbook()
    ws = book.active
    ws.title = "Лист"
    fields = schemas.schema("indicators")["fields"]
    ws.append([f["title"] for f in fields])
    ws.append(
        [
            dict(indicator_id="t1-i1", task_id="t1", order=1, text="Наличие приказа", unit="да/нет", direction="да/нет").get(
                f["name"]
            )
            for f in fields
        ]
    )
    path = tmp_path / "Показатели.xlsx"
    book.save(path)
    assert main(["import", str(path), "--table", "indicators", "--sheet", "Лист", "--project", str(mini.root)]) == 0
    import csv

    with open(mini.data / "indicators.csv", encoding="utf-8", newline="") as fh:
        assert [r["direction"] for r in csv.DictReader(fh)] == ["да/нет"]

    book = Workbook()
    ws = book.active
    ws.title = "Лист"
    fields = schemas.schema("list_membership")["fields"]
    reason = "Год в источнике не указан: год отчёта"
    row = dict(school_id="alpha", list="ЦОКО", year=2020, status="включена", document_id="prikaz-1", inferred=reason)
    ws.append([f["title"] for f in fields])
    ws.append([row.get(f["name"]) for f in fields])
    path = tmp_path / "Списки.xlsx"
    book.save(path)
    assert main(["import", str(path), "--table", "list_membership", "--sheet", "Лист", "--project", str(mini.root)]) == 0
    text = (mini.data / "list_membership.csv").read_text(encoding="utf-8")
    assert "inferred" in text.splitlines()[0] and reason in text


@pytest.mark.slow
def test_the_workbook_keeps_a_written_4_0(built):
    from openpyxl import load_workbook

    book = load_workbook(built("kotelnikovsky").site / "otkrytye-dannye" / "files" / "data.xlsx")
    sheet = next(ws for ws in book.worksheets if ws.title.startswith("Результаты"))
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    at = {name: header.index(name) for name in ("Школа", "Год", "Предмет", "Процедура", "Значение")}
    (row,) = [
        r
        for r in sheet.iter_rows(min_row=2)
        if (r[at["Школа"]].value, r[at["Год"]].value, r[at["Предмет"]].value, r[at["Процедура"]].value)
        == ("nagolnenskaya-sh", 2021, "Русский язык", "ВПР")
    ]
    assert row[at["Значение"]].value == 4 and row[at["Значение"]].number_format == "0.0"  # Excel shows «4,0»


def _sizes_project(tmp_path, sizes, included=2):
    from conftest import base_tables, write_project

    tables = base_tables()
    tables["list_membership"] = [
        dict(school_id=s, list="ЦОКО", year="2020", status="включена", document_id="prikaz-1")
        for s in ("alpha", "beta")[:included]
    ]
    tables["list_sizes"] = sizes
    return write_project(tmp_path, tables)


@pytest.mark.parametrize(
    "sizes",
    [
        [dict(list="ЦОКО", year="2020", schools="1")],  # two schools named, the source says one
        [dict(list="ЦОКО", year="2020", schools="5", shared_with="Рособрнадзор", shared="2")],  # no such row that year
        [dict(list="ЦОКО", year="2020", schools="5", shared="2")],  # shared without the other list
        [
            dict(list="ЦОКО", year="2020", schools="5", shared_with="Рособрнадзор", shared="6"),  # more shared than held
            dict(list="Рособрнадзор", year="2020", schools="7"),
        ],
    ],
)
def test_list_sizes_that_do_not_hold_together_are_rejected(tmp_path, sizes):
    from kachestvo.validate import validate

    _, problems = validate(_sizes_project(tmp_path, sizes))
    assert [p.code for p in problems] == ["list-size"], problems


def test_stated_list_sizes_pass(tmp_path):
    from kachestvo.validate import validate

    sizes = [
        dict(list="Рособрнадзор", year="2020", schools="7", shared_with="ЦОКО", shared="4", document_id="prikaz-1"),
        dict(list="ЦОКО", year="2020", schools="5", document_id="prikaz-1"),
    ]
    assert validate(_sizes_project(tmp_path, sizes))[1] == []


def _home_with_inferred_years(tmp_path):
    """A project whose only list decisions have inferred years (as Котельниковский's): alpha included in 2020, excluded
    in 2021; beta included in 2021 by a stated year."""
    from conftest import base_tables, write_project
    from kachestvo.pages import generate
    from kachestvo.protect import protect
    from kachestvo.validate import validate

    tables = base_tables()
    row = dict(school_id="alpha", list="региональный список ШНОР", document_id="prikaz-1")
    tables["list_membership"] = [
        dict(row, year="2020", status="включена", inferred="Год включения в источнике не указан: год программы"),
        dict(row, year="2021", status="исключена", reason="Рост", inferred="Год исключения в источнике не указан: год протокола"),
        dict(row, school_id="beta", year="2021", status="включена"),
    ]
    ds, problems = validate(write_project(tmp_path, tables))
    assert problems == []
    site, _ = generate(protect(ds))
    return site.pages["index.md"]


def test_the_home_chart_marks_counts_resting_on_inferred_years(tmp_path):
    """The home page's chart of inclusions and exclusions by year counts the inferred years too: its summary (also the
    chart's alt text) and its data table mark each such count, with the reason on hover; a stated count stays plain."""
    home = _home_with_inferred_years(tmp_path)
    summary = "2020: включено 1 (по косвенным данным), исключено 0. 2021: включено 1, исключено 1 (по косвенным данным)."
    assert summary in home
    assert f'alt="График: Школы с низкими результатами (ШНОР/ШНСУ) по годам. {summary}' in home
    table = home[home.index("Данные графика") :]
    cells = re.findall(r'data-label="(\d{4})">(.*?)</td>', table, re.S)
    marked = [(year, "Год включения" in cell or "Год исключения" in cell) for year, cell in cells]
    # rows: included (2020, 2021), excluded (2020, 2021)
    assert marked == [("2020", True), ("2021", False), ("2020", False), ("2021", True)], cells
    assert all(("по косвенным данным" in cell) == m for (_, cell), (_, m) in zip(cells, marked))
    assert "&lt;" not in table  # the mark is markup, not escaped text


def test_a_document_page_marks_the_inferred_figures_it_lists(tmp_path):
    """A document's page lists every figure that cites it: an inferred list year and an inferred identification result
    carry the mark there (with the reason on hover), the row's stated figures (its groups) do not."""
    from conftest import base_tables, write_project
    from kachestvo.pages import generate
    from kachestvo.protect import protect
    from kachestvo.validate import validate

    tables = base_tables()
    tables["list_membership"] = [
        dict(school_id="alpha", list="ЦОКО", year="2020", status="включена", document_id="prikaz-1", inferred="Год отчёта"),
        dict(school_id="beta", list="ЦОКО", year="2021", status="включена", document_id="prikaz-1"),
    ]
    tables["classifications"] = [
        dict(
            school_id="alpha",
            year="2020",
            quality_group="6",
            quality_level="с",
            isbsh_group="3",
            isbsh_level="н",
            identification_result="без особенностей",
            document_id="prikaz-1",
            inferred="Итог в источнике не назван: группа качества 6",
        )
    ]
    ds, problems = validate(write_project(tmp_path, tables))
    assert problems == []
    site, _ = generate(protect(ds))
    page = site.pages["dokumenty/prikaz-1.md"]
    rows = {
        _plain(m.group(1)): m.group(2)
        for m in re.finditer(r'<td data-label="Что">(.*?)</td>\s*<td data-label="На сайте">(.*?)</td>', page, re.S)
    }
    marked = {what: "по косвенным данным" in shown for what, shown in rows.items()}
    assert marked == {
        "Альфа СОШ (alpha) · ЦОКО · 2020": True,
        "Бета ООШ (beta) · ЦОКО · 2021": False,
        "Альфа СОШ (alpha) · 2020 · группа качества": False,
        "Альфа СОШ (alpha) · 2020 · группа ИСБШ": False,
        "Альфа СОШ (alpha) · 2020 · идентификация": True,
        **{what: False for what in rows if "ОГЭ" in what or "число школ" in what},
    }, rows
    assert 'title="Год отчёта"' in rows["Альфа СОШ (alpha) · ЦОКО · 2020"]


def test_import_keeps_the_decimals_a_cell_shows(mini, tmp_path):
    """Excel stores «4,0» typed in a cell formatted «0,0» as the number 4: the import writes «4.0», as the cell shows
    it (and the site then shows «4,0»); a «4» in a General cell stays «4», a «3,4» stays «3.4»."""
    import csv

    from openpyxl import Workbook

    from kachestvo import schemas
    from kachestvo.cli import main

    book = Workbook()
    ws = book.active
    ws.title = "Лист"
    fields = [f["name"] for f in schemas.schema("results")["fields"]]
    ws.append([f["title"] for f in schemas.schema("results")["fields"]])
    base = dict(school_id="beta", assessment="ВПР", grade="4", metric="средняя оценка", unit="оценка", document_id="prikaz-1")
    for year, subject, value, shown in (
        (2021, "Русский язык", 4, "0.0"),
        (2021, "Математика", 4, None),
        (2022, "Математика", 3.4, "0.0"),
    ):
        ws.append([dict(base, year=year, subject=subject, value=value).get(f) for f in fields])
        if shown:
            ws.cell(row=ws.max_row, column=fields.index("value") + 1).number_format = shown
    path = tmp_path / "Результаты.xlsx"
    book.save(path)
    assert main(["import", str(path), "--table", "results", "--sheet", "Лист", "--project", str(mini.root)]) == 0
    with open(mini.data / "results.csv", encoding="utf-8", newline="") as fh:
        values = {(r["year"], r["subject"]): r["value"] for r in csv.DictReader(fh) if r["school_id"] == "beta"}
    assert values == {("2021", "Русский язык"): "4.0", ("2021", "Математика"): "4", ("2022", "Математика"): "3.4"}
