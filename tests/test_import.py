"""`kachestvo import`: .xlsx and CSV from Russian Excel into the project's CSV; errors leave the data untouched."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import base_tables, write_project
from kachestvo import schemas
from kachestvo.cli import main
from kachestvo.importer import ImportFailed, _cell, import_file
from kachestvo.paths import shown
from kachestvo.validate import validate as _validate


def validate(project):
    """The problems only (validate also returns the loaded dataset)."""
    return _validate(project)[1]


RESULTS_CSV = (
    "school_id,assessment,grade,subject,year,metric,unit,value,value_missing,document_id,note,municipality_id\n"
    "alpha,ОГЭ,9,Математика,2019,средняя оценка,оценка,3.58,,prikaz-1,,\n"
    "alpha,ОГЭ,9,Математика,2020,средняя оценка,оценка,,не проводилось,,,\n"
    "alpha,ОГЭ,9,Математика,2021,средняя оценка,оценка,3.8,,prikaz-1,,\n"
)
ACTIVITIES_CSV = (
    "activity_id,school_id,level,order,title,period,start_date,end_date,result,responsible,evidence,"
    "document_id,note\n"
    "alpha-01,alpha,школьный,1,Семинар,май 2021,2021-05-20,2021-05-31,Проведён,,,,\n"
)


def title(table: str, name: str) -> str:
    return schemas.field(table, name)["title"]


# Russian titles in a shuffled order and without the optional «Примечание»: the importer must restore the
# canonical order and add the missing optional column.
RESULTS_HEADER = [
    title("results", n)
    for n in ("year", "school_id", "assessment", "grade", "subject", "metric", "unit", "value", "value_missing", "document_id")
]
ACTIVITIES_HEADER = [
    title("activities", n)
    for n in ("activity_id", "school_id", "level", "order", "title", "period", "start_date", "end_date", "result")
]


def _force_float(path: Path, sheet_xml: str, integer: str) -> None:
    """Store the number `integer` as «2019.0» in the sheet XML: openpyxl then reads it as a float, as Excel may."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts[sheet_xml].decode("utf-8")
    assert f"<v>{integer}</v>" in xml
    parts[sheet_xml] = xml.replace(f"<v>{integer}</v>", f"<v>{integer}.0</v>").encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


@pytest.fixture
def workbook(tmp_path) -> Path:
    """A book as staff would fill it: results on the first sheet, activities on «Мероприятия»."""
    book = Workbook()
    ws = book.active
    ws.title = "Результаты оценочных процедур"  # the table's Russian title: chosen without --sheet
    ws.append(RESULTS_HEADER)
    ws.append([2019, "alpha", "ОГЭ", 9, "Математика", "средняя оценка", "оценка", "3,58", None, "prikaz-1"])
    ws.append([2020, "alpha", "ОГЭ", 9, "Математика", "средняя оценка", "оценка", None, "не проводилось", None])
    ws.append([2021, "alpha", "ОГЭ", 9, "Математика", "средняя оценка", "оценка", 3.8, None, "prikaz-1"])
    ws.append([None] * len(RESULTS_HEADER))  # an empty row Excel keeps after the table
    acts = book.create_sheet("Мероприятия")
    acts.append(ACTIVITIES_HEADER)
    acts.append(
        [
            "alpha-01",
            "alpha",
            "школьный",
            1,
            "Семинар",
            "май 2021",
            dt.datetime(2021, 5, 20),
            dt.datetime(2021, 5, 31),
            "Проведён",
        ]
    )
    path = tmp_path / "Таблицы.xlsx"
    book.save(path)
    _force_float(path, "xl/worksheets/sheet1.xml", "2019")
    return path


def test_cell_conversions():
    assert _cell(2019.0, "integer") == "2019"
    assert _cell(9.0, "string") == "9"
    assert _cell(3.8, "number") == "3.8"
    assert _cell("3,58", "number") == "3.58"
    assert _cell("1\u00a0234,5", "number") == "1234.5"
    assert _cell(dt.datetime(2021, 5, 20), "date") == "2021-05-20"
    assert _cell(dt.date(2021, 5, 20), "date") == "2021-05-20"
    assert _cell("20.05.2021", "date") == "2021-05-20"
    assert _cell("1.5.2021", "date") == "2021-05-01"
    assert _cell(None, "number") == ""
    assert _cell("  Семинар ", "string") == "Семинар"


