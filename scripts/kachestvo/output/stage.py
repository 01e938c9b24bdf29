"""Everything that writes into the project or build/: schema copies, resources, staging of pages."""

from __future__ import annotations

import hashlib
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


def stage(
    project: Project,
    files: dict[str, bytes],
    target: Path,
    key: str | None = None,
    sanitise: bool = True,
) -> None:
    """Write content/ plus the generated files (pages and assets, by path) into `target` (build/).

    Only what changed is written: when `target` still holds exactly what the previous staging wrote (every file's
    size and modification time as recorded, no file more or less), files whose bytes are the same stay as they are,
    changed and new ones are written and files no longer wanted are removed; a target changed by hand (or a first
    staging) is staged afresh. With the build's input `key` unchanged, an intact target is left alone entirely.
    Nothing is touched when content/ holds a link or a file with the path of a generated one. With `sanitise`,
    content/'s Markdown is wrapped for the HTML allowlist (output/sanitise.py)."""
    record = project.cache / "staged.json"
    staged = _intact(target, record)
    if key is not None and staged is not None and staged.get("key") == key and staged.get("sanitise", True) == sanitise:
        return
    wanted = _wanted(project, files, sanitise)
    record.unlink(missing_ok=True)
    digests = {rel: _digest(data) for rel, data in wanted.items()}
    for rel in _changed(target, staged, wanted, digests):
        _write(target / rel, wanted[rel])
    record.parent.mkdir(parents=True, exist_ok=True)
    files = {rel: [*stat, digests[rel]] for rel, stat in _snapshot(target).items()}
    record.write_text(json.dumps({"key": key, "sanitise": sanitise, "files": files}), encoding="utf-8")


def _wanted(project: Project, files: dict[str, bytes], sanitise: bool) -> dict[str, bytes | memoryview | Path]:
    """Everything build/ should hold, by path: content/'s files (Markdown wrapped for the allowlist when
    `sanitise`) and the generated ones; a clash between the two stops here."""
    wanted: dict[str, bytes | memoryview | Path] = dict(_content(project))
    found = clashes(list(files), wanted)
    if found:
        raise ContentClash(found)
    if sanitise:
        from kachestvo.output.sanitise import wrap

        for rel, path in list(wanted.items()):
            if rel.endswith(".md") and isinstance(path, Path):
                wanted[rel] = wrap(path.read_text(encoding="utf-8")).encode("utf-8")
    wanted.update(files)
    return wanted


def _changed(target: Path, staged: dict | None, wanted: dict, digests: dict[str, str]) -> list[str]:
    """The paths to write: all of them into a fresh `target` when the previous staging is unknown; else the new and
    changed ones, after the files no longer wanted are removed."""
    if staged is None:
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        return list(wanted)
    before = staged["files"]
    for rel in set(before) - set(wanted):
        (target / rel).unlink()
    _remove_empty_folders(target)
    return [rel for rel in wanted if rel not in before or before[rel][2] != digests[rel]]


def in_place(project: Project, target: Path, key: str) -> bool:
    """Does `target` hold exactly what the staging for the build's input `key` wrote (sizes, modification times)?"""
    staged = _intact(target, project.cache / "staged.json")
    return staged is not None and staged.get("key") == key


def _content(project: Project) -> dict[str, Path]:
    """content/'s files to publish by path (content/index.md is the home page's introduction, not a page)."""
    if project.content.is_symlink():
        raise LinkFound(["content"])
    out: dict[str, Path] = {}
    if not project.content.exists():
        return out
    links = []
    for root, dirs, names in os.walk(project.content):
        for name in dirs + names:
            if os.path.islink(os.path.join(root, name)):
                links.append(os.path.join(root, name))
        for name in names:
            path = Path(root) / name
            rel = path.relative_to(project.content).as_posix()
            if rel != "index.md" and not path.is_symlink():
                out[rel] = path
    if links:
        raise LinkFound(links)
    return out


