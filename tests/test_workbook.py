"""data.xlsx for people: Russian sheet names and column titles, real numbers and dates, frozen header, filters,
an explaining first sheet; formula-looking text stays text; the same data gives the same bytes."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from conftest import base_tables, write_project
from kachestvo.dataset import load
from kachestvo.output import downloads
from kachestvo.protect import protect


def _book(tmp_path, tables=None):
    project = write_project(tmp_path, tables or base_tables())
    files = downloads.files(protect(load(project)))
    return files[f"{downloads.DIR}/data.xlsx"], files


def test_workbook_is_for_people(tmp_path):
    data, files = _book(tmp_path)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames[0] == "О данных"
    assert "Результаты оценочных процедур" in book.sheetnames and "Школы" in book.sheetnames
    about = book["О данных"]
    listed = [about.cell(r, 2).value for r in range(1, about.max_row + 1)]
    assert "results.csv" in listed and "schools.csv" in listed

    results = book["Результаты оценочных процедур"]
    header = [c.value for c in results[1]]
    assert "Школа" in " ".join(header) and "school_id" not in header
    assert results.freeze_panes == "A2"
    assert results.auto_filter.ref == f"A1:{results.cell(1, results.max_column).column_letter}{results.max_row}"
    row = {h: c.value for h, c in zip(header, results[2])}
    assert any(isinstance(v, float) and v == 3.5 for v in row.values()), row  # a real number
    assert any(isinstance(v, int) and v == 2019 for v in row.values()), row
    assert all(results.column_dimensions[c.column_letter].width >= 8 for c in results[1])

    documents = book["Документы"]
    dates = [c.value for c in documents["D"][1:]] + [c.value for row in documents.iter_rows(min_row=2) for c in row]
    assert any(isinstance(v, dt.datetime) and v.date() == dt.date(2021, 9, 1) for v in dates)  # a real date


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    tables = base_tables()
    tables["clusters"][0]["name"] = "=1+1"
    data, _ = _book(tmp_path, tables)
    sheet = load_workbook(io.BytesIO(data))["Кластеры школ"]
    cell = sheet.cell(2, 2)
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_same_data_same_bytes_and_csv_untouched(tmp_path):
    first, files = _book(tmp_path / "a")
    second, _ = _book(tmp_path / "b")
    assert first == second
    assert files[f"{downloads.DIR}/results.csv"] == (tmp_path / "a" / "data" / "results.csv").read_bytes()


def test_sheet_names_fit_excel():
    names = downloads.sheet_names(["indicator_values", "roadmap_milestones", "results", "schools"])
    assert all(len(n) <= 31 for n in names.values())
    assert len(set(n.lower() for n in names.values())) == 4
    assert names["schools"] == "Школы"


def test_a_large_workbook_is_written_in_another_process_with_the_same_bytes(tmp_path, monkeypatch):
    project = write_project(tmp_path, base_tables())
    ds = protect(load(project))
    here = downloads.files(ds)[f"{downloads.DIR}/data.xlsx"]
    monkeypatch.setattr(downloads, "BACKGROUND_ROWS", 0)
    workbook = downloads.Workbook(ds)
    assert workbook._future is not None  # started in a separate process
    assert workbook.result() == here and workbook._pool is None
    assert downloads.files(ds, downloads.Workbook(ds))[f"{downloads.DIR}/data.xlsx"] == here
