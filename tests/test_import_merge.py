"""Import never loses or rewrites data: rows matched by key, untouched rows byte-identical, Excel's quirks read right."""

from __future__ import annotations

import csv
import difflib
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import copy_project
from kachestvo import schemas
from kachestvo.cli import main
from kachestvo.importer import ImportFailed, import_file
from kachestvo.validate import validate


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def _typed(value: str, type_: str):
    """A CSV value as Excel holds it once typed in: numbers as numbers."""
    if value == "":
        return None
    if type_ in ("integer", "number"):
        return float(value)
    return value


@pytest.fixture
def kotelnikovsky(tmp_path):
    return copy_project("kotelnikovsky", tmp_path / "k")


def test_sheet_without_note_and_document_adds_one_line(kotelnikovsky, tmp_path, capsys):
    """The issue's case: the sheet lacks «Примечание» and document_id and adds one row → one line of diff."""
    target = kotelnikovsky.data / "results.csv"
    before = target.read_text(encoding="utf-8")
    assert ",4.0," in before  # a value Excel shows as 4: its text must survive
    fields = [f for f in schemas.schema("results")["fields"] if f["name"] not in ("note", "document_id")]
    book = Workbook()
    ws = book.active
    ws.title = "Результаты"
    ws.append([f["title"] for f in fields])
    for row in _rows(target):
        ws.append([_typed(row[f["name"]], f["type"]) for f in fields])
    new = dict(
        school_id="krasnoyarskaya-sh",
        assessment="ВПР",
        grade="по школе",
        subject="Русский язык",
        year="2022",
        metric="средняя оценка",
        unit="оценка",
        value="3.9",
        value_missing="",
    )
    ws.append([_typed(new.get(f["name"], ""), f["type"]) for f in fields])
    source = tmp_path / "Результаты.xlsx"
    book.save(source)

    code = main(["import", str(source), "--table", "results", "--sheet", "Результаты", "--project", str(kotelnikovsky.root)])

    out = capsys.readouterr().out
    after = target.read_text(encoding="utf-8")
    assert _changed_lines(before, after) == ["+krasnoyarskaya-sh,ВПР,по школе,Русский язык,2022,средняя оценка,оценка,3.9,,,,"]
    assert after.startswith(before)
    assert "добавлено строк — 1, изменено — 0, без изменений — 63, удалено — 0." in out
    assert code == 0, out


def test_site_data_xlsx_round_trip_changes_one_cell(kotelnikovsky, tmp_path, capsys):
    """The site's own data.xlsx, edited in one cell and imported back, changes exactly that cell's line."""
    from kachestvo.build import generate_site

    site, _ = generate_site(kotelnikovsky)
    data = site.assets["otkrytye-dannye/files/data.xlsx"]
    path = tmp_path / "data.xlsx"
    path.write_bytes(data)
    book = load_workbook(path)
    sheet = next(ws for ws in book.worksheets if ws.title in ("results", schemas.schema("results")["title"][:31]))
    header = [c.value for c in sheet[1]]
    column = next(i for i, h in enumerate(header, 1) if h in ("value", "Значение"))
    cell = sheet.cell(row=2, column=column)
    assert cell.value == 3.58
    cell.value = 3.61
    book.save(path)
    target = kotelnikovsky.data / "results.csv"
    before = target.read_text(encoding="utf-8")

    assert main(["import", str(path), "--table", "results", "--project", str(kotelnikovsky.root)]) == 0

    after = target.read_text(encoding="utf-8")
    changed = _changed_lines(before, after)
    assert len(changed) == 2
    assert changed[0].startswith("-krasnoyarskaya-sh,ВПР,по школе,Русский язык,2019,средняя оценка,оценка,3.58,")
    assert changed[1] == "+" + changed[0][1:].replace(",3.58,", ",3.61,", 1)
    assert "добавлено строк — 0, изменено — 1, без изменений — 62, удалено — 0." in capsys.readouterr().out


def test_rows_absent_from_the_sheet_are_kept_unless_asked(mini, tmp_path, capsys):
    path = tmp_path / "clusters.csv"
    path.write_text("cluster_id,name\ngorod,городские школы\n", encoding="utf-8")
    before = (mini.data / "clusters.csv").read_text(encoding="utf-8")

    assert main(["import", str(path), "--table", "clusters", "--project", str(mini.root)]) == 0
    out = capsys.readouterr().out
    assert "добавлено строк — 1, изменено — 0, без изменений — 0, удалено — 0." in out
    assert "оставлены как были" in out and "--remove-missing" in out
    assert (mini.data / "clusters.csv").read_text(encoding="utf-8") == before + "gorod,городские школы,,,\n"

    with pytest.raises(ImportFailed, match="удаляется 1 из 2: cluster_id = selo"):  # half the table: needs --yes
        import_file(path, "clusters", mini, remove_missing=True)
    done = import_file(path, "clusters", mini, remove_missing=True, yes=True)
    assert (done.added, done.unchanged, done.removed) == (0, 1, 1) and done.removals == ["cluster_id = selo"]
    assert (mini.data / "clusters.csv").read_text(encoding="utf-8") == (
        "cluster_id,name,description,document_id,note\ngorod,городские школы,,,\n"
    )