def test_xlsx_with_russian_titles(mini, workbook, capsys):
    assert main(["import", str(workbook), "--table", "results", "--project", str(mini.root)]) == 0
    out = capsys.readouterr().out
    assert "data/results.csv»: добавлено строк — 0, изменено — 2, без изменений — 1, удалено — 0." in out
    assert (mini.data / "results.csv").read_text(encoding="utf-8") == RESULTS_CSV

    assert main(["import", str(workbook), "--table", "activities", "--sheet", "Мероприятия", "--project", str(mini.root)]) == 0
    assert "data/activities.csv»: добавлено строк — 0, изменено — 1, без изменений — 0" in capsys.readouterr().out
    assert (mini.data / "activities.csv").read_text(encoding="utf-8") == ACTIVITIES_CSV
    assert validate(mini) == []


def test_xlsx_year_is_read_as_float(workbook):
    """The fixture really exercises the integer-valued float path."""
    from openpyxl import load_workbook

    book = load_workbook(workbook, read_only=True)
    year = next(book.worksheets[0].iter_rows(min_row=2, max_row=2, values_only=True))[0]
    book.close()
    assert isinstance(year, float) and year == 2019.0


def _russian_excel_csv(path: Path, lines: list[str], encoding: str, bom: bool) -> Path:
    data = "\r\n".join(lines + [""]).encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


@pytest.mark.parametrize(
    "encoding,bom",
    [("cp1251", False), ("cp1251", True), ("utf-8", True), ("utf-8", False)],
    ids=["cp1251", "cp1251-bom", "utf8-bom", "utf8"],
)
def test_csv_from_russian_excel(mini, tmp_path, encoding, bom):
    results = _russian_excel_csv(
        tmp_path / "results.csv",
        [
            ";".join(RESULTS_HEADER),
            "2019;alpha;ОГЭ;9;Математика;средняя оценка;оценка;3,58;;prikaz-1",
            "2020;alpha;ОГЭ;9;Математика;средняя оценка;оценка;;не проводилось;",
            "2021;alpha;ОГЭ;9;Математика;средняя оценка;оценка;3,8;;prikaz-1",
            ";;;;;;;;;",
        ],
        encoding,
        bom,
    )
    activities = _russian_excel_csv(
        tmp_path / "activities.csv",
        [
            ";".join(ACTIVITIES_HEADER),
            "alpha-01;alpha;школьный;1;Семинар;май 2021;20.05.2021;31.05.2021;Проведён",
        ],
        encoding,
        bom,
    )

    done = import_file(results, "results", mini)
    assert (done.target, done.added, done.changed, done.unchanged, done.removed) == (mini.data / "results.csv", 0, 2, 1, 0)
    done = import_file(activities, "activities", mini)
    assert (done.target, done.added, done.changed, done.unchanged) == (mini.data / "activities.csv", 0, 1, 0)
    assert (mini.data / "results.csv").read_text(encoding="utf-8") == RESULTS_CSV
    assert (mini.data / "activities.csv").read_text(encoding="utf-8") == ACTIVITIES_CSV
    if encoding == "cp1251" and not bom:  # every variant writes the same text; validating it once is enough
        assert validate(mini) == []


def test_csv_with_blank_first_line(mini, tmp_path):
    """The delimiter is guessed from the first non-blank line, not from an empty line above the table."""
    path = _russian_excel_csv(
        tmp_path / "clusters.csv",
        [
            "",
            "Идентификатор кластера;Название",
            "selo;сельские школы",
        ],
        "cp1251",
        False,
    )
    assert import_file(path, "clusters", mini).unchanged == 1
    assert (mini.data / "clusters.csv").read_text(encoding="utf-8") == (
        "cluster_id,name,description,document_id,note\nselo,сельские школы,,,\n"
    )


def test_csv_quoted_cells_with_semicolons(mini, tmp_path):
    path = _russian_excel_csv(
        tmp_path / "clusters.csv",
        [
            "Идентификатор кластера;Название;Описание",
            'selo;сельские школы;"малокомплектные; удалённые"',
        ],
        "cp1251",
        False,
    )
    import_file(path, "clusters", mini)
    assert (mini.data / "clusters.csv").read_text(encoding="utf-8") == (
        "cluster_id,name,description,document_id,note\nselo,сельские школы,малокомплектные; удалённые,,\n"
    )


# ---- errors: exit code 2, a Russian message, nothing written ------------------------------------------------


def _results_csv(tmp_path, header: list[str]) -> Path:
    row = {
        "Год": "2019",
        "Школа": "alpha",
        "Процедура": "ОГЭ",
        "Класс": "9",
        "Предмет": "Математика",
        "Показатель": "средняя оценка",
        "Единица": "оценка",
        "Значение": "3,5",
        "Цвет": "красный",
    }
    lines = [";".join(header), ";".join(row.get(h, "") for h in header)]
    return _russian_excel_csv(tmp_path / "import.csv", lines, "cp1251", False)


REQUIRED_TITLES = ["Год", "Школа", "Процедура", "Класс", "Предмет", "Показатель", "Единица", "Значение"]


