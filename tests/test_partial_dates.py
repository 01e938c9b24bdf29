"""A date known to the year stays a year, to the month a month: in data, downloads (CSV and data.xlsx) and in the
loaded dataset; no example carries a day its source does not write."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from conftest import PROJECTS
from kachestvo.dataset import load
from kachestvo.output import downloads
from kachestvo.partial_date import MONTHS, PATTERN, PartialDate, before, month_of
from kachestvo.paths import Project

GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря")
WITH_ACTIVITIES = [n for n, p in PROJECTS.items() if (p / "data" / "activities.csv").exists()]


def _activities(name: str) -> list[dict]:
    return list(csv.DictReader((PROJECTS[name] / "data" / "activities.csv").open(encoding="utf-8", newline="")))


def _source_writes_day(period: str, d: dt.date) -> bool:
    """The period text itself names this day: «13.05.2021», «04-05.06.2020», «21 января 2020»."""
    dotted = rf"(?<!\d)0?{d.day}(?:\.0?{d.month}\.|\s*[-–]\s*\d{{1,2}}\.0?{d.month}\.)"
    ranged = rf"(?<!\d)\d{{1,2}}\s*[-–]\s*0?{d.day}\.0?{d.month}\."
    return bool(re.search(dotted, period) or re.search(ranged, period) or f"{d.day} {GENITIVE[d.month - 1]}" in period.lower())


@pytest.mark.parametrize("name", WITH_ACTIVITIES)
def test_no_example_invents_a_day_or_a_month(name):
    for a in _activities(name):
        for column in ("start_date", "end_date"):
            value = PartialDate.parse(a[column]) if a[column] else None
            if a[column]:
                assert value is not None, (a["activity_id"], a[column])
            if value is not None and value.day:
                assert _source_writes_day(a["period"], value.first), (a["activity_id"], column, a["period"], a[column])
            elif value is not None and value.month:
                assert month_of(a["period"], value.month), (a["activity_id"], column, a["period"], a[column])


def test_the_issues_cases_keep_their_precision():
    ilansky = {a["period"]: (a["start_date"], a["end_date"]) for a in _activities("ilansky")}
    assert ilansky["в 2017 году"] == ("2017", "2017")
    kotelnikovsky = {a["activity_id"]: (a["period"], a["start_date"], a["end_date"]) for a in _activities("kotelnikovsky")}
    assert kotelnikovsky["krasnoyarskaya-sh-04"] == ("февраль 2020г.", "2020-02", "2020-02")
    assert kotelnikovsky["krasnoyarskaya-sh-01"][1:] == ("2020", "2021-11-30")  # «2020 г 03.06.2021г.- 30.11.2021г.»
    invented = [a for a in kotelnikovsky.values() for v in a[1:] if re.fullmatch(r"\d{4}-(01-01|12-31|\d\d-01)", v)]
    assert invented == []


def test_downloads_keep_the_precision(tmp_path):
    project = Project.at(PROJECTS["ilansky"])
    data = (project.data / "activities.csv").read_bytes()
    book = load_workbook(io.BytesIO(downloads.xlsx({"activities": data}, "Иланский район", None)))
    ws = book.worksheets[1]
    header = [c.value for c in ws[1]]
    row = dict(zip(header, [c.value for c in ws[2]]))
    assert row["Начало"] == "2017" and row["Окончание"] == "2017"  # text, not a date Excel would show as 01.01.2017


def test_loaded_dataset_holds_partial_dates():
    ds = load(Project.at(PROJECTS["kotelnikovsky"]))
    values = {v for column in ("start_date", "end_date") for v in ds["activities"][column] if v is not None}
    assert all(isinstance(v, PartialDate) for v in values)
    assert {v.precision for v in values} == {"year", "month", "day"}


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)), st.sampled_from(["year", "month", "day"]))
def test_partial_date_round_trip_and_bounds(day, precision):
    text = {"year": f"{day:%Y}", "month": f"{day:%Y-%m}", "day": f"{day:%Y-%m-%d}"}[precision]
    value = PartialDate.parse(text)
    assert re.fullmatch(PATTERN, text) and value.iso() == text and value.precision == precision
    assert value.first <= day <= value.last
    assert not before(value, value)


def test_russian_and_order():
    assert PartialDate.parse("2020-02").russian() == f"{MONTHS[1]} 2020"
    assert PartialDate.parse("2017").russian() == "2017\u00a0г."
    assert PartialDate.parse("2021-05-13").russian() == "13.05.2021"
    assert PartialDate.parse("2021-02-29") is None and PartialDate.parse("2021-13") is None
    assert before(PartialDate.parse("2019-12"), PartialDate.parse("2020"))
    assert not before(PartialDate.parse("2020-12-31"), PartialDate.parse("2020"))


def test_field_dictionary_names_a_partial_date():
    from kachestvo import schemas
    from kachestvo.pages.data import PARTIAL_DATE, type_label

    fields = {f["name"]: f for f in schemas.schema("activities")["fields"]}
    assert type_label(fields["start_date"]) == type_label(fields["end_date"]) == PARTIAL_DATE
    assert "ГГГГ-ММ" in PARTIAL_DATE and type_label(fields["title"]) == "текст"
