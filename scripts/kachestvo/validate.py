"""Validate a project: shape, then frictionless (schemas and keys), then domain rules. Every problem, at once.

Domain rules read leniently typed data, so a row that already has a schema error is not judged by them
again: a value «3,5» is one type error, not also «value missing».
"""
from __future__ import annotations

from . import checks, schema_check, structure
from .load import load
from .paths import Project
from .problems import Problem


def validate(project: Project) -> list[Problem]:
    shape = structure.check(project)
    problems = list(shape.problems)
    if shape.fatal:
        return _sorted(problems)
    cell_problems = schema_check.check(project, shape.resources, shape.lines)
    rows_with_errors = {(p.file, p.row) for p in cell_problems}
    domain = [p for p in checks.run(load(project)) if (p.file, p.row) not in rows_with_errors]
    return _sorted(problems + cell_problems + domain)


def _sorted(problems: list[Problem]) -> list[Problem]:
    unique = {(p.file, p.row or 0, p.field or "", p.code, p.message): p for p in problems}
    return [unique[k] for k in sorted(unique)]
