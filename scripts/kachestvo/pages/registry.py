"""The one registry of site pages: every section (from its module's `SECTION`), the home page's inputs, the tables any
page may read, and what follows from them: which sections are published and which pages show a table.

Each page's inputs are declared once, by table name: a section's in its `Section`, the home page's here. The
navigation, the home page, the management-cycle page, the memo's keys (`pages/memo.py`), each page's history line and
the documents' «where cited» lists all read these declarations. Page modules never import this module (it imports
them); a builder gets what it needs of the registry through its arguments and the `Context`.
"""

from __future__ import annotations

from kachestvo import figures
from kachestvo.pages import (
    activities,
    cycle,
    data,
    decisions,
    documents,
    events,
    glossary,
    municipalities,
    programme,
    reading,
    results,
    schools,
)
from kachestvo.pages.section import ALL, HOME, Section

__all__ = ["ALL", "HOME", "HOME_INPUTS", "EVERY_PAGE", "Section", "sections", "published", "pages_of", "citing"]

# The tables the home page reads (its history line names them).
HOME_INPUTS = (
    "municipality",
    "schools",
    "list_membership",
    "list_sizes",
    "classifications",
    "programmes",
    "activities",
    "documents",
)
# Tables any page may read whatever its inputs: links to schools and documents, the municipality (the site's
# owner, «по району», region mode) and the glossary (tooltips).
EVERY_PAGE = ("municipality", "schools", "documents", "glossary")
# The school pages belong to the section «Школы»; their inputs are its `item_inputs`.
SCHOOLS = schools.SECTION


def sections() -> list[Section]:
    """Every section in navigation order (after Главная)."""
    return [
        programme.SECTION,
        municipalities.SECTION,
        schools.SECTION,
        results.SECTION,
        activities.SECTION,
        events.SECTION,
        decisions.SECTION,
        documents.SECTION,
        reading.SECTION,
        glossary.SECTION,
        data.SECTION,
        cycle.SECTION,
    ]


def published(ds) -> list[Section]:
    return [s for s in sections() if s.published(ds)]


def pages_of(ds, sections: list[Section] | None = None):
    """A function (table, school_id) → the generated pages (.md paths) that show rows of `table`: the published
    sections declaring it as input, the home page, the school's page. Sections and schools are looked up once."""
    sections = published(ds) if sections is None else sections
    school_ids = set(ds["schools"]["school_id"])
    by_table: dict[str, list[str]] = {}

    def of(table: str, school_id: str | None) -> list[str]:
        if table not in by_table:
            by_table[table] = ([HOME] if table in HOME_INPUTS else []) + [s.path for s in sections if table in s.inputs]
        if school_id and table in SCHOOLS.item_inputs and school_id in school_ids:
            return by_table[table] + [f"shkoly/{school_id}.md"]
        return by_table[table]

    return of


def citing(ds, sections: list[Section] | None = None) -> dict[str, dict]:
    """document_id → {figures: [Figure], pages: [page paths]}: every figure and page that cites each document."""
    return figures.citing(ds, pages_of(ds, sections))
