"""Validate stage: shape, schemas and keys (frictionless' rules, by column), domain rules. Every problem, at once.

`validate` returns the loaded dataset with the problems, so a build reads each CSV once. Domain rules read
leniently typed data, so a row that already has a schema error is not judged by them again: a value «3,5»
is one type error, not also «value missing». `reference=True` runs frictionless itself for the schema step
(slower; the parity tests hold the two to the same problems).
"""

from __future__ import annotations

from dataclasses import replace

from kachestvo import config, csvfile, schemas, site_config
from kachestvo.dataset import Dataset, load
from kachestvo.paths import Project
from kachestvo.validate import checks, columns, files, numbers, schema, structure, text
from kachestvo.validate.problems import Problem


def validate(project: Project, reference: bool = False) -> tuple[Dataset | None, list[Problem]]:
    """(dataset, problems); the dataset is None when the package's shape does not allow reading it."""
    found = files.check(project)
    if any(p.code == "symlink" for p in found):  # nothing is read through a link: it may lead outside the project
        return None, _sorted(found)
    shape = structure.check(project)
    problems = found + shape.problems + _site_config(project, shape.descriptor) + _active_content(project, shape.descriptor)
    if shape.fatal:
        return None, _sorted(_located(problems, shape.texts))
    cell_problems = _cells(project, shape, reference)
    raw_text = _raw_text(shape)
    shape.records.clear()  # the parsed records are done with: the frames loaded next need the memory
    rows_with_errors = {(p.file, p.row) for p in cell_problems}
    ds = load(project, shape.texts)
    domain = [p for p in checks.run(ds) if (p.file, p.row) not in rows_with_errors]
    return ds, _sorted(_located(problems + cell_problems + raw_text + domain + text.check(ds), shape.texts))


def _cells(project: Project, shape: structure.Structure, reference: bool) -> list[Problem]:
    """Each cell against its schema (types, constraints, keys) and how its numbers are written."""
    bad_descriptor = [] if shape.plain and not reference else schema.descriptor(project)
    if bad_descriptor:  # cells are not judged against a package frictionless cannot read; the rest still is
        cell_problems = bad_descriptor
    elif reference:
        cell_problems = schema.check(project, shape.resources, shape.lines, shape.texts)
    else:
        cell_problems = columns.check(shape.records, shape.lines)
    return numbers.check(shape.records, shape.lines) + cell_problems


def _raw_text(shape: structure.Structure) -> list[Problem]:
    """Characters of every cell and header, read from the records as the file holds them."""
    return [
        p for name, table in shape.records.items() for p in text.table_problems(name, shape.texts[name], table, shape.lines[name])
    ]


def _site_config(project: Project, descriptor: dict) -> list[Problem]:
    """mkdocs.yml holding code (hooks, python tags) the project did not allow, or an INHERIT loop."""
    if not project.mkdocs_yml.is_file() or project.mkdocs_yml.is_symlink():
        return []
    allow = not config.problems(descriptor) and config.settings(descriptor)["allow_code"]
    return [
        Problem("mkdocs.yml", None, None, "code-in-config", m)
        for m in site_config.problems(project.mkdocs_yml, project.root, allow)
    ]


# files MkDocs copies to the site as they are, which a browser runs: only with the project's explicit consent
ACTIVE = {".html", ".htm", ".xhtml", ".svg", ".js", ".mjs", ".xml", ".xsl"}


def _active_content(project: Project, descriptor: dict) -> list[Problem]:
    """content/ files published byte for byte that can carry scripts (the Markdown pages pass the allowlist)."""
    if not project.content.is_dir() or (not config.problems(descriptor) and config.settings(descriptor)["allow_raw_html"]):
        return []
    out = []
    for path in sorted(project.content.rglob("*")):
        if path.suffix.lower() in ACTIVE and path.is_file() and not path.is_symlink():
            rel = path.relative_to(project.root).as_posix()
            out.append(
                Problem(
                    rel,
                    None,
                    None,
                    "active-content-file",
                    f"{rel} публикуется как есть, а в файле {path.suffix} браузер может выполнить скрипт. Положите "
                    "документ в PDF или текстом; если этот файл проверен и нужен, разрешите его настройкой "
                    '«"allow_raw_html": true» в блоке «kachestvo».',
                )
            )
    return out


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
