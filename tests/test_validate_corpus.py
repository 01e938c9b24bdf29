"""A corpus of broken inputs: each asserts the exact problem tuples (file, row, field, code)."""

from __future__ import annotations

import json

import pytest

from conftest import base_tables, write_project
from kachestvo.validate import validate as _validate

PARITY = {"on": False}


@pytest.fixture(autouse=True, params=["fast", pytest.param("parity", marks=pytest.mark.slow)])
def parity(request):
    """Every case runs twice: on the fast path alone, and (slow: frictionless takes a second a case) as a parity case
    where the column-wise schema check must find exactly what frictionless itself finds."""
    PARITY["on"] = request.param == "parity"
    yield
    PARITY["on"] = False


def validate(project):
    """The problems only (validate also returns the loaded dataset), compared with frictionless' in the parity run."""
    problems = _validate(project)[1]
    if PARITY["on"]:
        assert problems == _validate(project, reference=True)[1]
    return problems


def keys(project):
    return [p.key for p in validate(project)]


def test_mini_project_is_valid(mini):
    assert validate(mini) == []


def _replace_line(project, table, old, new):
    path = project.data / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_wrong_type_decimal_comma(mini):
    _replace_line(mini, "results", "3.5,", '"3,5",')
    problems = validate(mini)
    assert [p.key for p in problems] == [("data/results.csv", 2, "value", "type-error")]
    assert "«3.5»" in problems[0].message and problems[0].value == "3,5"


def test_unknown_school(mini):
    _replace_line(mini, "activities", "alpha-01,alpha,", "alpha-01,gamma,")
    assert keys(mini) == [("data/activities.csv", 2, "school_id", "foreign-key")]


def test_duplicate_key(mini):
    path = mini.data / "schools.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")
    assert keys(mini) == [("data/schools.csv", 4, None, "primary-key")]


def test_bad_enum(mini):
    _replace_line(mini, "results", "ОГЭ,9,Математика,2019", "ОГЕ,9,Математика,2019")
    assert keys(mini) == [("data/results.csv", 2, "assessment", "constraint-enum")]


def test_broken_date(mini):
    _replace_line(mini, "activities", "2021-03-31", "31.02.2021")
    problems = validate(mini)
    assert [p.key for p in problems] == [("data/activities.csv", 2, "end_date", "constraint-pattern")]
    assert "ГГГГ-ММ-ДД" in problems[0].message


def test_impossible_day_of_a_partial_date(mini):
    _replace_line(mini, "activities", "2021-03-31", "2021-04-31")  # no month has more days than it can: the pattern
    problems = validate(mini)
    assert [p.key for p in problems] == [("data/activities.csv", 2, "end_date", "constraint-pattern")]
    assert "Такой даты нет в календаре" in problems[0].message
    _replace_line(mini, "activities", "2021-04-31", "2021-02-29")  # 29 February of a common year: the domain check
    problems = validate(mini)
    assert [p.key for p in problems] == [("data/activities.csv", 2, "end_date", "impossible-date")]
    assert "даты 2021-02-29 нет в календаре" in problems[0].message


@pytest.mark.parametrize(
    "start, end, ordered", [("2020", "2020-02", True), ("2020-02", "2020-02-01", True), ("2021", "2020-12", False)]
)
def test_partial_dates_are_ordered_by_the_days_they_may_mean(mini, start, end, ordered):
    _replace_line(mini, "activities", "2021-03-01,2021-03-31", f"{start},{end}")
    assert keys(mini) == ([] if ordered else [("data/activities.csv", 2, "end_date", "end-before-start")])


def test_excel_exported_file(mini):
    path = mini.data / "schools.csv"
    text = path.read_text(encoding="utf-8").replace(",", ";")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("cp1251"))
    problems = validate(mini)
    assert [p.key for p in problems] == [
        ("data/schools.csv", None, None, "encoding-error"),
        ("data/schools.csv", None, None, "excel-bom"),
    ]
    assert all("kachestvo import" in p.message for p in problems)


def test_semicolon_utf8_file(mini):
    path = mini.data / "clusters.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    assert keys(mini) == [("data/clusters.csv", None, None, "delimiter")]


