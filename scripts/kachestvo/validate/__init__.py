"""Validate stage: shape, schemas and keys (frictionless' rules, by column), domain rules. Every problem, at once.

`validate` returns the loaded dataset with the problems, so a build reads each CSV once. Domain rules read
leniently typed data, so a row that already has a schema error is not judged by them again: a value «3,5»
is one type error, not also «value missing». `reference=True` runs frictionless itself for the schema step
(slower; the parity tests hold the two to the same problems).
"""

from __future__ import annotations

from kachestvo.dataset import Dataset, load
from kachestvo.paths import Project
from kachestvo.validate import checks, columns, schema, structure
from kachestvo.validate.problems import Problem


def validate(project: Project, reference: bool = False) -> tuple[Dataset | None, list[Problem]]:
    """(dataset, problems); the dataset is None when the package's shape does not allow reading it."""
    shape = structure.check(project)
    problems = list(shape.problems)
    if shape.fatal:
        return None, _sorted(problems)
    if reference:
        cell_problems = schema.check(project, shape.resources, shape.lines)
    else:
        cell_problems = columns.check(shape.resources, shape.texts, shape.lines)
    rows_with_errors = {(p.file, p.row) for p in cell_problems}
    ds = load(project, shape.texts)
    domain = [p for p in checks.run(ds) if (p.file, p.row) not in rows_with_errors]
    return ds, _sorted(problems + cell_problems + domain)


def _sorted(problems: list[Problem]) -> list[Problem]:
    unique = {(p.file, p.row or 0, p.field or "", p.code, p.message): p for p in problems}
    return [unique[k] for k in sorted(unique)]
