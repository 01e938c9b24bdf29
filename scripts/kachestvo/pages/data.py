"""Открытые данные: downloads of every table and a field dictionary generated from the schemas."""

from __future__ import annotations

from markupsafe import Markup

from kachestvo import schemas
from kachestvo.escape import text
from kachestvo.output import downloads
from kachestvo.pages.context import Context
from kachestvo.pages.registry import ALL, Section
from kachestvo.pages.render import section_page


def build(ctx: Context, site, env, section: Section) -> None:
    ds = ctx.ds
    tables = []
    for name in ds.present:
        s = schemas.schema(name)
        pk = set(s["primaryKey"])
        fields = [
            {
                "cells": [
                    Markup("<code>{}</code>").format(f["name"]),
                    text(f["title"]),
                    TYPES[f["type"]],
                    "да" if f.get("constraints", {}).get("required") or f["name"] in pk else "нет",
                    text(_allowed(f)),
                    text(f["description"]),
                ]
            }
            for f in s["fields"]
        ]
        tables.append(
            dict(
                name=name,
                title=s["title"],
                description=s["description"],
                rows=len(ds[name]),
                fields=fields,
                key=", ".join(s["primaryKey"]),
            )
        )
    section_page(site, env, section, tables=tables, dir=downloads.DIR, package=ds.descriptor)


TYPES = {"string": "текст", "integer": "целое число", "number": "число", "date": "дата ГГГГ-ММ-ДД", "boolean": "да/нет"}


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


SECTION = Section(
    "otkrytye-dannye", "Открытые данные", "все таблицы для скачивания и словарь полей", ALL, "data.md.j2", build, always=True
)
