"""Full-text search in parts: every word of every page is findable, yet a visitor downloads only what a query needs.

MkDocs' search_index.json (every page and section with its whole text) is rewritten after the build into:

- `search/search_index.json` — the list of pages (address and title, no text) and the separator: what Material's
  scripts fetch on every page, so it stays small (≈ 150 bytes a page);
- `search/t/<prefix>.json` — for each two-letter prefix, each word (lower case, «ё» as «е») beginning with it and
  the sections holding it (ascending postings, each written as its difference from the one before): a query
  fetches one such file per word;
- `search/p/<n>.json` — the sections of page n (anchor, title, plain text): fetched for the pages a query shows.

The site's search worker (`templates/search-worker.js`) reads these files and speaks Material's worker protocol;
it stems with lunr.ru's Russian stemmer, so «дорожной карты» finds «Дорожная карта». Words are split here as the
worker splits a query: the configured separator, with a lower-case letter followed by a capital also a boundary
(MkDocs joins `<dt>Уровень</dt><dd>СОШ</dd>` into «УровеньСОШ»).
"""

from __future__ import annotations

import html
import json
import re
from array import array
from collections import defaultdict
from pathlib import Path

INDEX = "search/search_index.json"
TERMS = "search/t"  # word → sections, one file per two-letter prefix
PAGES = "search/p"  # one page's sections
SECTIONS = 512  # a posting is (page × SECTIONS + section) × 2 + (1 if the word is in the section's title)
LONGEST = 50  # longer "words" (checksums, addresses) are not indexed
SKIPPED = ("shkoly/spisok/",)  # parts of a long list of schools: each school is found by its own page
DEFAULT_SEPARATOR = r"[\s\-]+"

_TAG = re.compile(r"<[^>]+>")
_JOINED = re.compile(r"([a-zа-яё])([A-ZА-ЯЁ])")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


def plain(markup: str) -> str:
    """Text of an index entry without tags and entities, cells MkDocs glued together split apart."""
    text = html.unescape(_TAG.sub(" ", markup))
    return " ".join(_JOINED.sub(r"\1 \2", text).split())


def words(text: str, separator: re.Pattern) -> set[str]:
    """The distinct search words of a plain text, as the worker folds a query."""
    out = set()
    for raw in set(separator.split(text.lower().replace("ё", "е"))):  # a table repeats its cells' words
        word = _EDGE.sub("", raw)
        if word and len(word) <= LONGEST:
            out.add(word)
    return out


def shard_name(word: str) -> str:
    """File name (without .json) of the prefix file holding a word: its first two characters as hex code points."""
    return "-".join(f"{ord(c):x}" for c in word[:2])


def postings(deltas: list[int]) -> list[int]:
    """A word's postings from their differences, as the worker reads them."""
    out, total = [], 0
    for d in deltas:
        total += d
        out.append(total)
    return out


def split(site_dir: Path) -> None:
    """Rewrite MkDocs' search index of a built site into the page list, the prefix files and the page files."""
    path = site_dir / INDEX
    if not path.exists():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    if "shards" in index:
        return  # written in parts already (output/publish.py hands MkDocs' entries to `write` directly)
    write(site_dir, index.get("config", {}), index.get("docs", []))


def write(site_dir: Path, config: dict, docs: list[dict]) -> None:
    """Write the page list, the prefix files and the page files of a search index's entries (`docs`, emptied as
    they are read: at 20,000 schools they hold every page's text)."""
    separator = re.compile(config.get("separator") or DEFAULT_SEPARATOR)
    pages = _pages(docs)
    folder = site_dir / "search"
    for sub in (TERMS, PAGES):
        (site_dir / sub).mkdir(parents=True, exist_ok=True)
    names = _write_shards(site_dir / TERMS, _postings(pages, separator))
    for n, sections in enumerate(pages.values()):
        _write(site_dir / PAGES / f"{n}.json", sections)
    docs = [{"location": page, "title": sections[0][1], "text": ""} for page, sections in pages.items()]
    _write(folder / "search_index.json", {"config": config, "docs": docs, "shards": names})


def _pages(docs: list[dict]) -> dict[str, list[list[str]]]:
    """Page address → its sections [anchor, title, plain text], the page's own entry first (the list of schools'
    parts left out)."""
    pages: dict[str, list[list[str]]] = {}
    docs.reverse()
    while docs:
        doc = docs.pop()  # each entry leaves memory as its plain text arrives
        page, _, anchor = doc.get("location", "").partition("#")
        if page.startswith(SKIPPED):
            continue
        sections = pages.setdefault(page, [])
        title, text = plain(doc.get("title", "")), plain(doc.get("text", ""))
        if not sections and anchor:
            sections.append(["", title, ""])  # a page's own entry comes first; Material shows it above its sections
        if len(sections) < SECTIONS:
            sections.append([anchor, title, text])
        else:
            sections[-1][2] += " " + text  # a page with thousands of headings: the rest is found in its last section
    return pages


def _postings(pages: dict[str, list[list[str]]], separator: re.Pattern) -> dict[str, array]:
    """Every word of every section → its postings, ascending (8 bytes each, not a Python number's 36)."""
    found: dict[str, array] = defaultdict(lambda: array("Q"))
    for n, sections in enumerate(pages.values()):
        for j, (_, title, text) in enumerate(sections):
            in_title = words(title, separator)
            for word in in_title | words(text, separator):
                found[word].append((n * SECTIONS + j) * 2 + (word in in_title))
    return found


def _write_shards(folder: Path, found: dict[str, array]) -> list[str]:
    """Write each prefix file ({word: its postings as differences}, words in order), one at a time; their names."""
    by_shard: dict[str, list[str]] = defaultdict(list)
    for word in sorted(found):
        by_shard[shard_name(word)].append(word)
    for name, shard_words in by_shard.items():
        shard = {}
        for word in shard_words:
            ascending = found.pop(word)
            shard[word] = [ascending[0]] + [b - a for a, b in zip(ascending, ascending[1:])]
        _write(folder / f"{name}.json", shard)
    return sorted(by_shard)


def _write(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def first_download(site_dir: Path) -> int:
    """Bytes a visitor's first one-word search may fetch at most: the page list, the search scripts (the site's
    worker, lunr.ru's stemmer, and Material's own worker, which every page starts) and the largest prefix file."""
    parts = [site_dir / INDEX, site_dir / "assets" / "search-worker.js"]
    parts += (site_dir / "assets" / "javascripts" / "lunr" / "min").glob("lunr.ru.min.js")
    parts += (site_dir / "assets" / "javascripts" / "lunr" / "min").glob("lunr.stemmer.support.min.js")
    parts += (site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js")
    shards = [p.stat().st_size for p in (site_dir / TERMS).glob("*.json")]
    return sum(p.stat().st_size for p in parts if p.exists()) + max(shards, default=0)