def _unknown_table(tmp_path, workbook):
    return ["import", str(workbook), "--table", "rezultaty"], [
        "таблица «rezultaty» неизвестна",
        "results",
        "activities",
        "Допустимые",
    ]


def _unknown_column(tmp_path, workbook):
    path = _results_csv(tmp_path, REQUIRED_TITLES + ["Цвет"])
    return (
        ["import", str(path), "--table", "results"],
        ["неизвестные столбцы: Цвет", ", ".join(schemas.field_names("results")), "русские названия"],
    )


def _missing_required(tmp_path, workbook):
    path = _results_csv(tmp_path, [t for t in REQUIRED_TITLES if t != "Предмет"])
    return ["import", str(path), "--table", "results"], ["нет обязательных столбцов: subject"]


def _missing_file(tmp_path, workbook):
    path = tmp_path / "нет такого.xlsx"
    return ["import", str(path), "--table", "results"], [f"файл {shown(path)} не найден"]


def _wrong_sheet(tmp_path, workbook):
    return (
        ["import", str(workbook), "--table", "results", "--sheet", "Лист1"],
        ["в книге нет листа «Лист1»", "Листы: Результаты оценочных процедур, Мероприятия"],
    )


def _empty_file(tmp_path, workbook):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\r\n;;;\r\n")
    return ["import", str(path), "--table", "results"], ["файл пуст"]


def _not_a_workbook(tmp_path, workbook):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"Name;Value\r\n")  # e.g. a CSV renamed to .xlsx
    expected = [f"файл {shown(path)} не читается как книга .xlsx", "Книга Excel (*.xlsx)"]
    return ["import", str(path), "--table", "results"], expected


@pytest.mark.parametrize(
    "case",
    [_unknown_table, _unknown_column, _missing_required, _missing_file, _wrong_sheet, _empty_file, _not_a_workbook],
    ids=lambda f: f.__name__.strip("_"),
)
def test_failed_import_exits_2_and_keeps_data(mini, tmp_path, workbook, capsys, case):
    argv, expected = case(tmp_path, workbook)
    before = {p: p.read_bytes() for p in mini.data.rglob("*") if p.is_file()}

    assert main(argv + ["--project", str(mini.root)]) == 2

    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("Ошибка: ")
    for text in expected:
        assert text in err
    assert {p: p.read_bytes() for p in mini.data.rglob("*") if p.is_file()} == before


def test_import_error_is_an_exception_for_library_callers(mini, tmp_path):
    with pytest.raises(ImportFailed, match="не найден"):
        import_file(tmp_path / "missing.csv", "results", mini)


# ---- a table the project does not list yet ------------------------------------------------------------------


def test_new_table_is_registered(tmp_path):
    tables = base_tables()
    del tables["partner_groups"], tables["partner_group_members"]
    project = write_project(tmp_path / "project", tables)
    groups = _russian_excel_csv(
        tmp_path / "groups.csv",
        [
            "Идентификатор группы;Название;Принцип объединения",
            "g1;1 группа;территориальный",
        ],
        "cp1251",
        False,
    )
    members = _russian_excel_csv(
        tmp_path / "members.csv",
        [
            ";".join(title("partner_group_members", n) for n in ("group_id", "school_id", "role")),
            "g1;alpha;ресурсный центр",
            "g1;beta;участник",
        ],
        "cp1251",
        True,
    )

    assert main(["import", str(groups), "--table", "partner_groups", "--project", str(project.root)]) == 0
    assert main(["import", str(members), "--table", "partner_group_members", "--project", str(project.root)]) == 0

    resources = json.loads(project.datapackage.read_text(encoding="utf-8"))["resources"]
    names = [r["name"] for r in resources]
    assert names[-2:] == ["partner_groups", "partner_group_members"]
    assert len(names) == len(set(names)) == len(tables) + 2
    assert resources[-2] == {
        "name": "partner_groups",
        "title": schemas.schema("partner_groups")["title"],
        "path": "partner_groups.csv",
        "schema": "schemas/partner_groups.json",
    }
    for name in ("partner_groups", "partner_group_members"):
        copy = project.data / "schemas" / f"{name}.json"
        assert copy.read_text(encoding="utf-8") == schemas.canonical_text(name)
    assert (project.data / "partner_groups.csv").read_text(encoding="utf-8") == (
        "group_id,name,principle,document_id,note\ng1,1 группа,территориальный,,\n"
    )
    assert validate(project) == []


def test_reimport_does_not_duplicate_resource(mini, workbook):
    before = json.loads(mini.datapackage.read_text(encoding="utf-8"))["resources"]
    import_file(workbook, "results", mini)
    import_file(workbook, "results", mini)
    after = json.loads(mini.datapackage.read_text(encoding="utf-8"))["resources"]
    assert [r["name"] for r in after] == [r["name"] for r in before]
