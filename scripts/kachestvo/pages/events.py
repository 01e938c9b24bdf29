"""События: seminars and meetings with their programme (time, topic, speaker by position)."""

from __future__ import annotations

from kachestvo import fmt
from kachestvo.escape import text
from kachestvo.pages.context import Context
from kachestvo.pages.render import root_of, section_page
from kachestvo.pages.section import Section
from kachestvo.pages.table import Column, Table


def build(ctx: Context, site, env, section: Section) -> None:
    root = root_of(section.path)
    events = []
    for e in sorted(ctx.records("events"), key=lambda e: (str(e["date"]), e["event_id"])):
        sessions = sorted((s for s in ctx.records("event_sessions") if s["event_id"] == e["event_id"]), key=lambda s: s["order"])
        events.append(
            dict(
                e,
                date_text=fmt.date_short(e["date"]),
                doc=ctx.doc_link(e["document_id"], root),
                programme=Table(
                    [
                        Column("Время", lambda s: text(s["time"])),
                        Column("Тема", lambda s: text(s["topic"])),
                        Column("Выступающий (должность)", lambda s: text(s["speaker"])),
                        Column("Примечание", lambda s: text(s["note"])),
                    ],
                    sessions,
                    caption=f"Программа: {e['title']}",
                ),
            )
        )
    section_page(site, env, section, events=events)


SECTION = Section(
    "sobytiya",
    "События",
    "семинары и совещания с программой",
    ("events", "event_sessions", "documents"),
    "events.md.j2",
    build,
    requires=("events",),
)
