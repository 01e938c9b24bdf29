"""The canonical Table Schemas shipped with the package: one per table."""

from __future__ import annotations

import json
from functools import lru_cache

from kachestvo.paths import SCHEMAS_DIR

CORE_TABLES = ("documents", "municipality", "schools")


@lru_cache(maxsize=None)
def schema(name: str) -> dict:
    return json.loads((SCHEMAS_DIR / f"{name}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def table_names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in SCHEMAS_DIR.glob("*.json")))


def field_names(name: str) -> list[str]:
    return [f["name"] for f in schema(name)["fields"]]


def field(name: str, field_name: str) -> dict:
    return next(f for f in schema(name)["fields"] if f["name"] == field_name)


def document_columns(name: str) -> list[str]:
    """The columns of a table that cite a document: every one-field foreign key of its schema to documents.csv
    (document_id, and e.g. a programme's approved_by, which its page links as the approving document)."""
    return [
        fk["fields"][0]
        for fk in schema(name).get("foreignKeys", [])
        if fk["reference"]["resource"] == "documents" and len(fk["fields"]) == 1
    ]


def canonical_text(name: str) -> str:
    return (SCHEMAS_DIR / f"{name}.json").read_text(encoding="utf-8")


# Every text field has a maxLength (kept far below a spreadsheet cell's 32,767 characters, so nothing is ever
# truncated); its tier says what kind of text it is. Names and short labels stay on one line; titles and long
# texts may span lines (the site shows each line break as <br>).
NAME_MAX = 300  # names, numbers, short labels
TITLE_MAX = 1000  # titles, responsible persons, evidence


def is_free_text(f: dict) -> bool:
    """A string field that is neither an identifier (pattern) nor a choice (enum)."""
    return f["type"] == "string" and not {"pattern", "enum"} & set(f.get("constraints", {}))


def multiline(f: dict) -> bool:
    return is_free_text(f) and f.get("constraints", {}).get("maxLength", 0) > NAME_MAX


def is_name(f: dict) -> bool:
    """Names and titles: the free text people tell schools, documents and indicators apart by."""
    return is_free_text(f) and f.get("constraints", {}).get("maxLength", 0) <= TITLE_MAX