def test_percent_cells_dates_and_numbers_as_text(mini, tmp_path):
    """Excel keeps 85 % as 0.85: a «процент» value becomes 85, a «доля» stays 0.85; «3,58» and «85 %» typed as text."""
    book = Workbook()
    ws = book.active
    names = ["school_id", "assessment", "grade", "subject", "year", "metric", "unit", "value"]
    ws.append(names)
    ws.append(["alpha", "ОГЭ", "9", "Математика", 2019, "доля «4» и «5»", "процент", 0.85])
    ws.append(["alpha", "ОГЭ", "9", "Математика", 2020, "доля «4» и «5»", "доля", 0.85])
    ws.append(["alpha", "ОГЭ", "9", "Математика", 2021, "доля «4» и «5»", "процент", "62,5 %"])
    ws.append(["alpha", "ОГЭ", "9", "Математика", "2022", "средняя оценка", "оценка", "3,58"])
    for row in (2, 3):
        ws.cell(row=row, column=8).number_format = "0%"
    path = tmp_path / "percent.xlsx"
    book.save(path)

    import_file(path, "results", mini)

    values = {(r["year"], r["metric"]): r["value"] for r in _rows(mini.data / "results.csv")}
    assert values[("2019", "доля «4» и «5»")] == "85"
    assert values[("2020", "доля «4» и «5»")] == "0.85"
    assert values[("2021", "доля «4» и «5»")] == "62.5"
    assert values[("2022", "средняя оценка")] == "3.58"


def test_dates_impossible_ones_stay_as_typed():
    from kachestvo.importer import _cell

    assert _cell("20.05.2021", "date") == "2021-05-20"
    assert _cell("31.02.2024", "date") == "31.02.2024"  # validation then shows it as the person wrote it


def test_utf16_unicode_text_export(mini, tmp_path):
    """Excel's «Текст Юникод»: UTF-16 with its mark, tab-separated."""
    text = "Идентификатор кластера\tНазвание\r\nselo\tсельские школы\r\ngorod\tгородские школы\r\n"
    path = tmp_path / "clusters.txt"
    path.write_bytes(text.encode("utf-16"))
    done = import_file(path, "clusters", mini)
    assert (done.added, done.unchanged) == (1, 1)
    assert _rows(mini.data / "clusters.csv")[-1]["name"] == "городские школы"