def test_missing_column(mini):
    path = mini.data / "clusters.csv"
    path.write_text("cluster_id,description,document_id,note\nselo,,,\n", encoding="utf-8")
    assert keys(mini) == [("data/clusters.csv", 1, "name", "missing-label")]


def test_extra_column(mini):
    path = mini.data / "clusters.csv"
    path.write_text("cluster_id,name,description,document_id,note,color\nselo,сельские,,,,red\n", encoding="utf-8")
    assert keys(mini) == [("data/clusters.csv", 1, "color", "extra-label")]


def test_multiline_cells_report_the_file_line(tmp_path):
    tables = base_tables()
    tables["activities"].insert(
        0,
        dict(
            activity_id="alpha-00",
            school_id="alpha",
            level="школьный",
            order="1",
            title="Курсы",
            result="первая строка\nвторая строка\nтретья",
        ),
    )
    tables["activities"][1]["school_id"] = "nope"
    project = write_project(tmp_path, tables)
    assert keys(project) == [("data/activities.csv", 5, "school_id", "foreign-key")]


@pytest.mark.parametrize(
    "table,index,changes,expected",
    [
        ("results", 0, {"value": "7"}, ("data/results.csv", 2, "value", "out-of-range")),
        ("results", 0, {"value": ""}, ("data/results.csv", 2, "value", "missing-reason")),
        ("results", 1, {"value": "3"}, ("data/results.csv", 3, "value_missing", "value-and-reason")),
        ("results", 0, {"unit": "доля"}, ("data/results.csv", 2, "unit", "unit-mismatch")),
        ("activities", 0, {"start_date": "2021-04-01"}, ("data/activities.csv", 2, "end_date", "end-before-start")),
        ("activities", 0, {"school_id": ""}, ("data/activities.csv", 2, "school_id", "school-required")),
        ("schools", 1, {"branch_of": "beta"}, ("data/schools.csv", 3, "branch_of", "branch-of-itself")),
        ("indicator_values", 0, {"target": "70"}, ("data/indicator_values.csv", 2, "target", "value-unit-mismatch")),
        ("indicator_values", 1, {"actual_missing": ""}, ("data/indicator_values.csv", 3, "actual", "actual-or-reason")),
        ("programmes", 0, {"end_year": "2020"}, ("data/programmes.csv", 2, "end_year", "end-before-start")),
        ("documents", 0, {"sha256": "0" * 64}, ("data/documents.csv", 2, "sha256", "checksum-mismatch")),
    ],
)
def test_domain_rules(tmp_path, table, index, changes, expected):
    tables = base_tables()
    tables[table][index].update(changes)
    assert expected in keys(write_project(tmp_path, tables))


def test_indicator_needs_target_every_year(tmp_path):
    tables = base_tables()
    tables["indicator_values"].pop()
    assert keys(write_project(tmp_path, tables)) == [("data/indicators.csv", 2, "indicator_id", "target-missing")]


def test_school_in_two_partner_groups(tmp_path):
    tables = base_tables()
    tables["partner_groups"].append(dict(group_id="g2", name="2 группа"))
    tables["partner_group_members"].append(dict(group_id="g2", school_id="beta", role="участник"))
    assert keys(write_project(tmp_path, tables)) == [("data/partner_group_members.csv", 4, "school_id", "school-in-two-groups")]


def test_branch_of_a_branch(tmp_path):
    tables = base_tables()
    tables["schools"].append(dict(school_id="gamma", full_name="Гамма", short_name="Гамма", level="НОШ", branch_of="beta"))
    assert keys(write_project(tmp_path, tables)) == [("data/schools.csv", 4, "branch_of", "branch-of-branch")]


def test_every_problem_reported_at_once(tmp_path):
    tables = base_tables()
    tables["results"][0]["value"] = "abc"
    tables["activities"][0]["school_id"] = "nope"
    tables["schools"][0]["level"] = "гимназия"
    found = {k[:2] for k in keys(write_project(tmp_path, tables))}
    assert {("data/results.csv", 2), ("data/activities.csv", 2), ("data/schools.csv", 2)} <= found


def test_schema_copy_drift(mini):
    path = mini.data / "schemas" / "clusters.json"
    path.write_text(path.read_text(encoding="utf-8").replace("Кластеры", "Группы"), encoding="utf-8")
    assert keys(mini) == [("data/schemas/clusters.json", None, None, "schema-drift")]


