"""Validate a project: shape, then frictionless (schemas and keys), then domain rules. Every problem, at once."""
from __future__ import annotations

from . import domain_checks, schema_check, structure
from .load import load
from .paths import Project
from .problems import Problem


def validate(project: Project) -> list[Problem]:
    shape = structure.check(project)
    problems = list(shape.problems)
    if shape.fatal:
        return _sorted(problems)
    problems += schema_check.check(project, shape.resources, shape.lines)
    problems += domain_checks.run(load(project))
    return _sorted(problems)


def _sorted(problems: list[Problem]) -> list[Problem]:
    unique = {(p.file, p.row or 0, p.field or "", p.code, p.message): p for p in problems}
    return [unique[k] for k in sorted(unique)]
