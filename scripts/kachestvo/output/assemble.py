"""Region assembly: municipality sites, built separately (a CI matrix), copied under one root with an index page.

Each input is a built project folder (its `site/` and `data/municipality.csv`); its site goes to `<root>/<id>/`
unchanged (MkDocs links are relative, so a site works in any subfolder). The index page lists them by name.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import tempfile
from pathlib import Path

from jinja2 import Environment, select_autoescape

from kachestvo.limits import TooLarge, check_size
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
{%- if m.as_of %} — данные по состоянию на {{ m.as_of }}
{%- if m.inferred %} <span title="{{ m.inferred }}">(по косвенным данным)</span>{% endif %}{% endif %}</li>
{% endfor %}</ul>
</body>
</html>
"""
)


class AssembleFailed(Exception):
    """An input is not a built project; the message says which and what to do, in Russian."""


# the schema's identifier pattern: the id becomes a folder and a link of the region's page
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def municipality(project: Project) -> dict:
    """The municipality's row, checked again here: its id becomes a folder under --out and a link."""
    row = _row(project)
    mid = (row.get("municipality_id") or "").strip()
    if not ID.match(mid):
        raise AssembleFailed(
            f"{project.root}: идентификатор муниципалитета «{mid}» недопустим — только латинские строчные буквы, цифры и "
            "дефисы (он становится папкой и ссылкой сайта региона). Исправьте data/municipality.csv и проверьте "
            "«kachestvo validate»."
        )
    return {
        "id": mid,
        "name": row.get("name") or mid,
        "region": row.get("region") or "",
        "as_of": _date(row),
        "inferred": (row.get("inferred") or "").strip(),  # why the «as of» date is not the source's own
    }


def _row(project: Project) -> dict:
    """The first row of a built project's data/municipality.csv (a link, a missing site or an unreadable file stop)."""
    path = project.data / "municipality.csv"
    if not (project.site / "index.html").exists() or not path.is_file():
        raise AssembleFailed(
            f"{shown(project.root)}: нет собранного сайта (site/index.html) или data/municipality.csv. "
            "Сначала выполните «kachestvo build» в этой папке."
        )
    if project.site.is_symlink() or path.is_symlink():
        raise AssembleFailed(f"{project.root}: site/ или data/municipality.csv — символическая ссылка; такие не собираются.")
    try:
        check_size(path, f"{project.root}/data/municipality.csv", 1)
        with path.open(encoding="utf-8", newline="") as fh:
            row = next(csv.DictReader(fh), None)
    except (OSError, UnicodeDecodeError, csv.Error, TooLarge) as exc:
        raise AssembleFailed(
            f"{project.root}: data/municipality.csv не читается ({exc}). Проверьте «kachestvo validate»."
        ) from None
    if not row:
        raise AssembleFailed(f"{project.root}: в data/municipality.csv нет строки муниципалитета.")
    return row


def _date(row: dict) -> str:
    value = (row.get("as_of") or "").strip()
    return ".".join(reversed(value.split("-"))) if DATE.match(value) else ""


def assemble(projects: list[Project], out: Path, title: str | None = None) -> list[dict]:
    """Copy each project's site into out/<municipality_id>/ and write out/index.html; out is replaced whole."""
    found = _municipalities(projects)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".region-new-", dir=out.parent))
    try:
        _copy_sites(found, tmp, out)
        page = INDEX.render(title=title or _title(found), count=len(found), municipalities=found)
        (tmp / "index.html").write_text(page, encoding="utf-8")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return [{k: v for k, v in m.items() if k != "project"} for m in found]


def _municipalities(projects: list[Project]) -> list[dict]:
    """Each project's municipality (with the project), by name; two with one id stop the assembly."""
    found = sorted((municipality(p) | {"project": p} for p in projects), key=lambda m: m["name"])
    ids = [m["id"] for m in found]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise AssembleFailed(f"у нескольких проектов одинаковый municipality_id: {', '.join(repeated)}.")
    return found


def _title(found: list[dict]) -> str:
    """The region's page title: with the region's name when every municipality names the same one."""
    regions = sorted({m["region"] for m in found if m["region"]})
    return f"Повышение качества образования — {regions[0]}" if len(regions) == 1 else "Повышение качества образования"


def _copy_sites(found: list[dict], tmp: Path, out: Path) -> None:
    for m in found:
        target = (tmp / m["id"]).resolve()
        if target.parent != tmp.resolve():  # never: ID allows no separators or dots; kept as the rule's statement
            raise AssembleFailed(f"папка «{m['id']}» вышла бы за пределы {out}.")
        shutil.copytree(m["project"].site, target, ignore=_links)  # a link could publish a file from anywhere


def _links(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if os.path.islink(os.path.join(folder, n))]
