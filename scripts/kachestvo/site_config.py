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
        name = _name(current, root)
        if current in seen:
            out.append(f"{name} наследует (INHERIT) сам себя через {' → '.join(_name(p, root) for p in seen)}. Уберите INHERIT.")
            break
        if len(seen) >= MAX_INHERIT:
            out.append(f"цепочка INHERIT от {_name(path, root)} длиннее {MAX_INHERIT} файлов. Упростите конфигурацию.")
            break
        seen.append(current)
        try:
            node = yaml.compose(current.read_text(encoding="utf-8"), Loader=_Loader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError) as exc:
            out.append(f"{name} не читается как YAML ({_short(exc)}). Исправьте отступы и кавычки.")
            break
        if not isinstance(node, yaml.MappingNode):
            break  # MkDocs reports an empty or odd configuration in its own words
        if not allow_code:
            out += _code(node, name)
        parent = _inherit(node)
        if parent is None:
            break
        target = (current.parent / parent).resolve()
        try:
            target.relative_to(root)
        except ValueError:
            out.append(f"{name} наследует (INHERIT) файл вне проекта: «{parent}». Положите конфигурацию в проект.")
            break
        if not target.is_file():
            out.append(f"{name} наследует (INHERIT) «{parent}», но такого файла нет.")
            break
        current = target
    return out


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