def _digest(data: bytes | memoryview | Path) -> str:
    """What says a file is the same: a hash of its bytes (a content/ file's read in chunks, not held)."""
    h = hashlib.blake2b(digest_size=16)
    if isinstance(data, Path):
        with data.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    else:
        h.update(data)
    return h.hexdigest()


def _snapshot(target: Path) -> dict[str, list[int]]:
    out = {}
    for root, _, names in os.walk(target):
        for name in names:
            st = os.stat(os.path.join(root, name))
            out[Path(os.path.relpath(os.path.join(root, name), target)).as_posix()] = [st.st_size, st.st_mtime_ns]
    return out


def _intact(target: Path, record: Path) -> dict | None:
    """The previous staging's record, if `target` holds exactly the files it wrote (sizes, modification times)."""
    try:
        staged = json.loads(record.read_text(encoding="utf-8"))
        files = {rel: v[:2] for rel, v in staged["files"].items() if len(v) == 3}
        if len(files) != len(staged["files"]):
            return None  # a record of an older version of the tool
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return staged if target.is_dir() and files == _snapshot(target) else None


def _remove_empty_folders(target: Path) -> None:
    for root, _, _ in os.walk(target, topdown=False):
        if root != str(target) and not os.listdir(root):
            os.rmdir(root)


def clashes(generated: list[str], content) -> list[str]:
    """content/ paths that would overwrite, shadow or block a generated file, each with what it clashes with.

    Three ways to clash: the same path; a file where the build needs a folder (content/shkoly beside the generated
    shkoly/index.md) or a folder where it writes a file; the same address on the site (content/programma.md and the
    generated programma/index.md are both /programma/, and MkDocs would publish one of them silently)."""
    files = set(generated)
    folders = {parent for rel in files for parent in _parents(rel)}
    addresses = {_address(rel): rel for rel in files if rel.endswith(".md")}
    found = (_clash(rel, files, folders, addresses) for rel in sorted(content))
    return [f"content/{rel} ({why})" for rel, why in zip(sorted(content), found) if why]


def _clash(rel: str, files: set[str], folders: set[str], addresses: dict[str, str]) -> str | None:
    blocked = [parent for parent in _parents(rel) if parent in files]
    if rel in files:
        return "эта страница создаётся из данных"
    if rel in folders:
        return f"здесь сборка создаёт папку {rel}/"
    if blocked:
        return f"папка content/{blocked[0]} на месте создаваемого файла {blocked[0]}"
    if rel.endswith(".md") and _address(rel) in addresses:
        return f"тот же адрес на сайте, что у создаваемой страницы {addresses[_address(rel)]}"
    return None


def _parents(rel: str) -> list[str]:
    parts = rel.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _address(rel: str) -> str:
    """The page's address with MkDocs' directory URLs: a/b.md and a/b/index.md are both a/b/."""
    stem = rel[: -len(".md")]
    return stem[: -len("index")].rstrip("/") if stem == "index" or stem.endswith("/index") else stem


class ContentClash(Exception):
    """content/ holds a file or folder where the build writes a generated page or asset."""

    def __init__(self, found: list[str]):
        self.found = found
        super().__init__(
            "В content/ есть файлы или папки на месте страниц, которые создаются из данных: "
            + "; ".join(found)
            + ". Переименуйте или перенесите их. Опубликованный ранее сайт не изменён."
        )


class LinkFound(Exception):
    """content/ holds a symbolic link: nothing is published through one (it may lead outside the project)."""

    def __init__(self, links: list[str]):
        self.links = links
        super().__init__(
            f"В content/ есть символические ссылки: {', '.join(links)}. Сборка не публикует файлы по ссылкам: "
            "положите в проект сами файлы. Опубликованный ранее сайт не изменён."
        )


def _write(path: Path, data: bytes | memoryview | Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, Path):
        shutil.copy2(data, path)
    else:
        path.write_bytes(data)
