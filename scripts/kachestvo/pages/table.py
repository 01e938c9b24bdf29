"""Tables of the pages: each column is declared once, its Russian header beside how its cell is made.

A page module builds a `Table` of records (namedtuples, dicts, pairs: whatever its cell functions read) and
passes it to the template, which renders it with the one macro `table(t)` of `_macros.md.j2`. Columns that
depend on the data (one per year, one per answer of a scale) are built in a loop."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from markupsafe import Markup, escape

from kachestvo.escape import is_missing
from kachestvo.fmt import plural


@dataclass(frozen=True)
class Column:
    """A column: its header as the page shows it, and the cell's HTML (Markup or plain text) made from a record."""

    header: str
    cell: Callable[[Any], Any]


@dataclass
class Table:
    """Rows of records under columns; `attrs` gives a row's HTML attributes (e.g. data-school for filters)."""

    columns: list[Column]
    records: Iterable = ()
    attrs: Callable[[Any], dict] | None = None
    caption: str = ""
    cls: str = ""
    sortable: bool = False
    file: tuple[str, str, str] | None = None  # (href, file name, «N строк») when the rows went to a CSV (see `spill`)

    def __post_init__(self):
        self.records = list(self.records)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @cached_property
    def rows(self) -> list[dict]:
        """One {"attrs": ..., "cells": [...]} per record, a cell per column: the shape the macro renders."""
        return [{"attrs": self.attrs(r) if self.attrs else {}, "cells": [c.cell(r) for c in self.columns]} for r in self.records]


def compact(headers: list, rows: list[dict]) -> tuple[list, list[dict]]:
    """Drop the columns that are empty in every row (e.g. «Ответственные» when no school filled it in)."""
    if not rows:
        return headers, rows
    keep = [i for i in range(len(headers)) if any(str(r["cells"][i]).strip() for r in rows if i < len(r["cells"]))]
    if len(keep) == len(headers):
        return headers, rows
    return [headers[i] for i in keep], [dict(r, cells=[r["cells"][i] for i in keep]) for r in rows]


# A table with more rows than this goes to a CSV beside its page, which keeps a link: a page must stay light on a
# phone whatever the number of schools (a region's «by school» tables and document pages).
ROWS_ON_PAGE = 300


def spill(site, t: Table, path: str, root: str, noun: str = "строка") -> Table:
    """A table longer than ROWS_ON_PAGE: its rows (cells as plain text) become the CSV asset `path`, and the
    page shows a link to it instead of the rows. Shorter tables are returned as they are."""
    if len(t.records) <= ROWS_ON_PAGE:
        return t
    headers, rows = compact(t.headers, t.rows)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow([_plain(h) for h in headers])
    w.writerows([_plain(c) for c in r["cells"]] for r in rows)
    site.assets[path] = out.getvalue().encode("utf-8")
    t.file = (root + path, path.rsplit("/", 1)[-1], plural(len(rows), noun))
    return t


def _plain(value) -> str:
    """A cell as plain text: tags stripped, entities decoded, runs of white space as one space (striptags)."""
    if is_missing(value):
        return ""
    text = str(value)
    if isinstance(value, Markup) and ("<" in text or "&" in text):
        return value.striptags()
    return " ".join(text.split())  # what striptags gives for text without tags or entities


def html(t: Table) -> Markup:
    """The table's HTML, which the one macro `table(t)` prints. Columns empty in every row are left out; on a phone
    tables become stacked cards, each cell carrying its header as data-label; a space between cells keeps the
    search index from joining them («СШМероприятиеСроки»). Built here rather than in a Jinja loop: a region's
    pages hold hundreds of thousands of cells. Every value is escaped (missing values print as nothing)."""
    if t.file is not None:
        return _spilled(t)
    headers, rows = compact(t.headers, t.rows)
    labels = [_esc(Markup(str(h)).striptags()) for h in headers]
    caption = _esc(t.caption)
    out = [
        f'<div class="kq-table-wrap" tabindex="0" role="region" aria-label="{caption or "Таблица"}">',
        f'<table class="{_classes(t, len(headers))}">\n',
        f"<caption>{caption}</caption> " if t.caption else "",
        "<thead><tr>",
        *[f'<th scope="col">{_esc(h)}</th> ' for h in headers],
        "</tr></thead>\n<tbody>\n",
        *[_row(row, labels) for row in rows],
        "</tbody></table></div>",
    ]
    return Markup("".join(out))


def _spilled(t: Table) -> Markup:
    """In place of a table whose rows went to a CSV: what it is, how many rows, and the link to the file."""
    href, name, count = t.file
    return Markup(
        '<p class="kq-spill">{}: {} — слишком много для одной страницы. Таблица целиком: '
        '<a href="{}" download>{}</a> (CSV, UTF-8).</p>'
    ).format(t.caption or "Таблица", count, href, name)


def _classes(t: Table, columns: int) -> str:
    """The table's classes: its own, sortable, and stacked into cards on a phone when it has two columns or more."""
    return f"kq-table {_esc(t.cls)}" + (" kq-sortable" if t.sortable else "") + (" kq-stack" if columns > 1 else "")


def _row(row: dict, labels: list[str]) -> str:
    attrs = "".join(f' {_esc(k)}="{_esc(v)}"' for k, v in row.get("attrs", {}).items())
    cells = "".join(f'<td data-label="{label}">{_esc(c)}</td> ' for label, c in zip(labels, row["cells"]))
    return f"<tr{attrs}>{cells}</tr>\n"


def _esc(value) -> str:
    return "" if is_missing(value) else str(escape(value))
