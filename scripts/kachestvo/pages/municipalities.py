"""Муниципалитеты (region mode only): each municipality of the region with its schools and their lists."""

from __future__ import annotations

from markupsafe import Markup

from kachestvo.escape import text
from kachestvo.pages.context import Context
from kachestvo.pages.render import root_of, section_page
from kachestvo.pages.schools import current_lists
from kachestvo.pages.section import Section
from kachestvo.pages.table import Column, Table


def build(ctx: Context, site, env, section: Section) -> None:
    root = root_of(section.path)
    out = []
    for mid, m in sorted(ctx.municipalities.items(), key=lambda kv: kv[1]["name"].casefold()):
        schools = sorted(ctx.of_school("schools", mid, "municipality_id"), key=lambda s: s["short_name"])
        now = {s["school_id"]: current_lists(ctx.of_school("list_membership", s["school_id"])) for s in schools}
        lists: dict[str, int] = {}
        for names in now.values():
            for name in names:
                lists[name] = lists.get(name, 0) + 1
        table = Table(
            [
                Column("Школа", lambda s: ctx.school_link(s["school_id"], root)),
                Column("Полное наименование", lambda s: text(s["full_name"])),
                Column("Уровень", lambda s: s["level"]),
                Column(
                    "Списки сейчас",
                    lambda s, now=now: (
                        text("; ".join(now[s["school_id"]]))
                        if now[s["school_id"]]
                        else Markup('<span class="kq-missing">нет</span>')
                    ),
                ),
            ],
            schools,
            caption=f"Школы: {m['name']}",
        )
        out.append(
            dict(
                id=mid,
                name=m["name"],
                authority=m["authority"],
                schools_total=m["schools_total"],
                description=m["description"],
                note=m["note"],
                doc=ctx.doc_link(m["document_id"], root),
                schools=table,
                lists=sorted(lists.items()),
            )
        )
    section_page(site, env, section, region=ctx.municipality, municipalities=out)


def _region_mode(ds) -> bool:
    return len(ds["municipality"]) > 1


SECTION = Section(
    "munitsipalitety",
    "Муниципалитеты",
    "муниципалитеты региона, их школы и списки",
    ("municipality", "schools", "list_membership"),
    "municipalities.md.j2",
    build,
    requires=("municipality",),
    when=_region_mode,
)
