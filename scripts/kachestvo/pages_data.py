"""Открытые данные: downloads of every table and a field dictionary generated from the schemas."""
from __future__ import annotations

from markupsafe import Markup

from . import downloads, schemas
from .context import Context
from .escape import text
from .render import page


def build(ctx: Context, site, env, suppressed: dict[str, set[int]]) -> None:
    ds = ctx.ds
    site.assets.update(downloads.files(ds, suppressed))
    tables = []
    for name in ds.present:
        s = schemas.schema(name)
        pk = set(s["primaryKey"])
        fields = [{"cells": [Markup("<code>{}</code>").format(f["name"]), text(f["title"]), TYPES[f["type"]],
                             "да" if f.get("constraints", {}).get("required") or f["name"] in pk else "нет",
                             text(_allowed(f)), text(f["description"])]} for f in s["fields"]]
        tables.append(dict(name=name, title=s["title"], description=s["description"], rows=len(ds[name]),
                           fields=fields, key=", ".join(s["primaryKey"])))
    page(site, env, "otkrytye-dannye/index.md", "data.md.j2", "data/datapackage.json и схемы", tables=tables,
         dir=downloads.DIR, package=ds.descriptor)
    site.nav.append(("Открытые данные", "otkrytye-dannye/index.md"))


TYPES = {"string": "текст", "integer": "целое число", "number": "число", "date": "дата ГГГГ-ММ-ДД",
         "boolean": "да/нет"}


def _allowed(f: dict) -> str:
    c = f.get("constraints", {})
    if "enum" in c:
        return "; ".join(c["enum"])
    bits = []
    if "minimum" in c:
        bits.append(f"от {c['minimum']}")
    if "maximum" in c:
        bits.append(f"до {c['maximum']}")
    return " ".join(bits)
