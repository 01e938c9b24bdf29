"""`kachestvo upgrade`: bring a project's tool files to the running version and say what changed.

The tool files are those `init` writes to install and run kachestvo: `tool/` (the wheel and its hash-pinned
requirements) and the GitHub workflows. Data, content, mkdocs.yml and the README are the project's own and are
never touched. Files are compared by bytes: running it twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kachestvo import init as init_
from kachestvo import wheel
from kachestvo.paths import shown


class UpgradeFailed(Exception):
    """Nothing was changed; the message says why, in Russian."""


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def text(self, root: Path, version: str) -> str:
        if not (self.added or self.replaced or self.removed):
            return f"Проект {shown(root)} уже на версии kachestvo {version}: ничего не изменено."
        lines = [f"Проект {shown(root)} переведён на kachestvo {version}:"]
        for title, rels in (("добавлен", self.added), ("заменён", self.replaced), ("удалён", self.removed)):
            lines += [f"  {title}: {shown(root / rel)}" for rel in rels]
        lines.append(
            "Проверьте изменения («git diff»), затем «kachestvo validate» и «kachestvo build»; "
            "данные, content/, mkdocs.yml и README.md не менялись."
        )
        return "\n".join(lines)


def upgrade(root: Path) -> Changes:
    """Replace the project's tool files with the running version's; remove the wheels of other versions."""
    _is_a_project(root)
    try:
        files = init_.tool_files(init_.kind(root))
    except wheel.NotInstalled as exc:
        raise UpgradeFailed(str(exc)) from None
    changes = Changes()
    for rel, data in files.items():
        _put(root, rel, data, changes)
    _remove_other_wheels(root, files, changes)
    return changes


def _is_a_project(root: Path) -> None:
    """Raise UpgradeFailed unless root is a project of its own (a municipality's or a region's)."""
    if not (root / "data" / "datapackage.json").is_file() and init_.kind(root) != "region":
        raise UpgradeFailed(f"в {shown(root)} нет проекта kachestvo (нет файла {shown(root / 'data' / 'datapackage.json')}).")
    if (root / "pyproject.toml").is_file() and (root / "scripts" / "kachestvo").is_dir():
        raise UpgradeFailed(f"{shown(root)} — исходники самого kachestvo, а не проект муниципалитета: обновлять нечего.")
    region = init_.region_root(root)
    if region is not None:
        raise UpgradeFailed(f"проект лежит внутри репозитория региона {shown(region)}: выполните «kachestvo upgrade» в нём.")


def _put(root: Path, rel: str, data: bytes, changes: Changes) -> None:
    """Write one tool file unless it already holds these bytes; note what was done."""
    path = root / rel
    if not path.exists():
        changes.added.append(rel)
    elif path.read_bytes() != data:
        changes.replaced.append(rel)
    else:
        changes.unchanged.append(rel)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _remove_other_wheels(root: Path, files: dict[str, bytes], changes: Changes) -> None:
    for old in sorted((root / init_.TOOL).glob("kachestvo-*.whl")):
        rel = old.relative_to(root).as_posix()
        if rel not in files:
            old.unlink()
            changes.removed.append(rel)
