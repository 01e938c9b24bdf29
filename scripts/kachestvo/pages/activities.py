"""Мероприятия: municipal and school activities, filterable by school and year."""

from __future__ import annotations

import itertools

import pandas as pd

from kachestvo.escape import text
from kachestvo.pages import table
from kachestvo.pages.context import Context
from kachestvo.pages.render import root_of, section_page
from kachestvo.pages.section import Section
from kachestvo.pages.table import Column, Table


def columns(ctx: Context, root: str) -> list[Column]:
    """An activity's columns (a record of activities.csv as a dict); a school page shows all but the document."""
    return [
        Column("Мероприятие", lambda a: text(a["title"])),
        Column("Сроки", lambda a: text(a["period"])),
        Column("Результат", lambda a: text(a["result"])),
        Column("Ответственные", lambda a: text(a["responsible"])),
        Column("Подтверждение", lambda a: text(a["evidence"])),
        Column("Документ", lambda a: ctx.doc_link(a["document_id"], root)),
    ]


def build(ctx: Context, site, env, section: Section) -> None:
    ds = ctx.ds
    root = root_of(section.path)
    acts = ds["activities"].sort_values(["level", "school_id", "order", "activity_id"], na_position="first")
    records = acts.to_dict("records")  # one conversion of the sorted frame
    schools = [a for a in records if not pd.isna(a["school_id"])]
    # a region: the schools' activities are on each school's page and, all together, in a CSV beside this one
    spilled = len(schools) > table.ROWS_ON_PAGE
    listed = [a for a in records if pd.isna(a["school_id"])] if spilled else records
    # consecutive runs of (level, school) of the sorted records: a group per school
    by_school = itertools.groupby(listed, key=lambda a: (a["level"], "" if pd.isna(a["school_id"]) else a["school_id"]))
    groups = [_group(ctx, root, level, school_id, list(g)) for (level, school_id), g in by_school]
    groups.sort(key=lambda g: g["level"] != "муниципальный")
    if spilled:
        groups.append(_all_schools(ctx, site, root, schools))
    _anchor(groups)
    section_page(site, env, section, groups=groups, total=len(acts), spilled=spilled)


def _anchor(groups: list[dict]) -> None:
    """Each group's heading gets an id (the school's, «munitsipalnye», «shkoly»), unique on the page: a heading with an
    id is a section of the search index, so a result for an activity opens the page at its group."""
    seen: dict[str, int] = {}
    for g in groups:
        key = g["key"]
        seen[key] = seen.get(key, 0) + 1
        g["id"] = key if seen[key] == 1 else f"{key}-{seen[key]}"


def _group(ctx: Context, root: str, level: str, school_id: str, rows: list[dict]) -> dict:
    """The activities of one school ("": the municipality's) under its heading."""
    title = ctx.school_link(school_id, root) if school_id else "Муниципальные мероприятия"
    name = ctx.schools[school_id]["short_name"] if school_id in ctx.schools else "муниципальные"
    t = Table(
        columns(ctx, root),
        rows,
        attrs=lambda a: {"data-school": school_id or "municipal", "data-years": _years(a)},
        caption=f"Мероприятия: {name}",
        cls="kq-activities",
    )
    return dict(title=title, level=level, table=t, key=school_id or "munitsipalnye")


def _all_schools(ctx: Context, site, root: str, schools: list[dict]) -> dict:
    """Every school's activities in one table, which goes to a CSV beside the page."""
    everything = Table(
        [Column("Школа", lambda a: ctx.schools.get(a["school_id"], {}).get("short_name", a["school_id"]))] + columns(ctx, root),
        schools,
        caption="Мероприятия школ",
    )
    spilled = table.spill(site, everything, "meropriyatiya/shkoly.csv", root)
    return dict(title="Мероприятия школ", level="", table=spilled, key="shkoly")


def _years(a) -> str:
    """Calendar years an activity spans, for the year filter («2020 2021»); empty when undated."""
    if pd.isna(a["start_date"]) and pd.isna(a["end_date"]):
        return ""
    start = a["start_date"] if not pd.isna(a["start_date"]) else a["end_date"]
    end = a["end_date"] if not pd.isna(a["end_date"]) else a["start_date"]
    return " ".join(str(y) for y in range(start.year, end.year + 1))


SECTION = Section(
    "meropriyatiya",
    "Мероприятия",
    "что сделали муниципалитет и школы",
    ("activities", "schools", "documents"),
    "activities.md.j2",
    build,
    requires=("activities",),
)
