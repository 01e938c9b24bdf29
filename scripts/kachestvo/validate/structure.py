"""Checks of the package's shape before any value is read: descriptor, resources, schemas, file format, header."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from kachestvo import config, csvfile, schemas
from kachestvo.limits import Limits, TooLarge, check_csv_text, check_size, descriptor_depth
from kachestvo.paths import Project
from kachestvo.validate.catalogue import FATAL
from kachestvo.validate.problems import Problem
from kachestvo.validate.records import Records

DP = "data/datapackage.json"


@dataclass
class Structure:
    """What the shape checks found: problems, readable resources and their CSV line maps."""

    problems: list[Problem] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    lines: dict[str, list[int]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # each readable CSV's text, read once
    records: dict[str, Records] = field(default_factory=dict)  # each readable CSV's records, parsed once
    limits: Limits = field(default_factory=Limits)
    descriptor: dict = field(default_factory=dict)
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
    s.limits = Limits.of(descriptor)
    s.descriptor = descriptor
    remote = remote_references(descriptor)
    if remote:
        s.problems += remote
        s.fatal = True
        return s
    for res in descriptor.get("resources", []):
        _resource(project, res, s)
    s.problems.extend(_unlisted(project, descriptor))
    s.problems.extend(_missing_core_tables(s))
    s.fatal = s.fatal or any(p.code in FATAL for p in s.problems)
    s.plain = plain(descriptor) and not any(p.file.startswith("data/schemas/") for p in s.problems)
    return s


def _missing_core_tables(s: Structure) -> list[Problem]:
    """Every table a site needs that the package does not list (one whose file has a problem is not missing)."""
    return [
        Problem(
            DP,
            None,
            None,
            "missing-resource",
            f"в пакете нет обязательной таблицы «{name}». Добавьте её в resources и создайте data/{name}.csv.",
        )
        for name in schemas.CORE_TABLES
        if name not in s.resources and not any(p.file == f"data/{name}.csv" for p in s.problems)
    ]


# The Data Package profile's pattern for package names; the keys whose values `plain` checks itself.
PACKAGE_NAME = re.compile(r"^[-a-z0-9._/]+$")
PLAIN_PACKAGE_KEYS = {"name", "title", "description", "resources", "kachestvo"}
PLAIN_RESOURCE_KEYS = {"name", "path", "schema", "title", "description"}


def plain(descriptor) -> bool:
    """True when the descriptor is made only of what kachestvo writes and checks (name, texts, resources with the
    canonical path and schema; the `kachestvo` block is checked by config): frictionless would accept it, so
    its slower descriptor check is skipped. Anything else (licenses, sources, a resource's dialect…) goes to
    frictionless, which judges it (`validate/schema.py: descriptor`; tests/test_validate_parity.py compares)."""
    if not isinstance(descriptor, dict) or set(descriptor) - PLAIN_PACKAGE_KEYS or not _texts(descriptor):
        return False
    return _plain_name(descriptor.get("name", "")) and _plain_resources(descriptor.get("resources"))


def _plain_name(name) -> bool:
    return isinstance(name, str) and (not name or PACKAGE_NAME.match(name) is not None)


def _plain_resources(resources) -> bool:
    """A non-empty list of plain resources, each table once."""
    if not isinstance(resources, list) or not resources or not all(_plain_resource(r) for r in resources):
        return False
    names = [r["name"] for r in resources]
    return len(set(names)) == len(names)


def _texts(obj: dict) -> bool:
    """A title and description, where given, are strings."""
    return all(isinstance(obj.get(k, ""), str) for k in ("title", "description"))


def _plain_resource(r) -> bool:
    """A resource of one known table at its canonical path and schema, with nothing else but texts."""
    if not isinstance(r, dict) or set(r) - PLAIN_RESOURCE_KEYS or r.get("name") not in schemas.table_names():
        return False
    return r.get("path") == f"{r['name']}.csv" and r.get("schema") == f"schemas/{r['name']}.json" and _texts(r)


def _descriptor(project: Project, s: Structure) -> dict | None:
    if project.datapackage.exists() and not project.datapackage.is_file():
        s.problems.append(_not_a_file(DP))
        return None
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
    limits = Limits()  # the descriptor's own bounds: its settings are not known before it is read
    try:
        check_size(project.datapackage, DP, limits.descriptor_mb, "descriptor_mb")
        descriptor = json.loads(project.datapackage.read_text(encoding="utf-8"))
    except TooLarge as exc:
        s.problems.append(Problem(DP, None, None, "too-large", str(exc)))
        return None
    except RecursionError:
        s.problems.append(_shape(f"вложенность больше {limits.descriptor_depth} уровней"))
        return None
    except (ValueError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        s.problems.append(
            Problem(DP, line, None, "json-error", f"datapackage.json не читается как JSON ({exc}). Проверьте запятые и кавычки.")
        )
        return None
    shape = _descriptor_shape(descriptor)
    if shape is None:
        limit = Limits.of(descriptor).descriptor_depth
        depth = descriptor_depth(descriptor, limit)
        shape = f"вложенность {depth} уровней при пределе {limit}" if depth else None
    if shape:
        s.problems.append(_shape(shape))
        return None
    return descriptor


def _shape(what: str) -> Problem:
    return Problem(
        DP,
        None,
        None,
        "descriptor-shape",
        f"datapackage.json неверного вида: {what}. Описание пакета — объект JSON "
        '{"name": …, "resources": [{"name": …, "path": …, "schema": …}, …]}; «kachestvo init» создаёт образец.',
    )


def _descriptor_shape(descriptor) -> str | None:
    """What is wrong with the descriptor's outline (the shape every later check relies on), or None."""
    if not isinstance(descriptor, dict):
        return f"вместо объекта — {_json_kind(descriptor)}"
    resources = descriptor.get("resources", [])
    if not isinstance(resources, list):
        return f"«resources» — {_json_kind(resources)}, а должен быть список"
    for i, res in enumerate(resources, 1):
        if not isinstance(res, dict):
            return f"таблица № {i} в «resources» — {_json_kind(res)}, а должна быть объектом"
        for key in ("name", "path", "schema"):
            if key in res and not isinstance(res[key], str):
                return f"у таблицы № {i} поле «{key}» — {_json_kind(res[key])}, а должно быть строкой"
    return None


def _json_kind(value) -> str:
    names = {dict: "объект", list: "список", str: "строка", bool: "логическое значение", type(None): "null"}
    return names.get(type(value), "число")


# a scheme («http:», «file:», «ftp:»…) or a path leaving data/: frictionless would fetch or open it
REMOTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^[/\\\\]|(^|[/\\\\])\.\.([/\\\\]|$)")


def remote_references(descriptor: dict) -> list[Problem]:
    """Every place where the descriptor points outside the project (a URL, an absolute path, «..»): refused before
    frictionless sees it, since frictionless would fetch it (any host could be contacted from CI)."""
    out = []
    for where, value in _references(descriptor):
        out.append(
            Problem(
                DP,
                None,
                None,
                "remote-reference",
                f"{where} указывает за пределы проекта: «{value}». kachestvo не обращается к сети и не читает файлы "
                "вне data/ при проверке и сборке. Уберите ссылку: схемы лежат в data/schemas/, таблицы — в data/.",
            )
        )
    return out


def _references(descriptor: dict):
    for key in ("profile", "$schema"):
        if isinstance(descriptor.get(key), str) and REMOTE.search(descriptor[key]):
            yield f"поле «{key}» пакета", descriptor[key]
    for i, res in enumerate(descriptor.get("resources", []), 1):
        yield from _resource_references(res.get("name") or f"№ {i}", res)


def _resource_references(name: str, res: dict):
    """(where, value) of each reference of one resource that leaves the project: its path, schema, dialect and
    profile, given as strings, lists of them or objects naming them."""
    for key in ("path", "schema", "dialect", "profile", "$schema"):
        value = res.get(key)
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str) and REMOTE.search(v):
                yield f"поле «{key}» таблицы «{name}»", v
            elif isinstance(v, dict):
                for inner in ("$ref", "profile", "$schema"):
                    if isinstance(v.get(inner), str) and REMOTE.search(v[inner]):
                        yield f"поле «{key}.{inner}» таблицы «{name}»", v[inner]


