"""Hostile and careless input (issue 9): every class is a validation problem with the exact tuple, is caught
whatever string carries it (property tests), never reaches a download as a formula, and never changes site/."""

from __future__ import annotations

import csv
import io
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PROJECTS, add_small_group, base_tables, copy_project, each_example, write_project
from kachestvo import escape, schemas
from kachestvo.build import BuildFailed, build
from kachestvo.output import downloads, stage
from kachestvo.validate import text, validate

BIDI = sorted(text.BIDI)
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u2028", "\u3164"]
CONTROL = ["\x00", "\x0b", "\x0c", "\x1b", "\x7f", "\x85"]
FORMULA = ["=", "+", "-", "@"]


def tuples(project):
    return [(p.file, p.row, p.field, p.code, p.value) for p in validate(project)[1]]


def project_with(tmp_path, table, index, **values):
    tables = base_tables()
    tables[table][index].update(values)
    return write_project(tmp_path, tables)


# --- corpus: one case per class, the exact problem tuple -------------------------------------------------------


def test_formula_in_a_text_cell(tmp_path):
    value = '=HYPERLINK("http://evil.example/","click")'
    project = project_with(tmp_path, "schools", 0, note=value)
    assert tuples(project) == [("data/schools.csv", 2, "note", "formula-prefix", value)]
    assert "U+003D" in validate(project)[1][0].message


def test_right_to_left_override_in_a_school_name(tmp_path):
    value = "Альфа \u202eШОС"
    project = project_with(tmp_path, "schools", 0, short_name=value)
    assert tuples(project) == [("data/schools.csv", 2, "short_name", "bidi-character", value)]
    message = validate(project)[1][0].message
    assert "U+202E" in message and "Удалите" in message


def test_zero_width_space_in_an_indicator(tmp_path):
    value = "Наличие\u200b приказа"
    project = project_with(tmp_path, "indicators", 0, text=value)
    assert tuples(project) == [("data/indicators.csv", 2, "text", "invisible-character", value)]


@pytest.mark.parametrize("char", ["\x0b", "\x00"])
def test_vertical_tab_or_nul_in_a_text_cell(tmp_path, char):
    value = f"Проведён{char}успешно"
    project = project_with(tmp_path, "activities", 0, result=value)
    assert tuples(project) == [("data/activities.csv", 2, "result", "control-character", value)]
    assert f"U+{ord(char):04X}" in validate(project)[1][0].message


def test_line_break_only_in_multi_line_fields(tmp_path):
    project = project_with(tmp_path, "activities", 0, result="Проведён\nуспешно", title="Семинар\nдля учителей")
    assert tuples(project) == []
    project = project_with(tmp_path / "2", "schools", 0, short_name="Альфа\nСОШ")
    assert tuples(project) == [("data/schools.csv", 2, "short_name", "line-break", "Альфа\nСОШ")]


def test_latin_letter_in_a_cyrillic_school_name(tmp_path):
    tables = base_tables()
    tables["schools"].append(dict(tables["schools"][0], school_id="alpha-2", short_name="Альфа CОШ", full_name="Другая"))
    project = write_project(tmp_path, tables)
    assert tuples(project) == [
        ("data/schools.csv", 4, "short_name", "lookalike-duplicate", "Альфа CОШ"),
        ("data/schools.csv", 4, "short_name", "mixed-script", "Альфа CОШ"),
    ]
    messages = [p.message for p in validate(project)[1]]
    assert "«C» U+0043" in messages[1] and "alpha" in messages[0]


def test_all_latin_look_alike_name_is_a_duplicate(tmp_path):
    tables = base_tables()
    tables["clusters"].append(dict(cluster_id="selo-2", name="ceлo"))  # Latin c, e
    tables["clusters"][0]["name"] = "село"
    project = write_project(tmp_path, tables)
    assert [t[:4] for t in tuples(project)] == [
        ("data/clusters.csv", 3, "name", "lookalike-duplicate"),
        ("data/clusters.csv", 3, "name", "mixed-script"),
    ]


