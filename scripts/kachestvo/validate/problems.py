"""A validation problem, located as people see it, and the ways of printing a list of them (text, JSON, GitHub)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace

from kachestvo import ci_log
from kachestvo.validate.catalogue import CATALOGUE, Kind


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data: where (file, CSV line, row key, column), what (code) and what to do (message)."""

    file: str
    row: int | None  # the file line where the record starts
    field: str | None
    code: str
    message: str
    value: str | None = None
    row_key: str | None = None  # «activity_id = krasnoyarskaya-sh-03», from the schema's primary key
    column: str | None = None  # the column's Russian title
    source: str | None = None  # where an imported row came from: «Таблицы.xlsx, лист «Результаты», ячейка H21»
    record: int | None = None  # the row number Excel shows for the CSV (differs from `row` after line breaks in cells)
    severity: str = "error"

    def __post_init__(self):
        if self.code in CATALOGUE:  # the catalogue is the one place that knows a code's severity
            object.__setattr__(self, "severity", CATALOGUE[self.code].severity)

    @property
    def key(self) -> tuple:
        return (self.file, self.row, self.field, self.code)

    @property
    def kind(self) -> Kind:
        return CATALOGUE.get(self.code, Kind(self.code, "Исправьте данные по сообщению."))

    def at_source(self, where: str | None) -> Problem:
        return replace(self, source=where) if where else self


def _column(p: Problem) -> str:
    return f"«{p.column}» ({p.field})" if p.column else f"«{p.field}»"


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that fail validation and stop the build (warnings do not)."""
    return [p for p in problems if p.severity != "warning"]


def _where(p: Problem, base: str) -> str:
    where = f"«{base}{p.file}»"  # quoted: a project folder may hold spaces
    if p.row is not None:
        where += f", строка {p.row}"
    notes = [x for x in (p.row_key, p.record not in (None, p.row) and f"в Excel — строка {p.record}") if x]
    if notes:
        where += f" ({'; '.join(notes)})"
    if p.field:
        where += f", столбец {_column(p)}"
    if p.source:
        where += f"; в импортированном файле: {p.source}"
    return where


def _count(problems: list[Problem]) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    return f"Найдено ошибок: {errors}" + (f", предупреждений: {warnings}" if warnings else "")


def format_text(problems: list[Problem], base: str = "") -> str:
    if not problems:
        return "Данные в порядке: ошибок не найдено."
    warn = "предупреждение: "
    lines = [ci_log.one_line(f"{_where(p, base)}: {warn if p.severity == 'warning' else ''}{p.message}") for p in problems]
    advice = "Исправьте их и запустите проверку снова." if errors(problems) else "Они не мешают сборке, но проверьте их."
    lines.append(f"{_count(problems)}. {advice}")
    return "\n".join(lines)


def format_json(problems: list[Problem], base: str = "") -> str:
    rows = [dict(asdict(p), file=f"{base}{p.file}", title=p.kind.title, where=_where(p, base)) for p in problems]
    valid = not errors(problems)
    return json.dumps({"valid": valid, "problems": rows}, ensure_ascii=False, indent=2)


def format_github(problems: list[Problem], base: str = "") -> str:
    """GitHub workflow commands: each problem shows on the pull request's diff at its line."""
    out = []
    for p in problems:
        title = p.kind.title + (f" — {_column(p)}" if p.field else "")
        where = "; ".join(x for x in (p.row_key, p.source and f"в импортированном файле: {p.source}") if x)
        text = f"{where}: {p.message}" if where else p.message
        out.append(ci_log.command(p.severity, text, file=base + p.file, line=p.row, title=title))
    return "\n".join(out)


def _md(text: object) -> str:
    """A Markdown table cell: no line breaks, pipes or HTML from the data."""
    s = "" if text is None else str(text)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|").replace("\n", " ")


def format_summary(problems: list[Problem], base: str = "") -> str:
    """Markdown for the job summary ($GITHUB_STEP_SUMMARY): every problem in one table (annotations stop at 10)."""
    if not problems:
        return "### Проверка данных\n\nДанные в порядке: ошибок не найдено.\n"
    head = [
        f"### Проверка данных — {_count(problems).lower()}",
        "",
        "| № | Файл | Строка | Ключ строки | Столбец | Значение | Что не так и что сделать |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = [
        "| "
        + " | ".join(
            _md(c)
            for c in (
                i,
                base + p.file,
                p.row,
                "; ".join(x for x in (p.row_key, p.source) if x),
                p.field and (f"{p.column} ({p.field})" if p.column else p.field),
                p.value,
                ("Предупреждение: " if p.severity == "warning" else "") + p.message,
            )
        )
        + " |"
        for i, p in enumerate(problems, 1)
    ]
    return "\n".join(head + rows) + "\n"


FORMATS = {"text": format_text, "json": format_json, "github": format_github}