def _not_a_file(rel: str) -> Problem:
    return Problem(
        rel,
        None,
        None,
        "not-a-file",
        f"{rel} — папка, а должен быть файл. Переименуйте или удалите папку и положите на её место файл.",
    )


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
    if copy.exists() and not copy.is_file():
        s.problems.append(_not_a_file(rel))
    elif not copy.exists():
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
    if path.exists() and not path.is_file():
        s.problems.append(_not_a_file(rel))
        return
    if not path.exists():
        s.problems.append(Problem(rel, None, None, "missing-file", f"файл {rel} не найден, хотя указан в datapackage.json."))
        return
    try:
        check_size(path, rel, s.limits.file_mb)
    except TooLarge as exc:
        s.problems.append(Problem(rel, None, None, "too-large", str(exc)))
        return
    text, issues = csvfile.read_text(path)
    s.problems.extend(Problem(rel, None, None, code, msg) for code, msg in issues)
    if text is None:
        return
    try:
        records, s.lines[name] = check_csv_text(text, rel, s.limits)
    except TooLarge as exc:
        s.problems.append(Problem(rel, None, None, "too-large", str(exc)))
        return
    s.texts[name] = text
    s.records[name] = Records(name, records)
    s.problems.extend(_header(rel, name, s.records[name].labels))
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
