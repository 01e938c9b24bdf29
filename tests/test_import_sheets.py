"""`kachestvo import` of a whole workbook: each refusal names the sheets and writes nothing; Excel's typed cells
(a date shown as a month, a truth value, a number stored as a float) become the CSV's text."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import Workbook

from kachestvo import schemas
from kachestvo.cli import main
from kachestvo.importer import ImportFailed, _cell, prepare_workbook
from kachestvo.output.downloads import ABOUT
from kachestvo.paths import shown

RESULTS = schemas.schema("results")["title"]
RESULT_ROW = ["alpha", "ОГЭ", "9", "Математика", 2019, "средняя оценка", "оценка", 3.61, None, "prikaz-1"]
RESULT_NAMES = ["school_id", "assessment", "grade", "subject", "year", "metric", "unit", "value", "value_missing", "document_id"]


def _book(path, sheets: dict[str, list[list]]):
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def _data(project) -> dict:
    return {p: p.read_bytes() for p in project.data.rglob("*") if p.is_file()}


def _two_sheets_of_one_table(tmp_path):
    path = _book(tmp_path / "b.xlsx", {"results": [RESULT_NAMES, RESULT_ROW], RESULTS: [RESULT_NAMES, RESULT_ROW]})
    return path, f"листы «results» и «{RESULTS}» относятся к одной таблице results: оставьте один."


def _sheets_named_after_no_table(tmp_path):
    sheets = {RESULTS: [RESULT_NAMES, RESULT_ROW], "Лист1": [["x"]], "Итоги": [["y"]]}
    path = _book(tmp_path / "b.xlsx", sheets)
    return path, "листы «Лист1», «Итоги» не названы ни по одной таблице: назовите лист именем таблицы"


def _no_filled_sheet(tmp_path):
    path = _book(tmp_path / "b.xlsx", {ABOUT: [["Описание", "данные района"]], RESULTS: [[None, None]]})
    return path, "в книге нет ни одного заполненного листа таблицы."


def _text_file_without_table(tmp_path):
    path = tmp_path / "results.csv"
    path.write_text(",".join(RESULT_NAMES) + "\n", encoding="utf-8")
    return path, "без ключа --table импортируется только книга .xlsx; для файла CSV укажите --table ТАБЛИЦА."


def _missing_workbook(tmp_path):
    path = tmp_path / "нет.xlsx"
    return path, f"файл {shown(path)} не найден."


@pytest.mark.parametrize(
    "case",
    [_two_sheets_of_one_table, _sheets_named_after_no_table, _no_filled_sheet, _text_file_without_table, _missing_workbook],
    ids=lambda f: f.__name__.strip("_"),
)
def test_a_workbook_refused_names_why_and_writes_nothing(mini, tmp_path, capsys, case):
    path, expected = case(tmp_path)
    before = _data(mini)
    with pytest.raises(ImportFailed) as raised:
        prepare_workbook(path, mini)
    assert expected in str(raised.value)

    assert main(["import", str(path), "--project", str(mini.root)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and expected in err
    assert _data(mini) == before


def test_the_about_sheet_is_skipped_and_an_empty_table_sheet_ignored(mini, tmp_path, capsys):
    """The site's data.xlsx begins with «О данных» (any letter case); a table's sheet with no values imports nothing."""
    sheets = {ABOUT.upper(): [["Таблица", "Описание"], ["results", "что угодно"]], RESULTS: [RESULT_NAMES, RESULT_ROW]}
    sheets[schemas.schema("activities")["title"][:31]] = [[None], [None]]
    path = _book(tmp_path / "b.xlsx", sheets)
    before = _data(mini)

    assert [s.table for s in prepare_workbook(path, mini)] == ["results"]
    assert main(["import", str(path), "--project", str(mini.root)]) == 0

    changed = {p.name for p, data in before.items() if p.read_bytes() != data}
    assert changed == {"results.csv"}
    rows = list(csv.DictReader(io.StringIO((mini.data / "results.csv").read_text(encoding="utf-8"))))
    assert [r["value"] for r in rows if r["year"] == "2019" and r["metric"] == "средняя оценка"] == ["3.61"]


def test_dates_excel_shows_as_months_keep_only_the_month_where_the_field_allows_it(mini, tmp_path):
    """An activity's start and end may be a month («2021-05»); Excel turns «май 2021» into a date shown as a month,
    and «05.2021» typed as text is a month too. A field that takes only full dates keeps the day."""
    names = ["activity_id", "school_id", "level", "order", "title", "period", "start_date", "end_date", "result"]
    book = Workbook()
    ws = book.active
    ws.title = schemas.schema("activities")["title"][:31]
    ws.append(names)
    ws.append(["alpha-01", "alpha", "школьный", 1, "Семинар", "май 2021", dt.datetime(2021, 5, 1), "05.2021", "Проведён"])
    ws.append(["alpha-02", "alpha", "школьный", 2, "Вебинар", "май 2021", dt.datetime(2021, 5, 20), "31.05.2021", "Проведён"])
    ws["G2"].number_format = "mmm.yy"  # shown as «май.21»: Excel made a month a date
    ws["G3"].number_format = "dd.mm.yyyy"
    path = tmp_path / "acts.xlsx"
    book.save(path)

    [summary] = prepare_workbook(path, mini)

    rows = {r["activity_id"]: r for r in csv.DictReader(io.StringIO(summary.output))}
    assert (rows["alpha-01"]["start_date"], rows["alpha-01"]["end_date"]) == ("2021-05", "2021-05")
    assert (rows["alpha-02"]["start_date"], rows["alpha-02"]["end_date"]) == ("2021-05-20", "2021-05-31")
    assert summary.problems == []
    # a full-date field: a date shown as a month keeps its day (the day is in the file; the format only hides it)
    assert _cell(dt.datetime(2021, 5, 1), schemas.field("events", "date"), monthly=True) == "2021-05-01"
    assert _cell("05.2021", schemas.field("events", "date")) == "05.2021"  # not a date: validation names it


@pytest.mark.parametrize(
    ("value", "type_", "expected"),
    [
        (True, "string", "true"),
        (False, "integer", "false"),  # a truth value is never read as the number 0
        (1, "integer", "1"),
        (2.0, "number", "2.0"),  # a number field keeps the float's text; only integer and string lose «.0»
        (0.85, "number", "0.85"),
        ("85 %", "number", "85"),
        ("12 %", "string", "12 %"),  # a text field keeps what was typed
        ("abc", "number", "abc"),  # not a number: kept, so validation shows it as typed
        (dt.time(9, 30), "string", "09:30:00"),
    ],
)
def test_a_cell_becomes_the_csv_text_its_field_expects(value, type_, expected):
    assert _cell(value, type_) == expected


def test_percent_cells_follow_the_unit_scale():
    """Excel keeps 85 % as 0.85: on the 0–100 scales it is 85, as a share (0–1) it stays 0.85."""
    assert _cell(0.85, "number", percent=True) == "85"
    assert _cell(0.855, "number", percent=True) == "85.5"
    assert _cell(0.85, "number", percent=True, scale="доля") == "0.85"
    assert _cell("85 %", "number", scale="доля") == "0.85"
