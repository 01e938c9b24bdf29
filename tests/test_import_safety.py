"""Import never loses or hides: removals need a second yes, every mistake of a file at once (sheet, Excel row, the
sheet's own header), all or nothing, a whole workbook in one command, a changed key recognised, «?» from Windows-1251
refused. The workbooks are the site's own data.xlsx (made from the example's CSVs), edited with openpyxl."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import copy_project
from kachestvo import schemas
from kachestvo.cli import main
from kachestvo.output import downloads

RESULTS = "Результаты оценочных процедур"


@pytest.fixture
def kotelnikovsky(tmp_path):
    return copy_project("kotelnikovsky", tmp_path / "k")


def _data(project) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in project.data.rglob("*") if p.is_file()}


def _export(project, path: Path) -> Path:
    """The workbook the site offers for download, from the project's CSVs as they are."""
    names = [r["name"] for r in __import__("json").loads(project.datapackage.read_text(encoding="utf-8"))["resources"]]
    csvs = {n: (project.data / f"{n}.csv").read_bytes() for n in names}
    path.write_bytes(downloads.xlsx(csvs, "Котельниковский район", None))
    return path


def _column(ws, title: str) -> int:
    return next(c.column for c in ws[1] if c.value == title)


def _rows(project, table: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO((project.data / f"{table}.csv").read_text(encoding="utf-8"), newline="")))


# ---- --remove-missing ------------------------------------------------------------------------------------------


def test_remove_missing_with_a_one_row_file_removes_nothing_without_yes(kotelnikovsky, tmp_path, capsys):
    before = _data(kotelnikovsky)
    rows = _rows(kotelnikovsky, "results")
    one = tmp_path / "one.csv"
    with one.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerow(rows[0])
    argv = ["import", str(one), "--table", "results", "--remove-missing", "--project", str(kotelnikovsky.root)]

    assert main(argv) == 2

    err = capsys.readouterr().err
    assert f"data/results.csv: удаляется {len(rows) - 1} из {len(rows)}:" in err
    assert "school_id = krasnoyarskaya-sh, assessment = ВПР, grade = по школе, subject = Математика, year = 2019" in err
    assert "Ничего не записано" in err and "--yes" in err
    assert _data(kotelnikovsky) == before

    assert main(argv + ["--yes"]) == 0
    assert _rows(kotelnikovsky, "results") == rows[:1]
    assert f"удалено — {len(rows) - 1}." in capsys.readouterr().out


def test_removing_a_few_rows_of_a_large_table_is_listed_and_done(kotelnikovsky, tmp_path, capsys):
    rows = _rows(kotelnikovsky, "results")
    assert len(rows) > 30  # 2 rows are less than a tenth
    path = tmp_path / "most.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows[2:])
    assert main(["import", str(path), "--table", "results", "--remove-missing", "--project", str(kotelnikovsky.root)]) == 0
    out = capsys.readouterr().out
    assert "удалено — 2." in out and "Удалены строки: school_id = krasnoyarskaya-sh" in out
    assert _rows(kotelnikovsky, "results") == rows[2:]


# ---- every mistake at once ---------------------------------------------------------------------------------------


def test_five_mistakes_in_one_workbook_are_all_reported_with_sheet_row_and_header(kotelnikovsky, tmp_path, capsys):
    path = _export(kotelnikovsky, tmp_path / "data.xlsx")
    book = load_workbook(path)
    ws = book[RESULTS]
    value, year, assessment = _column(ws, "Значение"), _column(ws, "Год"), _column(ws, "Процедура")
    ws.cell(3, value).value = "н/д"  # 1: a placeholder
    ws.cell(4, value).value = 7  # 2: a mark above the scale 2–5
    ws.cell(5, assessment).value = "ОГЕ"  # 3: not an assessment of the list
    ws.cell(6, year).value = "2019 г."  # 4: not a year
    ws.append([c.value for c in ws[2]])  # 5: row 2 once more
    last = ws.max_row
    book.save(path)
    before = _data(kotelnikovsky)

    assert main(["import", str(path), "--project", str(kotelnikovsky.root)]) == 1

    out = capsys.readouterr().out
    assert _data(kotelnikovsky) == before  # nothing written, in any table
    where = f"data.xlsx, лист «{RESULTS}», ячейка"
    letter = lambda col: ws.cell(1, col).column_letter  # noqa: E731
    expected = [
        f"{where} {letter(value)}3 (строка 3, столбец «Значение»): «н/д» — не значение.",
        f"{where} {letter(value)}4 (строка 4, столбец «Значение»)",
        f"{where} {letter(assessment)}5 (строка 5, столбец «Процедура»)",
        f"{where} {letter(year)}6 (строка 6, столбец «Год»)",
        f"data.xlsx, лист «{RESULTS}», строка {last}: строка описывает то же, что строка 2",
    ]
    for text in expected:
        assert text in out, out
    assert "Почему нет значения» (value_missing)" in out  # the placeholder's hint names the reason column
    assert "Ничего не записано: в data.xlsx ошибки (5)" in out, out


