"""SHA-256 of a file or an open binary stream, read in chunks: documents' recorded checksums, the audit, caches."""

from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK = 1 << 20


def of_stream(fh) -> str:
    h = hashlib.sha256()
    for chunk in iter(lambda: fh.read(CHUNK), b""):
        h.update(chunk)
    return h.hexdigest()


def of_file(path: Path) -> str:
    with open(path, "rb") as fh:
        return of_stream(fh)