def test_too_long_cell(tmp_path):
    value = "я" * 100_000
    project = project_with(tmp_path, "activities", 0, note=value)
    assert tuples(project) == [("data/activities.csv", 2, "note", "constraint-maxLength", value)]
    message = validate(project)[1][0].message
    assert "100000 знаков при пределе 10000" in message and value not in message


@pytest.mark.parametrize(
    "url", ['https://school.example/"onmouseover=x', "https://school.example/a b", "ftp://school.example/", "https://a/<b>"]
)
def test_url_the_site_would_not_link(tmp_path, url):
    project = project_with(tmp_path, "schools", 0, website=url)
    assert tuples(project) == [("data/schools.csv", 2, "website", "constraint-pattern", url)]
    assert "кавычек" in validate(project)[1][0].message


def test_hidden_character_in_a_header(tmp_path):
    project = write_project(tmp_path, base_tables())
    path = project.data / "clusters.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("name", "na\u200bme", 1), encoding="utf-8")
    found = [t[:4] for t in tuples(project)]
    assert ("data/clusters.csv", 1, "na\u200bme", "invisible-character") in found


def test_hidden_character_in_the_datapackage(tmp_path):
    project = write_project(tmp_path, base_tables())
    path = project.datapackage
    path.write_text(path.read_text(encoding="utf-8").replace('"test"', '"te\u202est"', 1), encoding="utf-8")
    assert [t[:4] for t in tuples(project)] == [
        ("data/datapackage.json", None, None, "descriptor-invalid"),
        ("data/datapackage.json", None, "name", "bidi-character"),
    ]


def test_symlink_in_content_stops_validation(tmp_path):
    project = write_project(tmp_path, base_tables())
    (project.content / "documents" / "passwd.txt").symlink_to("/etc/passwd")
    problems = validate(project)[1]
    assert [p.key for p in problems] == [("content/documents/passwd.txt", None, None, "symlink")]
    assert "/etc/passwd" in problems[0].message


def test_document_file_that_is_a_symlink(tmp_path):
    project = write_project(tmp_path, base_tables())
    target = project.content / "documents" / "prikaz-1.txt"
    target.rename(tmp_path / "outside.txt")
    target.symlink_to(tmp_path / "outside.txt")
    assert [p.key for p in validate(project)[1]] == [("content/documents/prikaz-1.txt", None, None, "symlink")]


def test_symlinked_data_file_is_not_read(tmp_path):
    project = write_project(tmp_path, base_tables())
    path = project.data / "clusters.csv"
    path.rename(tmp_path / "clusters.csv")
    path.symlink_to(tmp_path / "clusters.csv")
    ds, problems = validate(project)
    assert ds is None and [p.key for p in problems] == [("data/clusters.csv", None, None, "symlink")]


def test_stage_refuses_a_symlink_even_unvalidated(tmp_path):
    project = write_project(tmp_path, base_tables())
    (project.content / "passwd").symlink_to("/etc/passwd")
    with pytest.raises(stage.LinkFound, match=r"В content/ есть символические ссылки: .*passwd\. Сборка не публикует"):
        stage.stage(project, {}, project.build)
    assert not (project.build / "passwd").exists()


# --- the build: each class stops it, the previous site/ stays byte for byte ------------------------------------

HOSTILE_CELLS = {
    "formula": ("schools.csv", ",МКОУ,", ',"=HYPERLINK(""http://evil.example/"")",'),
    "bidi": ("schools.csv", "СШ,", "С\u202eШ,"),
    "control": ("schools.csv", "СШ,", "С\x0bШ,"),
    "mixed": ("schools.csv", "СШ,", "CШ,"),
    "long": ("schools.csv", "СШ,", "СШ" + "ш" * 400 + ","),
    "quote": ("schools.csv", "СОШ,,,,,Уровень", 'СОШ,,,,"https://x.example/""a",Уровень'),
}


@pytest.fixture(scope="module")
def site_project(tmp_path_factory):
    project = copy_project("kotelnikovsky", tmp_path_factory.mktemp("hostile-build"))
    build(project, log=lambda *_: None)
    return project


