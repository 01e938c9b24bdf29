"""Validate stage: shape, schemas and keys (frictionless' rules, by column), domain rules. Every problem, at once.

`validate` returns the loaded dataset with the problems, so a build reads each CSV once. Domain rules read
leniently typed data, so a row that already has a schema error is not judged by them again: a value «3,5»
is one type error, not also «value missing». `reference=True` runs frictionless itself for the schema step
(slower; the parity tests hold the two to the same problems).
"""

from __future__ import annotations

from dataclasses import replace

from kachestvo import csvfile, schemas
from kachestvo.dataset import Dataset, load
from kachestvo.paths import Project
from kachestvo.validate import checks, columns, files, schema, structure, text
from kachestvo.validate.problems import Problem


def validate(project: Project, reference: bool = False) -> tuple[Dataset | None, list[Problem]]:
    """(dataset, problems); the dataset is None when the package's shape does not allow reading it."""
    found = files.check(project)
    if any(p.code == "symlink" for p in found):  # nothing is read through a link: it may lead outside the project
        return None, _sorted(found)
    shape = structure.check(project)
    problems = found + shape.problems
    if shape.fatal:
        return None, _sorted(_located(problems, shape.texts))
    bad_descriptor = [] if shape.plain and not reference else schema.descriptor(project)
    if bad_descriptor:  # cells are not judged against a package frictionless cannot read; the rest still is
        cell_problems = bad_descriptor
    elif reference:
        cell_problems = schema.check(project, shape.resources, shape.lines, shape.texts)
    else:
        cell_problems = columns.check(shape.resources, shape.texts, shape.lines)
    rows_with_errors = {(p.file, p.row) for p in cell_problems}
    ds = load(project, shape.texts)
    domain = [p for p in checks.run(ds) if (p.file, p.row) not in rows_with_errors]
    return ds, _sorted(_located(problems + cell_problems + domain + text.check(ds), shape.texts))


def _located(problems: list[Problem], texts: dict[str, str]) -> list[Problem]:
    """Name each problem's row by its primary key (and Excel's row number) and its column by the Russian title."""
    named = {p.file.removeprefix("data/").removesuffix(".csv") for p in problems}  # only tables with a problem are read
    rows = {name: _rows(name, text) for name, text in texts.items() if name in named}
    out = []
    for p in problems:
        table = p.file.removeprefix("data/").removesuffix(".csv") if p.file.endswith(".csv") else None
        names = schemas.field_names(table) if table in schemas.table_names() else []
        column = schemas.field(table, p.field)["title"] if p.field in names else None
        key, record = rows.get(table, {}).get(p.row, (None, None))
        out.append(replace(p, row_key=key, column=column, record=record))
    return out


def _rows(name: str, text: str) -> dict[int, tuple[str | None, int]]:
    """CSV line → («school_id = alpha, year = 2019», the row number Excel shows) for each record."""
    key = schemas.schema(name).get("primaryKey", [])
    records = csvfile.raw_records(text)
    if not records:
        return {}
    header, out, line = records[0][0], {}, 1
    for number, (record, raw) in enumerate(records, 1):
        values = dict(zip(header, record))
        named = line > 1 and key and any(values.get(k) for k in key)
        out[line] = (", ".join(f"{k} = {values[k]}" for k in key if values.get(k)) if named else None, number)
        line += csvfile.count_lines(raw)
    return out


def _sorted(problems: list[Problem]) -> list[Problem]:
    unique = {(p.file, p.row or 0, p.field or "", p.code, p.message): p for p in problems}
    return [unique[k] for k in sorted(unique)]
