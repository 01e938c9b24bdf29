"""A wheel of the running kachestvo, made from its own files: what `init` and `upgrade` put into a project.

The wheel holds every file of the installed package and the distribution's own metadata (name, version, its
dependencies, the `kachestvo` command). It is deterministic: the same installation gives the same bytes, so its
sha256 names this exact tool, and pip installs it with `--require-hashes` from the project's own folder.
"""

from __future__ import annotations

import base64
import hashlib
import re
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

from kachestvo.paths import PACKAGE_DIR

NAME = "kachestvo"
TAG = "py3-none-any"
EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip file can hold: no build time in the bytes


class NotInstalled(Exception):
    """The running package has no distribution metadata (run from a source tree without `pip install`)."""


def version() -> str:
    try:
        return metadata.version(NAME)
    except metadata.PackageNotFoundError:
        raise NotInstalled(
            "kachestvo запущен без установки: нет сведений о версии. Установите его: «pip install -e .» в папке исходников."
        ) from None


def filename() -> str:
    return f"{NAME}-{version()}-{TAG}.whl"


def build(folder: Path) -> Path:
    """Write the wheel of the running installation into `folder`; return its path."""
    dist = metadata.distribution(NAME)
    _check_source_tree(dist)
    info = f"{NAME}-{dist.version}.dist-info"
    entries: dict[str, bytes] = {}
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            entries[f"{NAME}/{path.relative_to(PACKAGE_DIR).as_posix()}"] = path.read_bytes()
    entries[f"{info}/METADATA"] = (dist.read_text("METADATA") or "").encode("utf-8")
    entries[f"{info}/entry_points.txt"] = (dist.read_text("entry_points.txt") or "").encode("utf-8")
    entries[f"{info}/top_level.txt"] = f"{NAME}\n".encode()
    entries[f"{info}/WHEEL"] = f"Wheel-Version: 1.0\nGenerator: kachestvo\nRoot-Is-Purelib: true\nTag: {TAG}\n".encode()
    record = [f"{name},sha256={_urlsafe(data)},{len(data)}" for name, data in entries.items()]
    entries[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{NAME}-{dist.version}-{TAG}.whl"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zi = zipfile.ZipInfo(name, EPOCH)
            zi.external_attr = 0o644 << 16
            zi.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(zi, data)
    return target


def _check_source_tree(dist: metadata.Distribution) -> None:
    """Run from a checkout (an editable install), the metadata was written at install time: refuse it once
    pyproject.toml has moved on (another version or other dependencies), or the wheel would carry stale ones."""
    pyproject = PACKAGE_DIR.parent.parent / "pyproject.toml"
    if not pyproject.is_file():
        return
    project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    if project.get("name") != NAME:
        return
    declared = {_requirement(r) for r in project.get("dependencies", [])}
    installed = {_requirement(r) for r in dist.requires or [] if ";" not in r}
    if project.get("version") != dist.version or declared != installed:
        raise NotInstalled(
            f"pyproject.toml в {pyproject.parent} изменился после установки (версия или зависимости): "
            "установите пакет заново («pip install -e .»), чтобы колесо несло его текущие сведения."
        )


def _requirement(text: str) -> tuple[str, tuple[str, ...]]:
    """A requirement as (normalised name, sorted specifiers): pyproject's and the metadata's spellings compare equal."""
    name, spec = re.match(r"\s*([A-Za-z0-9._-]+)\s*(.*)", text).groups()
    return re.sub(r"[-_.]+", "-", name).lower(), tuple(sorted(s.replace(" ", "") for s in spec.split(",") if s.strip()))


def _urlsafe(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
