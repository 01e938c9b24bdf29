"""Checks of the package's shape before any value is read: descriptor, resources, schemas, file format, header."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from kachestvo import config, csvfile, schemas
from kachestvo.paths import Project
from kachestvo.validate.catalogue import FATAL
from kachestvo.validate.problems import Problem

DP = "data/datapackage.json"


@dataclass
class Structure:
    """What the shape checks found: problems, readable resources and their CSV line maps."""

    problems: list[Problem] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    lines: dict[str, list[int]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # each readable CSV's text, read once
    fatal: bool = False
    plain: bool = False  # the descriptor holds only what these checks judge fully: frictionless need not read it


def check(project: Project) -> Structure:
    s = Structure()
    descriptor = _descriptor(project, s)
    if descriptor is None:
        s.fatal = True
        return s
    for setting, message in config.problems(descriptor):
        s.problems.append(Problem(DP, None, setting, "config-value", message))
    for res in descriptor.get("resources", []):
        _resource(project, res, s)
    s.problems.extend(_unlisted(project, descriptor))
    for name in schemas.CORE_TABLES:
        if name not in s.resources and not any(p.file == f"data/{name}.csv" for p in s.problems):
            s.problems.append(
                Problem(
                    DP,
                    None,
                    None,
                    "missing-resource",
                    f"в пакете нет обязательной таблицы «{name}». Добавьте её в resources и создайте data/{name}.csv.",
                )
            )
    s.fatal = s.fatal or any(p.code in FATAL for p in s.problems)
    s.plain = plain(descriptor) and not any(p.file.startswith("data/schemas/") for p in s.problems)
    return s


# The Data Package profile's pattern for package names; the keys whose values `plain` checks itself.
PACKAGE_NAME = re.compile(r"^[-a-z0-9._/]+$")
PLAIN_PACKAGE_KEYS = {"name", "title", "description", "resources", "kachestvo"}
PLAIN_RESOURCE_KEYS = {"name", "path", "schema", "title", "description"}


def plain(descriptor) -> bool:
    """True when the descriptor is made only of what kachestvo writes and checks (name, texts, resources with the
    canonical path and schema; the `kachestvo` block is checked by config): frictionless would accept it, so
    its slower descriptor check is skipped. Anything else (licenses, sources, a resource's dialect…) goes to
    frictionless, which judges it (`validate/schema.py: descriptor`; tests/test_validate_parity.py compares)."""
    if not isinstance(descriptor, dict) or set(descriptor) - PLAIN_PACKAGE_KEYS:
        return False
    name = descriptor.get("name", "")
    if not isinstance(name, str) or (name and not PACKAGE_NAME.match(name)):
        return False
    if any(not isinstance(descriptor.get(k, ""), str) for k in ("title", "description")):
        return False
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        return False
    names = [r.get("name") for r in resources if isinstance(r, dict)]
    if len(names) != len(resources) or len(set(names)) != len(names):
        return False
    for r in resources:
        if set(r) - PLAIN_RESOURCE_KEYS or r.get("name") not in schemas.table_names():
            return False
        if r.get("path") != f"{r['name']}.csv" or r.get("schema") != f"schemas/{r['name']}.json":
            return False
        if any(not isinstance(r.get(k, ""), str) for k in ("title", "description")):
            return False
    return True


def _descriptor(project: Project, s: Structure) -> dict | None:
    if not project.datapackage.exists():
        s.problems.append(
            Problem(
                DP,
                None,
                None,
                "missing-file",
                "нет файла datapackage.json. Проект должен содержать папку data/ с описанием пакета.",
            )
        )
        return None
    try:
        return json.loads(project.datapackage.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        s.problems.append(
            Problem(DP, line, None, "json-error", f"datapackage.json не читается как JSON ({exc}). Проверьте запятые и кавычки.")
        )
        return None


def _resource(project: Project, res: dict, s: Structure) -> None:
    name = res.get("name", "")
    if name not in schemas.table_names():
        known = ", ".join(schemas.table_names())
        s.problems.append(Problem(DP, None, None, "unknown-resource", f"таблица «{name}» неизвестна. Допустимые имена: {known}."))
        return
    expected = {"path": f"{name}.csv", "schema": f"schemas/{name}.json"}
    for key, value in expected.items():
        if res.get(key) != value:
            s.problems.append(
                Problem(
                    DP,
                    None,
                    None,
                    "resource-path",
                    f"у таблицы «{name}» поле «{key}» должно быть «{value}», а не «{res.get(key)}».",
                )
            )
    _schema_copy(project, name, s)
    _csv(project, name, s)


def _schema_copy(project: Project, name: str, s: Structure) -> None:
    copy = project.data / "schemas" / f"{name}.json"
    rel = f"data/schemas/{name}.json"
    if not copy.exists():
        s.problems.append(
            Problem(
                rel,
                None,
                None,
                "missing-file",
                "нет копии схемы. Выполните «kachestvo schemas» — она скопирует канонические схемы.",
            )
        )
        s.fatal = True
    elif copy.read_text(encoding="utf-8") != schemas.canonical_text(name):
        s.problems.append(
            Problem(
                rel,
                None,
                None,
                "schema-drift",
                "схема отличается от канонической схемы kachestvo. Схемы не правят вручную: "
                "выполните «kachestvo schemas», чтобы вернуть каноническую.",
            )
        )


def _csv(project: Project, name: str, s: Structure) -> None:
    path = project.data / f"{name}.csv"
    rel = f"data/{name}.csv"
    if not path.exists():
        s.problems.append(Problem(rel, None, None, "missing-file", f"файл {rel} не найден, хотя указан в datapackage.json."))
        return
    text, issues = csvfile.read_text(path)
    s.problems.extend(Problem(rel, None, None, code, msg) for code, msg in issues)
    if text is None:
        return
    s.texts[name] = text
    s.lines[name] = csvfile.record_lines(text)
    s.problems.extend(_header(rel, name, csvfile.header(text)))
    s.resources.append(name)


def _header(rel: str, name: str, labels: list[str]) -> list[Problem]:
    expected = schemas.field_names(name)
    out = [
        Problem(
            rel,
            1,
            col,
            "missing-label",
            f"нет столбца «{col}» ({schemas.field(name, col)['title']}). Добавьте его в заголовок "
            f"(порядок столбцов: {', '.join(expected)}).",
        )
        for col in expected
        if col not in labels
    ]
    out += [
        Problem(
            rel,
            1,
            col,
            "extra-label",
            f"лишний столбец «{col}»: такого нет в схеме таблицы. Удалите его или проверьте написание "
            f"(допустимые: {', '.join(expected)}).",
        )
        for col in labels
        if col not in expected
    ]
    out += [
        Problem(rel, 1, col, "duplicate-label", f"столбец «{col}» встречается в заголовке дважды. Оставьте один.")
        for i, col in enumerate(labels)
        if col in labels[:i]
    ]
    return out


def _unlisted(project: Project, descriptor: dict) -> list[Problem]:
    """Files in data/ that the package does not list would be silently ignored: say so, and how to bring them in."""
    listed = {r.get("path") for r in descriptor.get("resources", [])} | {"datapackage.json"}
    out = []
    for path in sorted(p for p in project.data.iterdir() if p.is_file() and not p.name.startswith(".")):
        if path.name in listed:
            continue
        if path.suffix.lower() in (".xlsx", ".xls", ".xlsm", ".csv"):
            hint = (
                f"Чтобы перенести таблицу в проект, выполните «kachestvo import data/{path.name} --table ИМЯ_ТАБЛИЦЫ», "
                "затем удалите этот файл."
                if path.suffix.lower() != ".xls"
                else "Старый формат .xls не читается: сохраните его в Excel как .xlsx и выполните «kachestvo import»."
            )
            out.append(
                Problem(
                    f"data/{path.name}",
                    None,
                    None,
                    "unlisted-file",
                    f"файл не входит в пакет данных и не попадёт на сайт. {hint}",
                )
            )
    return out