def _tree(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", sorted(HOSTILE_CELLS))
def test_each_class_stops_the_build_and_keeps_site(site_project, case):
    name, old, new = HOSTILE_CELLS[case]
    path = site_project.data / name
    original = path.read_text(encoding="utf-8")
    assert old in original
    before = _tree(site_project.site)
    path.write_text(original.replace(old, new, 1), encoding="utf-8")
    try:
        with pytest.raises(BuildFailed, match=rf"{name}», строка \d+ \([^)]*\), столбец") as failure:
            build(site_project, log=lambda *_: None)
        assert "Traceback" not in str(failure.value) and "Сайт не собран" in str(failure.value)
    finally:
        path.write_text(original, encoding="utf-8")
    assert _tree(site_project.site) == before


def test_symlink_stops_the_build_and_nothing_outside_is_published(site_project):
    before = _tree(site_project.site)
    link = site_project.content / "documents" / "passwd.txt"
    link.symlink_to("/etc/passwd")
    try:
        with pytest.raises(BuildFailed, match="символическая ссылка"):
            build(site_project, log=lambda *_: None)
    finally:
        link.unlink()
    assert _tree(site_project.site) == before
    assert not any(p.name == "passwd.txt" for p in site_project.site.rglob("*"))


# --- property tests: any string of a class is reported ---------------------------------------------------------

plain = st.text(alphabet=st.characters(whitelist_categories=("L", "N", "Zs"), whitelist_characters="«»—.,()"), max_size=30)


def _problems_for(value: str, table: str = "schools", column: str = "short_name"):
    row = {c: "" for c in schemas.field_names(table)}
    row[column] = value
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(row), lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    return {p.code for p in text.table_problems(table, buf.getvalue())}


@settings(deadline=None)
@given(plain, st.sampled_from(BIDI), plain)
def test_any_bidi_control_is_reported(before, char, after):
    assert "bidi-character" in _problems_for(before + char + after)


@settings(deadline=None)
@given(plain, st.sampled_from(INVISIBLE), plain)
def test_any_invisible_character_is_reported(before, char, after):
    assert "invisible-character" in _problems_for(before + char + after)


@settings(deadline=None)
@given(plain, st.characters(whitelist_categories=("Cc",)).filter(lambda c: c not in "\r\n"), plain)
def test_any_control_character_is_reported(before, char, after):
    assert "control-character" in _problems_for(before + char + after, "activities", "result")


@settings(deadline=None)
@given(st.sampled_from(FORMULA), plain)
def test_any_formula_start_is_reported(char, rest):
    assert "formula-prefix" in _problems_for(char + rest, "schools", "note")


@settings(deadline=None)
@given(plain, st.text(alphabet="ABCEHKMOPTXaceopxy", min_size=1, max_size=3), plain)
def test_any_word_mixing_latin_and_cyrillic_is_reported(before, latin, after):
    assert "mixed-script" in _problems_for(f"{before} Сош{latin}ка {after}")


@settings(deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_url_passes_validation_only_if_the_site_links_it(url):
    pattern = re.compile(schemas.field("schools", "website")["constraints"]["pattern"])
    assert bool(pattern.fullmatch(url)) == (escape.href(url) == url)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(["short_name", "full_name", "note", "locality"]),
    st.sampled_from(BIDI + INVISIBLE + CONTROL + ["="]),
    plain,
)
def test_validation_reports_every_class_in_any_school_column(tmp_path_factory, column, char, rest):
    project = project_with(tmp_path_factory.mktemp("p"), "schools", 0, **{column: char + "Альфа" + rest})
    problems = validate(project)[1]
    assert problems and all(p.file == "data/schools.csv" and p.row == 2 and p.field == column for p in problems)


# --- downloads: never a formula ---------------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(FORMULA), st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40))
def test_xlsx_never_writes_a_formula(char, rest):
    from openpyxl import load_workbook

    row = {c: "" for c in schemas.field_names("clusters")}
    row.update(cluster_id="x", name=char + rest)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(row), lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)

    data = downloads.xlsx({"clusters": buf.getvalue().encode("utf-8")}, None, None)
    sheet = load_workbook(io.BytesIO(data))[downloads.sheet_names(["clusters"])["clusters"]]
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value == char + rest


