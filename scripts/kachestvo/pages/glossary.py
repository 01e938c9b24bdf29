"""Термины и сокращения: the glossary table as a page; its terms also become tooltips on every page."""

from __future__ import annotations

from kachestvo.pages.context import Context
from kachestvo.pages.render import root_of, section_page
from kachestvo.pages.section import Section


def terms(ds) -> dict[str, str]:
    """Term → meaning, for the tooltips."""
    if not ds.has("glossary"):
        return {}
    return dict(zip(ds["glossary"]["term"], ds["glossary"]["meaning"]))


def build(ctx: Context, site, env, section: Section) -> None:
    root = root_of(section.path)
    rows = sorted(ctx.records("glossary"), key=lambda r: r["term"].lower())
    entries = [dict(r, doc=ctx.doc_link(r["document_id"], root) if r["document_id"] else "") for r in rows]
    section_page(site, env, section, entries=entries)


SECTION = Section(
    "terminy",
    "Термины и сокращения",
    "что значат ШНОР, ШНСУ, ВПР и другие сокращения",
    ("glossary", "documents"),
    "glossary.md.j2",
    build,
    requires=("glossary",),
)
