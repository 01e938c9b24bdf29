"""Issue 21, item 7: every broken or oversized input ends in a Russian message naming the file (and the limit), exit
code 1, no traceback; a build stopped by one leaves the previous site untouched. Each case is one of the issue's."""

from __future__ import annotations

import json
import shutil
import time
import tracemalloc

import pytest

from conftest import base_tables, copy_project, write_project
from kachestvo import cli
from kachestvo.build import BuildFailed, build
from kachestvo.limits import Limits

RESULTS = "data/results.csv"
ROW = "alpha,ОГЭ,9,Математика,2022,средняя оценка,оценка,3.5,,prikaz-1,,\n"


def _results(root):
    return root / RESULTS


def _append(root, text):
    with _results(root).open("a", encoding="utf-8") as fh:
        fh.write(text)


def _descriptor(root, change):
    path = root / "data" / "datapackage.json"
    path.write_text(json.dumps(change(json.loads(path.read_text(encoding="utf-8")))), encoding="utf-8")


def _resource(root, table, **values):
    _descriptor(root, lambda d: {**d, "resources": [dict(r, **values) if r["name"] == table else r for r in d["resources"]]})


def _replace(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _as_folder(root, rel):
    (root / rel).unlink()
    (root / rel).mkdir()


# case → (how to break a valid project, the file the message must name, words the message must hold)
CASES = {
    "utf16-odd-bytes": (
        lambda r: _results(r).write_bytes(b"\xff\xfe" + _results(r).read_text(encoding="utf-8").encode("utf-16-le") + b"\0"),
        RESULTS,
        "UTF-16",
    ),
    "large-field": (lambda r: _append(r, ROW.replace("prikaz-1,,", 'prikaz-1,"' + "я" * 140_000 + '",')), RESULTS, "131072"),
    "extra-cell": (lambda r: _append(r, ROW.rstrip("\n") + ",лишняя\n"), RESULTS, "больше ячеек"),
    "wide-header": (lambda r: _results(r).write_text(",".join(f"c{i}" for i in range(100_000)) + "\n"), RESULTS, "100000"),
    "million-rows": (lambda r: _append(r, "a,,,,,,,,,,,\n" * 1_000_000), RESULTS, "300000"),
    "file-too-big": (lambda r: _append(r, ("#" * 1023 + "\n") * 51 * 1024), RESULTS, "50\u00a0МБ"),
    "descriptor-list": (lambda r: (r / "data/datapackage.json").write_text("[]"), "data/datapackage.json", "список"),
    "descriptor-null": (lambda r: (r / "data/datapackage.json").write_text("null"), "data/datapackage.json", "null"),
    "descriptor-deep": (
        lambda r: (r / "data/datapackage.json").write_text("[" * 100_000 + "]" * 100_000),
        "data/datapackage.json",
        "вложенность",
    ),
    "descriptor-nested": (
        lambda r: _descriptor(r, lambda d: {**d, "description": json.loads("[" * 50 + "]" * 50)}),
        "data/datapackage.json",
        "при пределе 20",
    ),
    "resources-null": (lambda r: _descriptor(r, lambda d: {**d, "resources": None}), "data/datapackage.json", "resources"),
    "resource-a-string": (lambda r: _descriptor(r, lambda d: {**d, "resources": ["x"]}), "data/datapackage.json", "№ 1"),
    "resource-name-a-list": (lambda r: _resource(r, "results", name=["a"]), "data/datapackage.json", "«name»"),
    "snan": (lambda r: _replace(r, RESULTS, ",3.5,", ",sNaN,"), RESULTS, "sNaN"),
    "year-with-underscore": (lambda r: _replace(r, RESULTS, ",2019,", ",2_019,"), RESULTS, "2_019"),
    "year-in-full-width-digits": (lambda r: _replace(r, RESULTS, ",2019,", ",２０１９,"), RESULTS, "２０１９"),
    "full-width-digits-in-any-integer": (
        lambda r: _replace(r, "data/municipality.csv", ",2,", ",２,"),
        "data/municipality.csv",
        "цифр 0–9",
    ),
    "as-of-before-1970": (
        lambda r: _replace(r, "data/municipality.csv", "2021-09-01", "1960-09-01"),
        "data/municipality.csv",
        "1960",
    ),
    "csv-is-a-folder": (lambda r: _as_folder(r, RESULTS), RESULTS, "папка"),
    "schema-is-a-folder": (lambda r: _as_folder(r, "data/schemas/results.json"), "data/schemas/results.json", "папка"),
    "descriptor-is-a-folder": (lambda r: _as_folder(r, "data/datapackage.json"), "data/datapackage.json", "папка"),
    "remote-dialect": (
        lambda r: _resource(r, "results", dialect="http://127.0.0.1:9/dialect.json"),
        "data/datapackage.json",
        "http://127.0.0.1:9/dialect.json",
    ),
    "remote-schema": (
        lambda r: _resource(r, "results", schema="https://127.0.0.1:9/schema.json"),
        "data/datapackage.json",
        "сети",
    ),
    "remote-profile": (
        lambda r: _descriptor(r, lambda d: {**d, "profile": "http://127.0.0.1:9/profile.json"}),
        "data/datapackage.json",
        "profile",
    ),
    "path-leaving-data": (lambda r: _resource(r, "results", path="../../etc/passwd"), "data/datapackage.json", "../../etc"),
    "reserved-school-id": (lambda r: _replace(r, "data/schools.csv", "\nbeta,", "\nindex,"), "data/schools.csv", "index"),
    "self-inheriting-config": (
        lambda r: (r / "mkdocs.yml").write_text("INHERIT: mkdocs.yml\n" + (r / "mkdocs.yml").read_text(encoding="utf-8")),
        "mkdocs.yml",
        "сам себя",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_case_is_a_russian_message_naming_the_file(tmp_path, capsys, case):
    root = tmp_path / "p"
    tables = base_tables()
    if case == "reserved-school-id":
        tables["partner_group_members"] = tables["partner_group_members"][:1]
    write_project(root, tables)
    breaks, rel, words = CASES[case]
    breaks(root)
    start = time.monotonic()
    code = cli.main(["validate", "--project", str(root)])  # a traceback would fail the test here
    out = capsys.readouterr().out
    assert code == 1, out
    assert time.monotonic() - start < 30, "a limit must stop the file early"
    line = next((x for x in out.splitlines() if rel in x and words in x), None)
    assert line is not None, out[:3000]
    assert any("а" <= ch <= "я" for ch in line.lower())


def test_an_extra_cell_in_the_first_row_shifts_no_column(tmp_path):
    """pandas reads a first data row one cell wider than the header as an index column, which shifted every column of
    the table: only the extra cell is reported, and the frame keeps each value in its own column."""
    from kachestvo.validate import validate

    project = write_project(tmp_path, base_tables())
    path = _results(project.root)
    header, first, rest = path.read_text(encoding="utf-8").split("\n", 2)
    path.write_text(f"{header}\n{first},лишняя\n{rest}", encoding="utf-8")
    ds, problems = validate(project)
    assert [(p.code, p.row) for p in problems] == [("extra-cell", 2)]
    assert list(ds["results"]["school_id"]) == ["alpha"] * 3 and ds["results"]["assessment"].eq("ОГЭ").all()


def test_remote_reference_is_refused_before_any_connection(tmp_path, monkeypatch):
    """A URL to a closed loopback port: no socket is opened at all, and the answer is immediate."""
    import socket

    from kachestvo.validate import validate

    project = write_project(tmp_path, base_tables())
    _resource(project.root, "results", dialect="http://127.0.0.1:9/d.json", schema="http://127.0.0.1:9/s.json")

    def refuse(*args, **kwargs):
        raise AssertionError("validation opened a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    start = time.monotonic()
    problems = validate(project)[1]
    assert time.monotonic() - start < 5
    assert {p.code for p in problems} == {"remote-reference"}


def test_limits_are_configurable_and_the_setting_is_named(tmp_path):
    from kachestvo.validate import validate

    project = write_project(tmp_path, base_tables())
    _descriptor(project.root, lambda d: {**d, "kachestvo": {"max_rows": 2}})
    [problem] = [p for p in validate(project)[1] if p.code == "too-large"]
    assert problem.file == RESULTS and "больше 2 строк" in problem.message and "«max_rows»" in problem.message
    _descriptor(project.root, lambda d: {**d, "kachestvo": {"max_rows": 10}})
    assert not [p for p in validate(project)[1] if p.code == "too-large"]
    _descriptor(project.root, lambda d: {**d, "kachestvo": {"max_rows": "много"}})
    assert [p.field for p in validate(project)[1] if p.code == "config-value"] == ["max_rows"]


def test_limits_of_a_descriptor_fall_back_to_defaults_when_invalid():
    assert Limits.of({"kachestvo": {"max_rows": 0}}).rows == Limits().rows
    assert Limits.of({"kachestvo": {"max_rows": 7}}).rows == 7
    assert Limits.of(None) == Limits()


# --- the build: stopped with the message, previous site untouched ------------------------------------------------


@pytest.fixture(scope="module")
def built_mini(tmp_path_factory):
    project = write_project(tmp_path_factory.mktemp("limits-build"), base_tables())
    build(project, log=lambda *_: None)
    return project


def _tree(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


BUILD_CASES = sorted(CASES)  # every case of the issue stops the build the same way


@pytest.mark.parametrize("case", BUILD_CASES)
def test_a_refused_input_leaves_the_site_untouched(built_mini, case):
    backup = built_mini.root.parent / f"backup-{case}"
    for sub in ("data", "mkdocs.yml"):
        src = built_mini.root / sub
        (shutil.copytree if src.is_dir() else shutil.copy)(src, backup / sub)
    before = _tree(built_mini.site)
    breaks, rel, words = CASES[case]
    breaks(built_mini.root)
    try:
        with pytest.raises(BuildFailed) as failure:
            build(built_mini, log=lambda *_: None)
        assert rel in str(failure.value) and words in str(failure.value)
        assert "не изменён" in str(failure.value)
    finally:
        shutil.rmtree(built_mini.data)
        shutil.copytree(backup / "data", built_mini.data)
        shutil.copy(backup / "mkdocs.yml", built_mini.mkdocs_yml)
    assert _tree(built_mini.site) == before


def test_a_symlinked_build_folder_is_refused(built_mini, tmp_path):
    before = _tree(built_mini.site)
    shutil.rmtree(built_mini.build)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("не трогать", encoding="utf-8")
    built_mini.build.symlink_to(elsewhere)
    try:
        with pytest.raises(BuildFailed, match="build в папке проекта — символическая ссылка"):
            build(built_mini, log=lambda *_: None)
    finally:
        built_mini.build.unlink()
    assert (elsewhere / "keep.txt").read_text(encoding="utf-8") == "не трогать"
    assert _tree(built_mini.site) == before


@pytest.mark.slow
def test_largest_accepted_file_time_and_memory(tmp_path):
    """The closing note's figures: a results.csv just under the row limit is checked by the limits within
    seconds of processor time (not wall time, which other processes on a shared machine stretch) and bounded
    memory: the pass keeps only the records it returns (validation reads them instead of parsing the text again),
    and its own work beyond them stays small (the whole validation is measured by scripts/benchmark.py)."""
    from kachestvo.limits import check_csv_text

    text = "a,b\n" + "alpha,3.5\n" * (Limits().rows - 1)
    tracemalloc.start()
    start = time.process_time()
    records, starts = check_csv_text(text, RESULTS, Limits())
    elapsed = time.process_time() - start
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(records) == len(starts) == Limits().rows and starts[-1] == Limits().rows
    assert elapsed < 10 and peak - kept < 50 * 1024 * 1024


# --- import: workbooks and text files from Excel ------------------------------------------------------------------


def _workbook(path, cells: dict[str, object]):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "results"
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(path)
    return path


def _sparse(tmp_path):
    return _workbook(tmp_path / "sparse.xlsx", {"A1": "school_id", "XFD1048576": "x"})


def _zip_bomb(tmp_path):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        with book.open("xl/worksheets/sheet1.xml", "w") as fh:
            chunk = b" " * (1 << 20)
            for _ in range(Limits().xlsx_mb + 1):
                fh.write(chunk)
    assert path.stat().st_size < 2 * 1024 * 1024
    return path


def _malformed_xml(tmp_path):
    import zipfile

    good = _workbook(tmp_path / "good.xlsx", {"A1": "school_id", "B1": "year"})
    path = tmp_path / "malformed.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut mid-element
            dst.writestr(item, data)
    return path


def _utf16_odd(tmp_path):
    path = tmp_path / "results.txt"
    path.write_bytes("school_id\tyear\nalpha\t2021\n".encode("utf-16") + b"\x00")
    return path


def _bom_then_utf16(tmp_path):
    path = tmp_path / "results.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "school_id,year\nalpha,2021\n".encode("utf-16"))
    return path


def _wide_text(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(100_000)) + "\n", encoding="utf-8")
    return path


IMPORT_CASES = {
    "sparse-dimension": (_sparse, "ячеек при пределе"),
    "zip-bomb": (_zip_bomb, "после распаковки"),
    "malformed-xml": (_malformed_xml, "не читается как книга .xlsx"),
    "utf16-odd-bytes": (_utf16_odd, "нечётное число байтов"),
    "bom-then-utf16": (_bom_then_utf16, "склеен из двух кодировок"),
    "wide-header": (_wide_text, "столбцов при пределе"),
}


@pytest.mark.parametrize("case", sorted(IMPORT_CASES))
def test_import_refuses_with_a_message_naming_the_file(tmp_path, capsys, case):
    make, words = IMPORT_CASES[case]
    project = write_project(tmp_path / "p", base_tables())
    before = {p: p.read_bytes() for p in project.data.rglob("*") if p.is_file()}
    source = make(tmp_path)
    tracemalloc.start()
    start = time.monotonic()
    code = cli.main(["import", str(source), "--table", "results", "--project", str(project.root)])
    elapsed, peak = time.monotonic() - start, tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("Ошибка: ")
    assert source.name in err and words in err, err
    assert elapsed < 20 and peak < 300 * 1024 * 1024
    assert {p: p.read_bytes() for p in project.data.rglob("*") if p.is_file()} == before


# --- look-alike letters in the management cycle's texts ------------------------------------------------------------


@pytest.mark.parametrize(
    "table, column",
    [("indicators", "text"), ("tasks", "text")],
)
def test_mixed_script_word_in_cycle_texts(tmp_path, table, column):
    from kachestvo.validate import validate

    tables = base_tables()
    tables[table][0][column] = "Наличие прикаэа и плaна"  # Latin «a» in «плaна»
    project = write_project(tmp_path, tables)
    found = [(p.file, p.field, p.code) for p in validate(project)[1] if p.code == "mixed-script"]
    assert found == [(f"data/{table}.csv", column, "mixed-script")]


@pytest.mark.parametrize(
    "table, column, old",
    [
        ("roadmap", "activity", "Анализ ресурсных потребностей"),
        ("decisions", "text", "Информацию принять к сведению."),
    ],
)
def test_mixed_script_word_in_roadmap_and_decision_texts(tmp_path, table, column, old):
    """The issue's roadmap and decision texts, on the Котельниковский example that holds both tables."""
    import csv

    from kachestvo.validate import validate

    project = copy_project("kotelnikovsky", tmp_path / "p")
    path = project.data / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, old.replace("а", "a", 1), 1), encoding="utf-8")  # one Latin «a»
    found = [(p.file, p.field, p.code) for p in validate(project)[1] if p.code == "mixed-script"]
    assert found == [(f"data/{table}.csv", column, "mixed-script")]
    assert next(csv.DictReader(path.open(encoding="utf-8")))[column] != old  # the edit hit the intended cell


@pytest.mark.parametrize(
    "setting, value, text",
    [
        ("max_rows", 2, "school_id,year\n" + "alpha,2021\n" * 3),
        ("max_columns", 3, "school_id,year,a,b\nalpha,2021,1,2\n"),
        ("max_cell_chars", 10, "school_id,year\nalpha," + "я" * 11 + "\n"),
    ],
)
def test_import_names_the_setting_of_each_limit(tmp_path, capsys, setting, value, text):
    """A text file from Excel beyond a limit: the message names the file, the limit and the setting that raises it,
    as validation does."""
    project = write_project(tmp_path / "p", base_tables())
    _descriptor(project.root, lambda d: {**d, "kachestvo": {setting: value}})
    source = tmp_path / "results.csv"
    source.write_text(text, encoding="utf-8")
    assert cli.main(["import", str(source), "--table", "results", "--project", str(project.root)]) == 2
    err = capsys.readouterr().err
    assert "results.csv" in err and str(value) in err and f"«{setting}»" in err, err
