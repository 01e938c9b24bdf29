"""Tables: each column declared once (header beside its cell), rendered by the one macro `table(t)`."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from conftest import PROJECTS
from kachestvo.pages import table
from kachestvo.pages.render import environment
from kachestvo.pages.table import Column, Table
from kachestvo.paths import TEMPLATES_DIR


def _table(t: Table) -> str:
    return environment().from_string('{% from "_macros.md.j2" import table %}{{ table(t) }}').render(t=t)


def test_headers_and_cells_line_up_with_columns_built_in_a_loop():
    years = [2020, 2021]
    columns = [Column("Школа", lambda r: r["name"])]
    columns += [Column(str(y), lambda r, y=y: str(r["values"].get(y, ""))) for y in years]
    t = Table(
        columns,
        [dict(id="a", name="СШ № 1", values={2020: 3, 2021: 4}), dict(id="b", name="СШ № 2", values={2021: 5})],
        attrs=lambda r: {"data-school": r["id"]},
        caption="Результаты",
    )
    assert t.headers == ["Школа", "2020", "2021"]
    assert t.rows == [
        {"attrs": {"data-school": "a"}, "cells": ["СШ № 1", "3", "4"]},
        {"attrs": {"data-school": "b"}, "cells": ["СШ № 2", "", "5"]},
    ]
    assert all(len(r["cells"]) == len(t.headers) for r in t.rows)


def test_the_macro_labels_each_cell_with_its_column_header():
    t = Table(
        [
            Column("Школа", lambda r: Markup("<a href='#'>{}</a>").format(r[0])),
            Column("Итог", lambda r: r[1]),
            Column("Ответственные", lambda r: ""),  # empty in every row: left out
        ],
        [("СШ <1>", "ШНОР"), ("СШ 2", "—")],
        caption="Кластер: 1",
        cls="kq-x",
        sortable=True,
    )
    html = _table(t)
    assert '<table class="kq-table kq-x kq-sortable kq-stack">' in html
    assert "<caption>Кластер: 1</caption>" in html
    assert re.findall(r'<th scope="col">([^<]*)</th>', html) == ["Школа", "Итог"]
    assert re.findall(r'data-label="([^"]*)"', html) == ["Школа", "Итог"] * 2
    assert "<td data-label=\"Школа\"><a href='#'>СШ &lt;1&gt;</a></td>" in html
    assert "Ответственные" not in html


def test_no_template_declares_table_headers():
    """Headers live beside their cells in the page modules: a template passes a Table and nothing else."""
    calls = {}
    for path in sorted(TEMPLATES_DIR.glob("*.j2")):
        source = path.read_text(encoding="utf-8")
        assert "table([" not in source, path.name
        calls[path.name] = re.findall(r"\btable\(([^()]*)\)", source)
    assert sum(len(c) for c in calls.values()) > 20
    bad = {name: [a for a in args if not re.fullmatch(r"[\w.]+", a)] for name, args in calls.items()}
    assert not any(bad.values()), bad


@pytest.mark.parametrize("name", ["kotelnikovsky", "irkutsk"])
def test_every_generated_table_has_a_cell_per_header(name, monkeypatch):
    from kachestvo.build import generate_site
    from kachestvo.paths import Project

    seen = []

    def checked(headers, rows):
        seen.append(headers)
        assert all(len(r["cells"]) == len(headers) for r in rows), headers
        return compact(headers, rows)

    compact = table.compact
    monkeypatch.setattr(table, "compact", checked)
    generate_site(Project.at(PROJECTS[name]))
    assert len(seen) > 10


def test_a_long_table_goes_to_a_csv_beside_its_page(monkeypatch):
    import csv
    import io

    from kachestvo.pages.render import Site

    monkeypatch.setattr(table, "ROWS_ON_PAGE", 2)
    columns = [Column("Школа", lambda r: Markup('<a href="#">{}</a>').format(r[0])), Column("Балл", lambda r: r[1])]
    site = Site()
    short = table.spill(site, Table(columns, [("СШ № 1", "3,5")], caption="Коротко"), "r/a.csv", "../")
    assert short.file is None and site.assets == {} and "<caption>Коротко</caption>" in _table(short)
    records = [("СШ «№ 1» & Ко", "3,5"), ("СШ № 2", "4"), ("СШ № 3", "")]
    long = table.spill(site, Table(columns, records, caption="По школам"), "r/b.csv", "../")
    html = _table(long)
    assert "<table" not in html and "По школам: 3\u00a0строки — слишком много" in html
    assert '<a href="../r/b.csv" download>b.csv</a>' in html
    rows = list(csv.reader(io.StringIO(site.assets["r/b.csv"].decode("utf-8"))))
    assert rows == [["Школа", "Балл"], ["СШ «№ 1» & Ко", "3,5"], ["СШ № 2", "4"], ["СШ № 3", ""]]  # plain text, unescaped


def test_a_region_s_activities_page_keeps_municipal_ones_and_links_the_schools_csv(monkeypatch):
    import csv
    import io

    from kachestvo.build import generate_site
    from kachestvo.paths import Project

    project = Project.at(PROJECTS["irbit"])  # municipal activities and several schools' ones
    before, _ = generate_site(project)
    monkeypatch.setattr(table, "ROWS_ON_PAGE", 1)
    site, ctx = generate_site(project)
    page = site.pages["meropriyatiya/index.md"]
    school_rows = [a for a in ctx.records("activities") if a["school_id"]]
    rows = list(csv.reader(io.StringIO(site.assets["meropriyatiya/shkoly.csv"].decode("utf-8"))))
    assert rows[0][:2] == ["Школа", "Мероприятие"] and len(rows) - 1 == len(school_rows) > 1
    assert 'href="../meropriyatiya/shkoly.csv" download' in page and "на странице школы" in page
    assert "Муниципальные мероприятия" in page and "Муниципальные мероприятия" in before.pages["meropriyatiya/index.md"]
    assert len(page) < len(before.pages["meropriyatiya/index.md"])
