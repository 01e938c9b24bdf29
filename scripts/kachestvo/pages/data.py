"""Открытые данные: downloads of every table and a field dictionary generated from the schemas."""

from __future__ import annotations

from markupsafe import Markup

from kachestvo import partial_date, schemas
from kachestvo.escape import text
from kachestvo.output import downloads
from kachestvo.pages.context import Context
from kachestvo.pages.render import section_page
from kachestvo.pages.section import ALL, Section
from kachestvo.pages.table import Column, Table


def build(ctx: Context, site, env, section: Section) -> None:
    ds = ctx.ds
    tables = []
    for name in ds.present:
        s = schemas.schema(name)
        pk = set(s["primaryKey"])
        fields = Table(
            [
                Column("Поле", lambda f: Markup("<code>{}</code>").format(f["name"])),
                Column("Название", lambda f: text(f["title"])),
                Column("Тип", type_label),
                Column(
                    "Обязательно", lambda f, pk=pk: "да" if f.get("constraints", {}).get("required") or f["name"] in pk else "нет"
                ),
                Column("Допустимые значения", lambda f: text(_allowed(f))),
                Column("Описание", lambda f: text(f["description"])),
            ],
            s["fields"],
            caption=f"Поля таблицы {name}",
        )
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
PARTIAL_DATE = "дата с точностью источника: ГГГГ, ГГГГ-ММ или ГГГГ-ММ-ДД"


def type_label(f: dict) -> str:
    """The field's type as the dictionary names it; a partial date is a date, written as precisely as its source."""
    if f.get("constraints", {}).get("pattern") == partial_date.PATTERN:
        return PARTIAL_DATE
    return TYPES[f["type"]]


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
