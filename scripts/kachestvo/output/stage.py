"""Everything that writes into the project or build/: schema copies, resources, staging of pages."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from kachestvo import schemas
from kachestvo.paths import Project


def sync_schemas(project: Project) -> list[str]:
    """Copy the canonical schema of every resource the project lists; return the names rewritten."""
    descriptor = json.loads(project.datapackage.read_text(encoding="utf-8"))
    written = []
    for res in descriptor.get("resources", []):
        name = res.get("name")
        if name in schemas.table_names() and _write_schema(project, name):
            written.append(name)
    return written


def _write_schema(project: Project, name: str) -> bool:
    target = project.data / "schemas" / f"{name}.json"
    text = schemas.canonical_text(name)
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return True


def register_resource(project: Project, name: str) -> None:
    """Make sure datapackage.json lists the table and its schema copy exists."""
    path = project.datapackage
    descriptor = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"name": "data", "resources": []}
    if not any(r.get("name") == name for r in descriptor["resources"]):
        descriptor["resources"].append(
            {"name": name, "title": schemas.schema(name)["title"], "path": f"{name}.csv", "schema": f"schemas/{name}.json"}
        )
        path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    _write_schema(project, name)


def stage(project: Project, pages: dict[str, str], assets: dict[str, bytes], target: Path, key: str | None = None) -> None:
    """Write content/ plus generated pages and assets into a fresh `target` (build/).

    With the build's input `key`: when `target` still holds exactly what an earlier staging of the same key
    wrote (every file's size and modification time as recorded, no file more or less), it is left as it is."""
    record = project.cache / "staged.json"
    if key is not None and _untouched(target, record, key):
        return
    record.unlink(missing_ok=True)
    if target.exists():
        shutil.rmtree(target)
    if project.content.is_symlink():
        raise LinkFound(["content"])
    if project.content.exists():
        shutil.copytree(project.content, target, ignore=lambda d, names: _refuse_links(d, names) + _intro(project, d))
    else:
        target.mkdir(parents=True)
    clashes = [p for p in list(pages) + list(assets) if (target / p).exists()]
    if clashes:
        raise FileExistsError(clashes)
    for rel, text in pages.items():
        _write(target / rel, text.encode("utf-8"))
    for rel, data in assets.items():
        _write(target / rel, data)
    if key is not None:
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps({"key": key, "files": _snapshot(target)}), encoding="utf-8")


def _snapshot(target: Path) -> dict[str, list[int]]:
    out = {}
    for root, _, names in os.walk(target):
        for name in names:
            st = os.stat(os.path.join(root, name))
            out[os.path.relpath(os.path.join(root, name), target)] = [st.st_size, st.st_mtime_ns]
    return out


def _untouched(target: Path, record: Path, key: str) -> bool:
    try:
        staged = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return staged.get("key") == key and target.is_dir() and staged.get("files") == _snapshot(target)


class LinkFound(Exception):
    """content/ holds a symbolic link: nothing is published through one (it may lead outside the project)."""


def _refuse_links(directory: str, names: list[str]) -> list[str]:
    links = [os.path.join(directory, n) for n in names if os.path.islink(os.path.join(directory, n))]
    if links:
        raise LinkFound(links)
    return []


def _intro(project: Project, folder) -> list[str]:
    """content/index.md is the home page's introduction (pages/home.py), not a page of its own."""
    return ["index.md"] if Path(folder) == project.content else []


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
