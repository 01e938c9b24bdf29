"""Build cache (outside build/): a hash of every input → the pages, assets and settings that build produced.

The key covers what validation and generation read (data/, content/, mkdocs.yml) and the tool itself (its source
files and the versions of the libraries that shape output), so an unchanged rebuild skips validation, generation,
downloads and charts, and stages byte-identical files. Only successful builds are stored; only the latest is kept.
Stored as a JSON index plus one file of concatenated bytes (no pickle: the cache may sit in a shared checkout).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from kachestvo.paths import PACKAGE_DIR, Project

LIBRARIES = ("pandas", "jinja2", "markupsafe", "altair", "vl-convert-python", "openpyxl", "frictionless")
FORMAT = 1


@dataclass
class Built:
    """What a build hands to staging and MkDocs: files by path under build/, the nav and the site's settings."""

    files: dict[str, bytes | memoryview]
    nav: list
    settings: dict = field(default_factory=dict)


def inputs_key(project: Project, extra: str = "") -> str:
    """A hash of everything the generated files depend on; `extra`: what else they show (the data's git history)."""
    h = hashlib.sha256(f"kachestvo-build-{FORMAT}\n{tool_fingerprint()}\n{extra}\n".encode())
    for base in (project.data, project.content):
        for path in _files(base):
            if path.is_symlink():  # never read through a link (validation stops the build on it)
                h.update(f"{project.relative(path)}\nsymlink\n".encode("utf-8"))
                continue
            h.update(f"{project.relative(path)}\n{path.stat().st_size}\n".encode("utf-8"))
            h.update(path.read_bytes())
    if project.mkdocs_yml.exists():
        h.update(b"mkdocs.yml\n" + project.mkdocs_yml.read_bytes())
    return h.hexdigest()


def _files(base: Path) -> list[Path]:
    """Every file under base (hidden ones too: validation reports strays), in a stable order."""
    if not base.exists():
        return []
    out = []
    for root, dirs, names in os.walk(base):
        dirs.sort()
        out += [Path(root) / n for n in sorted(names)]
    return out


@lru_cache(maxsize=None)
def tool_fingerprint() -> str:
    h = hashlib.sha256()
    for path in _files(PACKAGE_DIR):
        if path.suffix in (".py", ".j2", ".json", ".css", ".js"):
            h.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\n" + path.read_bytes())
    for name in LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=none\n".encode())
    return h.hexdigest()


def _paths(project: Project) -> tuple[Path, Path]:
    return project.cache / "build-index.json", project.cache / "build-files.bin"


def _seal(index: dict) -> str:
    """The hash of everything the index says (the key, the files' hash, nav, settings, offsets)."""
    fields = {k: index.get(k) for k in ("key", "sha256", "nav", "settings", "files")}
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def load(project: Project, key: str) -> Built | None:
    index_path, blob_path = _paths(project)
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
        if index.get("key") != key:
            return None
        blob = blob_path.read_bytes()
    except (OSError, ValueError):
        return None
    if hashlib.sha256(blob).hexdigest() != index.get("sha256") or index.get("seal") != _seal(index):
        return None  # torn or edited: rebuild rather than publish something else
    view = memoryview(blob)  # slices share the one buffer: a large site is not held in memory twice
    files = {rel: view[start : start + size] for rel, (start, size) in index["files"].items()}
    return Built(files, [tuple(item) for item in index["nav"]], index["settings"])


def save(project: Project, key: str, built: Built) -> None:
    index_path, blob_path = _paths(project)
    project.cache.mkdir(parents=True, exist_ok=True)
    offsets, start, digest = {}, 0, hashlib.sha256()
    tmp_blob = blob_path.with_suffix(".bin.tmp")
    with tmp_blob.open("wb") as fh:  # streamed: no second copy of the site in memory
        for rel, data in built.files.items():
            offsets[rel] = (start, len(data))
            fh.write(data)
            digest.update(data)
            start += len(data)
    tmp_blob.replace(blob_path)
    index = {"key": key, "sha256": digest.hexdigest(), "nav": built.nav, "settings": built.settings, "files": offsets}
    index["seal"] = _seal(json.loads(json.dumps(index)))  # as it will be read back (tuples become lists)
    tmp_index = index_path.with_suffix(".json.tmp")
    tmp_index.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    tmp_index.replace(index_path)
