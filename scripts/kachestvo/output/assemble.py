"""Region assembly: municipality sites, built separately (a CI matrix), copied under one root with an index page.

Each input is a built project folder (its `site/` and `data/municipality.csv`); its site goes to `<root>/<id>/`
unchanged (MkDocs links are relative, so a site works in any subfolder). The index page lists them by name.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path

from jinja2 import Environment, select_autoescape

from kachestvo.paths import Project, shown

INDEX = Environment(autoescape=select_autoescape(default=True)).from_string(
    """<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; max-width: 48rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1a1a1a; }
a { color: #303fa1; }
li { margin: .4rem 0; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<p>Сайты муниципалитетов о повышении качества образования: {{ count }}.</p>
<ul>
{% for m in municipalities %}  <li><a href="{{ m.id }}/">{{ m.name }}</a>
{%- if m.as_of %} — данные по состоянию на {{ m.as_of }}{% endif %}</li>
{% endfor %}</ul>
</body>
</html>
"""
)


class AssembleFailed(Exception):
    """An input is not a built project; the message says which and what to do, in Russian."""


def municipality(project: Project) -> dict:
    path = project.data / "municipality.csv"
    if not (project.site / "index.html").exists() or not path.exists():
        raise AssembleFailed(
            f"{shown(project.root)}: нет собранного сайта (site/index.html) или data/municipality.csv. "
            "Сначала выполните «kachestvo build» в этой папке."
        )
    with path.open(encoding="utf-8", newline="") as fh:
        row = next(csv.DictReader(fh))
    return {"id": row["municipality_id"], "name": row["name"], "region": row.get("region", ""), "as_of": _date(row)}


def _date(row: dict) -> str:
    parts = (row.get("as_of") or "").split("-")
    return ".".join(reversed(parts)) if len(parts) == 3 else ""


def assemble(projects: list[Project], out: Path, title: str | None = None) -> list[dict]:
    """Copy each project's site into out/<municipality_id>/ and write out/index.html; out is replaced whole."""
    found = sorted((municipality(p) | {"project": p} for p in projects), key=lambda m: m["name"])
    ids = [m["id"] for m in found]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise AssembleFailed(f"у нескольких проектов одинаковый municipality_id: {', '.join(repeated)}.")
    regions = sorted({m["region"] for m in found if m["region"]})
    title = title or (f"Повышение качества образования — {regions[0]}" if len(regions) == 1 else "Повышение качества образования")
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".region-new-", dir=out.parent))
    try:
        for m in found:
            shutil.copytree(m["project"].site, tmp / m["id"])
        (tmp / "index.html").write_text(INDEX.render(title=title, count=len(found), municipalities=found), encoding="utf-8")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return [{k: v for k, v in m.items() if k != "project"} for m in found]
