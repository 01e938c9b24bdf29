"""Domain rules that were split into small steps: each branch of each rule, on a small project, by the rows it names
(and the rows it must leave alone)."""

from __future__ import annotations

import pytest

from conftest import base_tables, write_project
from kachestvo.validate import validate

SHNOR, SHNSU = "региональный список ШНОР", "список ШНСУ"


def _keys(tmp_path, tables, code: str) -> list[tuple]:
    _, problems = validate(write_project(tmp_path, tables))
    return sorted((p.file, p.row, p.field) for p in problems if p.code == code)


def _lists(sizes: list[dict], members: int = 0) -> dict:
    tables = base_tables()
    tables["list_sizes"] = sizes
    tables["list_membership"] = [
        dict(school_id=sid, list=SHNOR, year="2021", status="включена") for sid in ("alpha", "beta")[:members]
    ]
    return tables


LIST_CASES = {
    "size holds the named schools": ([dict(list=SHNOR, year="2021", schools="2")], 2, []),
    "fewer than named": ([dict(list=SHNOR, year="2021", schools="1")], 2, [("data/list_sizes.csv", 2, "schools")]),
    "shared without a list": (
        [dict(list=SHNOR, year="2021", schools="2", shared="1")],
        0,
        [("data/list_sizes.csv", 2, "shared")],
    ),
    "shared with itself": (
        [dict(list=SHNOR, year="2021", schools="2", shared_with=SHNOR, shared="1")],
        0,
        [("data/list_sizes.csv", 2, "shared_with")],
    ),
    "shared with a list of another year": (
        [
            dict(list=SHNOR, year="2021", schools="2", shared_with=SHNSU, shared="1"),
            dict(list=SHNSU, year="2020", schools="3"),
        ],
        0,
        [("data/list_sizes.csv", 2, "shared_with")],
    ),
    "more shared than the smaller list": (
        [
            dict(list=SHNOR, year="2021", schools="5", shared_with=SHNSU, shared="3"),
            dict(list=SHNSU, year="2021", schools="2"),
        ],
        0,
        [("data/list_sizes.csv", 2, "shared")],
    ),
    "shared fits both": (
        [
            dict(list=SHNOR, year="2021", schools="5", shared_with=SHNSU, shared="2"),
            dict(list=SHNSU, year="2021", schools="2"),
        ],
        0,
        [],
    ),
}


@pytest.mark.parametrize("case", LIST_CASES)
def test_list_sizes_hold_together(tmp_path, case):
    sizes, members, expected = LIST_CASES[case]
    assert _keys(tmp_path, _lists(sizes, members), "list-size") == expected


def test_years_after_as_of_are_warned_row_by_row(tmp_path):
    """Only the rows whose year is after the «по состоянию на» date (2021-09-01), each distinct year judged once."""
    tables = base_tables()
    late = dict(tables["results"][2], year="2022")
    tables["results"] += [late, dict(late, subject="Русский язык"), dict(late, year="2021", subject="Физика")]
    _, problems = validate(write_project(tmp_path, tables))
    found = [(p.row, p.severity) for p in problems if p.code == "year-after-as-of"]
    assert sorted(found) == [(5, "warning"), (6, "warning")]


TARGET_CASES = {
    "a «не менее» target under «не более»": ("не более", "процент", "не менее 80", ["target"]),
    "a range target under «в диапазоне»": ("в диапазоне", "процент", "80–100", []),
    "a plain number under «в диапазоне»": ("в диапазоне", "процент", "80", ["target"]),
    "yes/no direction for a percent": ("да/нет", "процент", "80", ["direction"]),
    "wording says the opposite": ("не более", "процент", "не более 10", ["direction"]),
}


@pytest.mark.parametrize("case", TARGET_CASES)
def test_indicator_direction_against_unit_wording_and_targets(tmp_path, case):
    direction, unit, target, fields = TARGET_CASES[case]
    tables = base_tables()
    text = "Доля школ не менее 80 %" if case == "wording says the opposite" else "Доля школ"
    tables["indicators"] = [dict(indicator_id="t1-i1", task_id="t1", order="1", text=text, unit=unit, direction=direction)]
    tables["indicator_values"] = [dict(indicator_id="t1-i1", year="2021", target=target, actual="85")]
    found = [f for _, _, f in _keys(tmp_path, tables, "direction-contradiction")]
    assert found == fields


def test_one_name_in_two_municipalities_is_two_schools(tmp_path):
    """In a region, the same full name in two municipalities is two schools; twice in one municipality (letter case
    and spacing aside) is one school entered twice, named at the later row; an empty name is never a repeat."""
    tables = base_tables()
    tables["municipality"] = [
        dict(tables["municipality"][0], municipality_id="region", kind="регион", name="Область"),
        dict(tables["municipality"][0], municipality_id="north", name="Северный район"),
        dict(tables["municipality"][0], municipality_id="south", name="Южный район"),
    ]
    for s in tables["schools"]:
        s["municipality_id"] = "north"
    tables["schools"] += [
        dict(school_id="gamma", full_name="МБОУ «Альфа СОШ»", short_name="Гамма", level="СОШ", municipality_id="south"),
        dict(school_id="delta", full_name="мбоу  «альфа сош»", short_name="Дельта", level="СОШ", municipality_id="north"),
    ]
    found = _keys(tmp_path, tables, "school-named-twice")
    assert found == [("data/schools.csv", 5, "full_name")]
