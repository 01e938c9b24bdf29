"""A validation problem and the three ways of printing a list of them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data: where (file, CSV line, column), what (code) and what to do (message)."""

    file: str
    row: int | None
    field: str | None
    code: str
    message: str
    value: str | None = None
    severity: str = "error"  # «warning»: reported, but neither validation nor the build fails

    @property
    def key(self) -> tuple:
        return (self.file, self.row, self.field, self.code)


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that fail validation and stop the build (warnings do not)."""
    return [p for p in problems if p.severity == "error"]


def _where(p: Problem, base: str) -> str:
    where = f"{base}{p.file}"
    if p.row is not None:
        where += f", строка {p.row}"
    if p.field:
        where += f", столбец «{p.field}»"
    return where


def format_text(problems: list[Problem], base: str = "") -> str:
    if not problems:
        return "Данные в порядке: ошибок не найдено."
    lines = [f"{_where(p, base)}: {'предупреждение: ' if p.severity != 'error' else ''}{p.message}" for p in problems]
    count = len(errors(problems))
    if count:
        lines.append(f"Найдено ошибок: {count}. Исправьте их и запустите проверку снова.")
    if count < len(problems):
        lines.append(f"Предупреждений: {len(problems) - count}. Они не мешают сборке, но их стоит проверить.")
    return "\n".join(lines)


def format_json(problems: list[Problem], base: str = "") -> str:
    rows = [dict(asdict(p), file=f"{base}{p.file}") for p in problems]
    return json.dumps({"valid": not errors(problems), "problems": rows}, ensure_ascii=False, indent=2)


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def format_github(problems: list[Problem], base: str = "") -> str:
    """GitHub workflow commands: each problem shows on the pull request's diff at its line."""
    out = []
    for p in problems:
        props = [f"file={_gh_escape(base + p.file, True)}"]
        if p.row is not None:
            props.append(f"line={p.row}")
        title = f"{p.code}" + (f" в столбце {p.field}" if p.field else "")
        props.append(f"title={_gh_escape(title, True)}")
        out.append(f"::{'error' if p.severity == 'error' else 'warning'} {','.join(props)}::{_gh_escape(p.message)}")
    return "\n".join(out)


FORMATS = {"text": format_text, "json": format_json, "github": format_github}