def test_missing_core_table(tmp_path):
    tables = base_tables()
    del tables["municipality"]
    assert keys(write_project(tmp_path, tables)) == [("data/datapackage.json", None, None, "missing-resource")]


def test_personal_names_need_consent(tmp_path):
    tables = base_tables()
    tables["activities"][0]["responsible"] = "куратор Артемьева О.Ю."
    assert keys(write_project(tmp_path / "a", tables)) == [("data/activities.csv", 2, "responsible", "personal-data")]
    tables["activities"][0]["note"] = "Согласие на публикацию ФИО получено 01.09.2021"
    assert keys(write_project(tmp_path / "b", tables)) == []


def test_a_name_is_looked_for_in_each_cell_not_across_cells(tmp_path):
    """The check first searches a whole column at once: cells that only together look like «Фамилия И.О.» are fine,
    and a name in any one row is still found."""
    tables = base_tables()
    rows = tables["activities"]
    rows += [dict(rows[0], activity_id=f"alpha-0{i}", order=str(i)) for i in (2, 3)]
    rows[0]["responsible"], rows[1]["responsible"] = "куратор Артемьева", "О.Ю. (заместитель)"
    assert keys(write_project(tmp_path / "a", tables)) == []
    rows[-1]["responsible"] = "Артемьева О.Ю."
    line = len(rows) + 1
    assert keys(write_project(tmp_path / "b", tables)) == [("data/activities.csv", line, "responsible", "personal-data")]


def test_excel_workbook_dropped_into_data_is_reported(mini):
    (mini.data / "results.xlsx").write_bytes(b"PK")
    problems = validate(mini)
    assert [p.key for p in problems] == [("data/results.xlsx", None, None, "unlisted-file")]
    assert "kachestvo import data/results.xlsx" in problems[0].message


@pytest.mark.parametrize("value", ["пять", 0, -3, 2.5, True, None])
def test_configuration_block_is_validated(mini, value):
    """A wrong `kachestvo` setting of any kind is a problem naming datapackage.json and the setting."""
    descriptor = json.loads(mini.datapackage.read_text(encoding="utf-8"))
    descriptor["kachestvo"] = {"min_group": value}
    mini.datapackage.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    assert [p.key for p in validate(mini)] == [("data/datapackage.json", None, "min_group", "config-value")]


def test_a_wrong_setting_stops_validate_and_build_in_russian(mini, capsys):
    """The commands report it in Russian, never a traceback at build time (one kind of wrong value: the problem is
    the same for each, as the test above shows)."""
    from kachestvo.cli import main

    descriptor = json.loads(mini.datapackage.read_text(encoding="utf-8"))
    descriptor["kachestvo"] = {"min_group": "пять"}
    mini.datapackage.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    assert main(["validate", "--project", str(mini.root)]) == 1
    out = capsys.readouterr().out
    assert "datapackage.json" in out and "min_group" in out and "Traceback" not in out
    assert main(["build", "--project", str(mini.root)]) == 1


def test_unknown_setting_is_reported(mini):
    descriptor = json.loads(mini.datapackage.read_text(encoding="utf-8"))
    descriptor["kachestvo"] = {"min_groop": 5}
    mini.datapackage.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    assert [p.key for p in validate(mini)] == [("data/datapackage.json", None, "min_groop", "config-value")]


def test_a_school_entered_twice_under_another_id_is_a_warning_naming_both_rows(mini):
    """A renamed identifier imported as a new row: same full name, new id — two pages of one school."""
    path = mini.data / "schools.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[1].replace("alpha,", "alpha2,", 1)]) + "\n", encoding="utf-8")
    problems = validate(mini)
    assert [p.key for p in problems] == [("data/schools.csv", 4, "full_name", "school-named-twice")]
    assert problems[0].severity == "warning"
    assert "строке 2" in problems[0].message and "«alpha»" in problems[0].message and "«alpha2»" in problems[0].message
    path.write_text(
        "\n".join(lines + [lines[1].replace("alpha,МБОУ «Альфа СОШ»", "alpha2,МБОУ «Альфа СОШ» № 2", 1)]) + "\n", encoding="utf-8"
    )
    assert validate(mini) == []  # another name: another school
