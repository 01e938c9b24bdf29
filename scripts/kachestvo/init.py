"""`kachestvo init DIR`: a new municipality's repository that validates and builds as it stands.

It writes the data package (every table with its header and schema copy), content/index.md, a standalone
mkdocs.yml, GitHub workflows that install this version of the tool, a .gitignore and a staff README.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from importlib import metadata
from pathlib import Path

from kachestvo import schemas
from kachestvo.paths import PACKAGE_DIR

SKELETON = PACKAGE_DIR / "skeleton"
# skeleton file → path in the new project
FILES = {
    "mkdocs.yml": "mkdocs.yml",
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "content/index.md": "content/index.md",
    "workflows/pull-request.yml": ".github/workflows/pull-request.yml",
    "workflows/publish.yml": ".github/workflows/publish.yml",
    "CODEOWNERS": ".github/CODEOWNERS",
}
MUNICIPALITY_FIELDS = ("municipality_id", "name", "region", "authority")


class InitFailed(Exception):
    """The project was not created; the message says why, in Russian."""


def version() -> str:
    try:
        return metadata.version("kachestvo")
    except metadata.PackageNotFoundError:  # running from a source tree without an install
        return "0"


def init(target: Path, municipality: dict[str, str] | None = None, today: dt.date | None = None) -> list[Path]:
    """Create the project in `target` (absent or empty); return the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InitFailed(f"папка {target} уже существует и не пуста. Укажите новую или пустую папку.")
    files = {dest: _skeleton(src) for src, dest in FILES.items()}
    resources = []
    for name in schemas.table_names():
        rows = [_municipality_row(municipality, today or dt.date.today())] if name == "municipality" and municipality else []
        files[f"data/{name}.csv"] = _csv(name, rows)
        files[f"data/schemas/{name}.json"] = schemas.canonical_text(name)
        resources.append(
            {"name": name, "title": schemas.schema(name)["title"], "path": f"{name}.csv", "schema": f"schemas/{name}.json"}
        )
    descriptor = {"name": "data", "title": "Повышение качества образования", "resources": resources}
    files["data/datapackage.json"] = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    written = []
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (target / "content" / "documents").mkdir(parents=True, exist_ok=True)
    return written


def _skeleton(name: str) -> str:
    return (SKELETON / name).read_text(encoding="utf-8").replace("__KACHESTVO_VERSION__", version())


def _municipality_row(m: dict[str, str], today: dt.date) -> dict[str, str]:
    missing = [f for f in MUNICIPALITY_FIELDS if not (m.get(f) or "").strip()]
    if missing:
        titles = ", ".join(f"--{f.removeprefix('municipality_')}" for f in missing)
        raise InitFailed(
            f"для строки муниципалитета не хватает параметров: {titles}. Укажите все четыре "
            "(--id, --name, --region, --authority) или ни одного и заполните municipality.csv позже."
        )
    return dict(m, as_of=today.isoformat())


def _csv(name: str, rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=schemas.field_names(name), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
