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
    from kachestvo.build import pages
    from kachestvo.paths import Project

    seen = []

    def checked(headers, rows):
        seen.append(headers)
        assert all(len(r["cells"]) == len(headers) for r in rows), headers
        return compact(headers, rows)

    compact = table.compact
    monkeypatch.setattr(table, "compact", checked)
    pages(Project.at(PROJECTS[name]))
    assert len(seen) > 10
