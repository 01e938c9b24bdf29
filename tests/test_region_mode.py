"""Region mode: municipality as data (a «регион» row and its municipalities, a school's municipality), the
Муниципалитеты section, the municipality column and filter of the schools table; a municipal project unchanged."""

from __future__ import annotations

import re

import pytest

from conftest import PROJECTS, base_tables, each_example, write_project
from htmltext import Page
from kachestvo.dataset import load
from kachestvo.validate import validate


def region_tables() -> dict[str, list[dict]]:
    t = base_tables()
    t["municipality"] = [
        dict(t["municipality"][0], municipality_id="oblast", name="Тестовая область", kind="регион"),
        dict(t["municipality"][0], municipality_id="sever", name="Северный район", kind="муниципалитет"),
        dict(t["municipality"][0], municipality_id="yug", name="Южный район"),
    ]
    t["schools"][0]["municipality_id"] = "sever"
    t["schools"][1]["municipality_id"] = "yug"
    return t


def codes(project) -> list[tuple]:
    _, problems = validate(project)
    return [(p.file, p.field, p.code) for p in problems]


def test_region_project_is_valid(tmp_path):
    assert codes(write_project(tmp_path, region_tables())) == []


def test_two_municipalities_without_a_region_row(tmp_path):
    t = base_tables()
    t["municipality"].append(dict(t["municipality"][0], municipality_id="other", name="Другой район"))
    assert codes(write_project(tmp_path, t)) == [("data/municipality.csv", None, "municipality-rows")]


def test_two_region_rows(tmp_path):
    t = region_tables()
    t["municipality"].append(dict(t["municipality"][0], municipality_id="krai", name="Тестовый край"))
    assert codes(write_project(tmp_path, t)) == [("data/municipality.csv", "kind", "region-rows")]


def test_region_without_municipalities(tmp_path):
    t = base_tables()
    t["municipality"][0]["kind"] = "регион"
    # the schools cannot name a municipality either: every problem at once
    assert codes(write_project(tmp_path, t)) == [
        ("data/municipality.csv", None, "region-without-municipalities"),
        ("data/schools.csv", "municipality_id", "school-municipality-required"),
        ("data/schools.csv", "municipality_id", "school-municipality-required"),
    ]


@pytest.mark.parametrize(("value", "code"), [("", "school-municipality-required"), ("oblast", "school-in-region-row")])
def test_school_must_name_a_municipality_of_the_region(tmp_path, value, code):
    t = region_tables()
    t["schools"][1]["municipality_id"] = value
    assert codes(write_project(tmp_path, t)) == [("data/schools.csv", "municipality_id", code)]


def test_school_municipality_must_exist(tmp_path):
    t = region_tables()
    t["schools"][1]["municipality_id"] = "vostok"
    assert codes(write_project(tmp_path, t)) == [("data/schools.csv", "municipality_id", "foreign-key")]


@pytest.mark.e2e
def test_irkutsk_municipalities_page_and_schools(built):
    project = built("irkutsk")
    ds = load(project)
    municipalities = ds["municipality"][ds["municipality"]["kind"] != "регион"]
    page = Page((project.site / "munitsipalitety" / "index.html").read_text(encoding="utf-8"))
    for name in municipalities["name"]:
        assert name in page.text
    names = dict(zip(municipalities["municipality_id"], municipalities["name"]))
    for s in ds["schools"].itertuples():
        # every school (control group and training sites) has a page naming its municipality
        school = Page((project.site / "shkoly" / s.school_id / "index.html").read_text(encoding="utf-8"))
        assert re.search(r"Муниципалитет\s*" + re.escape(names[s.municipality_id]), school.text), s.school_id
        assert s.short_name in page.text
    listing = (project.site / "shkoly" / "index.html").read_text(encoding="utf-8")
    assert "kq-by-municipality" in listing
    assert listing.count('data-municipality="') == len(ds["schools"])
    home = (project.site / "index.html").read_text(encoding="utf-8")
    assert "munitsipalitety/" in home and "sobytiya/" in home


@pytest.mark.e2e
@pytest.mark.parametrize("name", each_example(sorted(n for n in PROJECTS if n != "irkutsk")))
def test_municipal_projects_have_no_municipalities_section(built, name):
    project = built(name)
    assert not (project.site / "munitsipalitety").exists()
    assert "kq-by-municipality" not in (project.site / "index.html").read_text(encoding="utf-8")


def _parts(site) -> list[str]:
    parts = [p for p in site.pages if p.startswith("shkoly/spisok/") and p != "shkoly/spisok/index.md"]
    return sorted(parts, key=lambda p: int(p.split("/")[2][:-3]))


def test_a_long_list_of_schools_is_split_by_municipality_into_linked_pages(monkeypatch):
    import re

    from kachestvo.build import generate_site
    from kachestvo.pages import table
    from kachestvo.paths import Project

    project = Project.at(PROJECTS["irkutsk"])
    whole, ctx = generate_site(project)
    assert not _parts(whole) and "<table" in whole.pages["shkoly/index.md"]
    monkeypatch.setattr(table, "ROWS_ON_PAGE", 1)
    site, ctx = generate_site(project)
    index = site.pages["shkoly/index.md"]
    parts = _parts(site)
    assert "<table" not in index and len(parts) >= len(ctx.municipalities)
    seen = []
    for n, path in enumerate(parts, 1):
        assert f'<a href="../shkoly/spisok/{n}/">' in index
        part = site.pages[path]
        assert '<a href="../../../shkoly/">← Все части списка школ</a>' in part
        seen += re.findall(r'<tr data-school="([^"]+)"', part)
        assert "kq-by-municipality" not in part  # each part is one municipality: no filter by it
    assert sorted(seen) == sorted(ctx.schools)  # every school in exactly one part
    spisok = site.pages["shkoly/spisok/index.md"]  # the shortened address lists the parts too
    assert '<a href="../../shkoly/spisok/1/">' in spisok and '<a href="../../shkoly/">← Школы</a>' in spisok
    first = min((m["name"] for m in ctx.municipalities.values()), key=lambda n: n.lower())
    assert f'<a href="../shkoly/spisok/1/">{first}</a>' in index  # municipalities by name


def test_a_long_municipal_list_is_cut_in_name_order_with_numbers_in_order(tmp_path, monkeypatch):
    from conftest import base_tables, write_project
    from kachestvo.build import generate_site
    from kachestvo.pages import table

    tables = base_tables()
    template = tables["schools"][0]
    tables["schools"] = [
        dict(template, school_id=f"s{i}", short_name=f"Школа № {i}", full_name=f"МБОУ «Школа № {i}»") for i in (10, 2, 1, 3)
    ]
    keep = ("documents", "municipality", "schools", "clusters")  # nothing else naming the replaced schools
    project = write_project(tmp_path, {name: rows for name, rows in tables.items() if name in keep})
    monkeypatch.setattr(table, "ROWS_ON_PAGE", 3)
    site, _ = generate_site(project)
    index = site.pages["shkoly/index.md"]
    assert '<a href="../shkoly/spisok/1/">Школа № 1\u00a0— Школа № 3</a>&nbsp;— 3\u00a0школы' in index
    assert '<a href="../shkoly/spisok/2/">Школа № 10</a>&nbsp;— 1\u00a0школа' in index
    assert "schools.csv" in index
