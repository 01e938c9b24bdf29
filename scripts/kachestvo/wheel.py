"""A wheel of the running kachestvo, made from its own files: what `init` and `upgrade` put into a project.

The wheel holds every file of the installed package and the distribution's own metadata (name, version, its
dependencies, the `kachestvo` command). It is deterministic: the same installation gives the same bytes, so its
sha256 names this exact tool, and pip installs it with `--require-hashes` from the project's own folder.
"""

from __future__ import annotations

import base64
import hashlib
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


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _urlsafe(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
