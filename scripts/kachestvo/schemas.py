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


def canonical_text(name: str) -> str:
    return (SCHEMAS_DIR / f"{name}.json").read_text(encoding="utf-8")
