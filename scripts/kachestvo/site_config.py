"""What a project's mkdocs.yml may do: no code unless the project opts in (`"allow_code": true`).

MkDocs loads its configuration with PyYAML's unsafe loader and imports `hooks:` files, so a pull request that
edits mkdocs.yml could run Python in CI. Before MkDocs reads it, the file (and every file it INHERITs) is composed
with the safe loader, which builds nodes without constructing anything, and refused when it holds `hooks:` or a
`!!python/…` tag other than the callables our own configurations use (ALLOWED), or INHERITs a file outside the
project or itself.
"""

from __future__ import annotations

from pathlib import Path

import yaml

PYTHON_TAG = "tag:yaml.org,2002:python/"
# callables named by the configurations kachestvo writes or documents (the skeleton, the examples, Material's docs)
ALLOWED = {
    "pymdownx.slugs.slugify",
    "pymdownx.superfences.fence_code_format",
    "material.extensions.emoji.twemoji",
    "material.extensions.emoji.to_svg",
}
MAX_INHERIT = 10


def problems(path: Path, root: Path, allow_code: bool = False) -> list[str]:
    """Russian messages for whatever in the configuration (and its INHERIT chain) would run code or cannot be read."""
    out: list[str] = []
    seen: list[Path] = []
    current: Path | None = path
    while current is not None:
        refused = _chain_refused(current, seen, path, root)
        if refused:
            out.append(refused)
            break
        seen.append(current)
        found, current = _one_file(current, root, allow_code)
        out += found
    return out


def _chain_refused(current: Path, seen: list[Path], start: Path, root: Path) -> str | None:
    """Why the INHERIT chain from start stops before reading current: a loop, or too many files."""
    if current in seen:
        return (
            f"{_name(current, root)} наследует (INHERIT) сам себя через {' → '.join(_name(p, root) for p in seen)}. "
            "Уберите INHERIT."
        )
    if len(seen) >= MAX_INHERIT:
        return f"цепочка INHERIT от {_name(start, root)} длиннее {MAX_INHERIT} файлов. Упростите конфигурацию."
    return None


def _one_file(current: Path, root: Path, allow_code: bool) -> tuple[list[str], Path | None]:
    """One configuration file's problems and the file it inherits (None: the chain ends here)."""
    name = _name(current, root)
    try:
        node = yaml.compose(current.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError) as exc:
        return [f"{name} не читается как YAML ({_short(exc)}). Исправьте отступы и кавычки."], None
    if not isinstance(node, yaml.MappingNode):
        return [], None  # MkDocs reports an empty or odd configuration in its own words
    out = [] if allow_code else _code(node, name)
    parent = _inherit(node)
    if parent is None:
        return out, None
    target = (current.parent / parent).resolve()
    if not target.is_relative_to(root):
        return [*out, f"{name} наследует (INHERIT) файл вне проекта: «{parent}». Положите конфигурацию в проект."], None
    if not target.is_file():
        return [*out, f"{name} наследует (INHERIT) «{parent}», но такого файла нет."], None
    return out, target


class _Loader(yaml.SafeLoader):
    """Composes MkDocs' own tags (!ENV, !relative) as plain nodes: composing never constructs them."""


def _code(node: yaml.MappingNode, name: str) -> list[str]:
    out = []
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "hooks":
            out.append(
                f"{name}: раздел «hooks:» подключает к сборке код на Python. Без явного разрешения сборка его не "
                'выполняет: уберите hooks или, если этот код проверен, добавьте «"allow_code": true» в блок «kachestvo» '
                "файла data/datapackage.json."
            )
    for tag, mark in _python_tags(node):
        target = tag[len(PYTHON_TAG) :].split(":", 1)
        if len(target) == 2 and target[0] in ("name", "object/apply") and target[1] in ALLOWED:
            continue
        out.append(
            f"{name}, строка {mark.line + 1}: тег «!!python/{tag[len(PYTHON_TAG) :]}» выполняет код на Python при чтении "
            f"конфигурации. Допустимы только {', '.join(sorted(ALLOWED))}; уберите тег или разрешите код настройкой "
            "«allow_code» в блоке «kachestvo»."
        )
    return out


def _python_tags(root: yaml.Node):
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # YAML aliases may share nodes
            continue
        seen.add(id(node))
        if node.tag.startswith(PYTHON_TAG):
            yield node.tag, node.start_mark
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack += [k, v]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value


def _inherit(node: yaml.MappingNode) -> str | None:
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "INHERIT" and isinstance(value, yaml.ScalarNode):
            return value.value
    return None


def _name(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