@pytest.mark.parametrize("sheet", ["partner_groups", "Группы партнёрского взаимодействия"[:31], "Группы партнёрского"])
def test_sheet_found_by_table_name_or_russian_title(mini, tmp_path, sheet):
    book = Workbook()
    book.active.title = "Школы"
    book.active.append(["school_id"])
    ws = book.create_sheet(sheet)
    ws.append(["group_id", "name"])
    ws.append(["g1", "Первая группа"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    done = import_file(path, "partner_groups", mini)
    assert (done.sheet, done.changed) == (sheet, 1)


def test_problems_after_import_name_the_excel_cell(mini, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(mini.root)
    book = Workbook()
    ws = book.active
    ws.title = "Мероприятия"
    ws.append(["Заголовок над таблицей"])  # people put a title above the header
    ws.append(["activity_id", "school_id", "level", "title", "start_date"])
    ws.append(["alpha-02", "alpha", "школьный", "Курсы", "31.02.2024"])
    path = tmp_path / "acts.xlsx"
    book.save(path)

    assert main(["import", str(path), "--table", "activities", "--project", str(mini.root)]) == 1

    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "start_date" in line)
    assert line.startswith("«data/activities.csv», строка 3 (activity_id = alpha-02), столбец «")
    assert "acts.xlsx, лист «Мероприятия», ячейка E3" in line
    assert "Такой даты нет в календаре" in line and "2024-02-31" not in line


def test_excel_saved_csv_advice_leads_to_a_working_import(mini, capsys):
    """Validation advises «kachestvo import data/X.csv --table X» for BOM/«;»/Windows-1251; following it works."""
    path = mini.data / "schools.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace(",", ";").encode("cp1251"))
    problems = validate(mini)[1]
    assert problems and all("kachestvo import data/schools.csv --table schools" in p.message for p in problems)

    assert main(["import", str(path), "--table", "schools", "--project", str(mini.root)]) == 0

    assert path.read_text(encoding="utf-8") == text
    assert validate(mini)[1] == []
    out = capsys.readouterr().out
    assert "без изменений — 2" in out and "переписан в UTF-8 с запятыми" in out


def test_crlf_file_keeps_its_line_endings(mini, tmp_path):
    target = mini.data / "clusters.csv"
    target.write_bytes(target.read_bytes().replace(b"\n", b"\r\n"))
    before = target.read_bytes()
    source = tmp_path / "c.csv"
    source.write_text("cluster_id,name\nselo,сельские школы\ngorod,городские\n", encoding="utf-8")
    import_file(source, "clusters", mini)
    assert target.read_bytes() == before + "gorod,городские,,,\r\n".encode()


def test_duplicate_rows_in_the_sheet_are_refused(mini, tmp_path, capsys):
    source = tmp_path / "c.csv"
    source.write_text("cluster_id,name\nselo,а\nselo,б\n", encoding="utf-8")
    before = (mini.data / "clusters.csv").read_bytes()
    assert main(["import", str(source), "--table", "clusters", "--project", str(mini.root)]) == 1
    out = capsys.readouterr().out
    assert "Ничего не записано" in out and "c.csv, строка 3: строка описывает то же, что строка 2 (cluster_id = selo)" in out
    assert (mini.data / "clusters.csv").read_bytes() == before


def test_csv_writer_quotes_like_the_files(mini, tmp_path):
    """A changed row with commas and quotes is written as csv.writer writes the rest of the project."""
    source = tmp_path / "c.csv"
    source.write_text('cluster_id,name\nselo,"сельские, «малые» школы"\n', encoding="utf-8")
    import_file(source, "clusters", mini)
    rows = list(csv.reader(io.StringIO((mini.data / "clusters.csv").read_text(encoding="utf-8"))))
    assert rows[1][:2] == ["selo", "сельские, «малые» школы"]


def test_suppressed_values_of_the_downloads_do_not_erase_the_real_ones(mini, tmp_path):
    """data.xlsx hides small groups («скрыто», value empty): importing it back keeps the real value."""
    target = mini.data / "results.csv"
    before = target.read_text(encoding="utf-8")
    source = tmp_path / "r.csv"
    source.write_text(
        "school_id,assessment,grade,subject,year,metric,unit,value,value_missing\n"
        "alpha,ОГЭ,9,Математика,2019,средняя оценка,оценка,,скрыто\n",
        encoding="utf-8",
    )
    done = import_file(source, "results", mini)
    assert (done.changed, done.unchanged) == (0, 1)
    assert target.read_text(encoding="utf-8") == before


CLUSTERS = ",".join(schemas.field_names("clusters"))


@pytest.mark.parametrize(
    ("table", "expected", "counts"),
    [
        (  # a blank line inside the table stays where it is; new rows go above the blank lines that end the file
            f"{CLUSTERS}\nselo,сельские школы,,,\n\ngorod,городские,,,\n\n\n",
            f"{CLUSTERS}\nselo,сельские школы,,,\n\ngorod,городские школы,,,\nrayon,районные,,,\n\n\n",
            (1, 1, 1),
        ),
        (  # the last record without a line end gets one before the new row
            f"{CLUSTERS}\nselo,сельские школы,,,",
            f"{CLUSTERS}\nselo,сельские школы,,,\ngorod,городские школы,,,\nrayon,районные,,,\n",
            (2, 0, 1),
        ),
        (  # a header alone, without a line end
            CLUSTERS,
            f"{CLUSTERS}\nselo,сельские школы,,,\ngorod,городские школы,,,\nrayon,районные,,,\n",
            (3, 0, 0),
        ),
    ],
    ids=["blank-lines", "no-final-line-end", "header-only"],
)
def test_blank_lines_and_a_missing_final_line_end_are_kept_around_new_rows(mini, tmp_path, table, expected, counts):
    target = mini.data / "clusters.csv"
    target.write_text(table, encoding="utf-8", newline="")
    source = tmp_path / "c.csv"
    source.write_text("cluster_id,name\nselo,сельские школы\ngorod,городские школы\nrayon,районные\n", encoding="utf-8")

    done = import_file(source, "clusters", mini)

    assert target.read_bytes().decode("utf-8") == expected
    assert (done.added, done.changed, done.unchanged) == counts
    # each written row is traced to its line of the file, as problems found later name it
    lines = expected.split("\n")
    assert {lines[line - 1].split(",")[0]: row for line, row in done.origin.items()} == {"selo": 2, "gorod": 3, "rayon": 4}