@pytest.mark.parametrize("name", each_example())
def test_example_downloads_hold_no_formula(built, name):
    from openpyxl import load_workbook

    files = built(name).site / "otkrytye-dannye" / "files"
    book = load_workbook(files / "data.xlsx")
    assert not [c.coordinate for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    for path in files.glob("*.csv"):
        cells = [v for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")) for v in row]
        assert not [v for v in cells if v.startswith(text.FORMULA_START)], path


# --- schemas ----------------------------------------------------------------------------------------------------


def test_every_text_field_has_a_max_length_below_a_spreadsheet_cell():
    for name in schemas.table_names():
        for f in schemas.schema(name)["fields"]:
            if f["type"] == "string":
                assert 0 < f["constraints"]["maxLength"] < 32_767, (name, f["name"])


def test_url_fields_use_the_sites_link_rule():
    for name, column in (("schools", "website"), ("documents", "url")):
        assert schemas.field(name, column)["constraints"]["pattern"] == escape.SAFE_URL.pattern


def test_no_symlink_in_examples():
    for root in PROJECTS.values():
        for dirpath, dirs, files in os.walk(root):
            assert not [n for n in dirs + files if os.path.islink(os.path.join(dirpath, n))], dirpath


# --- privacy: a hidden value that a published document shows is a warning, not an error -----------------------


def _small_group(tables):
    add_small_group(tables)
    tables["results"][0]["document_id"] = "prikaz-1"


def test_suppressed_value_in_a_published_document_warns(tmp_path):
    import hashlib

    tables = base_tables()
    _small_group(tables)
    doc = "Приказ № 1. Средняя оценка по математике в Альфа СОШ — 4,87.\n"
    tables["documents"][0]["sha256"] = hashlib.sha256(doc.encode("utf-8")).hexdigest()
    project = write_project(tmp_path, tables)
    (project.content / "documents" / "prikaz-1.txt").write_text(doc, encoding="utf-8")
    problems = validate(project)[1]
    assert [(p.key, p.severity, p.value) for p in problems] == [
        (("data/results.csv", 2, "value", "suppressed-in-document"), "warning", "4.87")
    ]
    assert "«prikaz-1»" in problems[0].message and "content/documents/prikaz-1.txt" in problems[0].message
    build(project, log=lambda *_: None)  # a warning does not stop the build
    assert "4,87" not in (project.site / "shkoly" / "alpha" / "index.html").read_text(encoding="utf-8")


def test_suppressed_value_absent_from_documents_is_silent(tmp_path):
    tables = base_tables()
    _small_group(tables)
    assert tuples(write_project(tmp_path, tables)) == []


def test_document_path_leading_outside(tmp_path):
    project = project_with(tmp_path, "documents", 0, file="documents/../../../etc/passwd", sha256="")
    assert tuples(project) == [("data/documents.csv", 2, "file", "file-outside", "documents/../../../etc/passwd")]


def test_page_title_with_ampersand_and_quotes_is_escaped_once(tmp_path):
    import html

    name = 'Альфа & «Бета» "СОШ" <1>'
    project = project_with(tmp_path, "schools", 0, short_name=name)
    build(project, log=lambda *_: None)
    page = (project.site / "shkoly" / "alpha" / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    assert html.unescape(title).startswith(name + " - ") and html.unescape(h1).strip() == name
    assert "&amp;amp;" not in page and "&amp;lt;" not in page and "&amp;#" not in page


def test_hidden_character_in_a_content_file_name(tmp_path):
    project = write_project(tmp_path, base_tables())
    (project.content / "мето\u202eдика.md").write_text("# Методика\n", encoding="utf-8")
    problems = validate(project)[1]
    assert [p.key for p in problems] == [("content/мето\u202eдика.md", None, None, "bidi-character")]
    assert "в имени файла" in problems[0].message
