"""Search index size bounded: entity pages (a school's page, two levels deep) are indexed by title and headline,
not every table cell; any other entry's text is capped. Applied to MkDocs' search_index.json after the build."""

from __future__ import annotations

import json
from pathlib import Path

HEADLINE = 300  # characters of an entity page's own text: its name and first lines
SECTION = 2000  # characters of any other entry: long tables are found by their headings


def trim(site_dir: Path) -> None:
    path = site_dir / "search" / "search_index.json"
    if not path.exists():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    docs = []
    for doc in index.get("docs", []):
        page, _, anchor = doc.get("location", "").partition("#")
        if page.startswith("shkoly/spisok/"):
            continue  # parts of a long list of schools: each school is found by its own page
        entity = page.count("/") >= 2  # «shkoly/<id>/»: one page per school, thousands of them
        if entity and anchor:
            continue  # the page entry below stands for the whole page
        docs.append(dict(doc, text=_cut(doc.get("text", ""), HEADLINE if entity else SECTION)))
    index["docs"] = docs
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: cut.rfind(" ")] if " " in cut else cut