@pytest.mark.parametrize("placeholder", ["н/д", "-", "нет", "—"])
def test_every_common_placeholder_gets_a_hint(mini, tmp_path, placeholder, capsys):
    path = tmp_path / "r.csv"
    path.write_text(
        "school_id,assessment,grade,subject,year,metric,unit,value\n"
        f"alpha,ОГЭ,9,Математика,2019,средняя оценка,оценка,{placeholder}\n",
        encoding="utf-8",
    )
    assert main(["import", str(path), "--table", "results", "--project", str(mini.root)]) == 1
    out = capsys.readouterr().out
    assert f"r.csv, строка 2, столбец «value»: «{placeholder}» — не значение. Если значения нет, оставьте ячейку пустой" in out
    assert "«нет участников»" in out


def test_characters_lost_to_windows_1251_are_refused_naming_the_cell(mini, tmp_path, capsys):
    target = mini.data / "clusters.csv"
    target.write_text(target.read_text(encoding="utf-8").replace("сельские школы", "сельские школы (Қызылжар и Iğdır)"))
    before = _data(mini)
    excel = tmp_path / "clusters.csv"  # Excel's «CSV (разделители — запятые)» on a Russian Windows
    excel.write_bytes(target.read_text(encoding="utf-8").replace(",", ";").encode("cp1251", errors="replace"))

    assert main(["import", str(excel), "--table", "clusters", "--project", str(mini.root)]) == 1

    out = capsys.readouterr().out
    assert "clusters.csv, строка 2, столбец «name»: в файле «сельские школы (?ызылжар и I?d?r)»" in out, out
    assert "«Қ», «ğ», «ı» заменены на «?»" in out and "Книга Excel (*.xlsx)" in out
    assert _data(mini) == before


# ---- a whole workbook ----------------------------------------------------------------------------------------------


def test_one_command_imports_a_workbook_of_all_sheets(kotelnikovsky, tmp_path, capsys):
    path = _export(kotelnikovsky, tmp_path / "data.xlsx")
    book = load_workbook(path)
    sheets = [ws.title for ws in book.worksheets if ws.title != downloads.ABOUT]
    assert len(sheets) >= 10
    book[RESULTS].cell(2, _column(book[RESULTS], "Значение")).value = 3.61
    schools = book[schemas.schema("schools")["title"][:31]]
    schools.cell(2, _column(schools, "Краткое название")).value = "Красноярская СШ (исправлено)"
    book.save(path)
    before = _data(kotelnikovsky)

    assert main(["import", str(path), "--project", str(kotelnikovsky.root)]) == 0

    out = capsys.readouterr().out
    changed = {p.name for p, data in before.items() if p.read_bytes() != data}
    assert changed == {"results.csv", "schools.csv"}
    assert out.count("изменено — 1,") == 2 and out.count("data/") >= len(sheets)
    assert _rows(kotelnikovsky, "results")[0]["value"] == "3.61"


def test_a_mistake_in_one_sheet_writes_no_sheet(kotelnikovsky, tmp_path, capsys):
    path = _export(kotelnikovsky, tmp_path / "data.xlsx")
    book = load_workbook(path)
    book[RESULTS].cell(2, _column(book[RESULTS], "Значение")).value = 3.61  # a good edit
    schools = book[schemas.schema("schools")["title"][:31]]
    schools.cell(2, _column(schools, "Краткое название")).value = None  # a required cell emptied
    book.save(path)
    before = _data(kotelnikovsky)
    assert main(["import", str(path), "--project", str(kotelnikovsky.root)]) == 1
    assert _data(kotelnikovsky) == before
    assert "столбец «Краткое название»" in capsys.readouterr().out


# ---- a changed key -------------------------------------------------------------------------------------------------


def test_changed_key_in_the_sites_workbook_is_an_update(kotelnikovsky, tmp_path, capsys):
    path = _export(kotelnikovsky, tmp_path / "data.xlsx")
    book = load_workbook(path)
    ws = book[RESULTS]
    assert ws.column_dimensions[ws.cell(1, ws.max_column).column_letter].hidden
    ws.cell(2, _column(ws, "Год")).value = 2018  # the row was for 2019; the table has no 2018 row of it
    book.save(path)
    rows = _rows(kotelnikovsky, "results")

    assert main(["import", str(path), "--table", "results", "--project", str(kotelnikovsky.root)]) == 0

    out = capsys.readouterr().out
    after = _rows(kotelnikovsky, "results")
    assert len(after) == len(rows) and after[0] == dict(rows[0], year="2018") and after[1:] == rows[1:]
    assert "изменено — 1," in out and "Ключ строки изменён" in out and "year = 2019" in out and "year = 2018" in out


def test_changed_key_without_the_hidden_column_is_reported_as_a_rename(mini, tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_text("cluster_id,name\nsela,сельские школы\n", encoding="utf-8")  # «selo» typed anew as «sela»
    main(["import", str(path), "--table", "clusters", "--project", str(mini.root)])
    out = capsys.readouterr().out
    assert "строка cluster_id = sela появилась, строка cluster_id = selo исчезла из файла" in out
    assert "переименование?" in out
