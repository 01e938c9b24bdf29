"""Golden snapshots of the pages generated for examples/kotelnikovsky: one small text file per page holding what a
reader sees, compared by tests/test_golden.py and rewritten only on request.

Regenerate after an intended change of the pages:  python tests/golden.py

A snapshot is the page's visible structure, not its Markdown: the front matter's title and description; the
«generated from» note; headings as «## text»; each paragraph, list item or definition on its own line (list items
begin with «- »); each table as «table: caption», a header line and one line per row with cells joined by « | »;
charts and images as «[image: alt text → file]»; links as «[text → target]». Markup, classes and attributes that do
not show are left out, so a diff of a snapshot reads as a change of what the page says.
"""

from __future__ import annotations

import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml

HERE = Path(__file__).resolve().parent

EXAMPLE = HERE.parent / "examples" / "kotelnikovsky"
GOLDEN = HERE / "golden" / "kotelnikovsky"
SUFFIX = ".txt"

# elements that end a line of the snapshot; the rest (a, abbr, span, strong, code…) are inline
BLOCKS = {
    "p", "div", "section", "article", "ul", "ol", "li", "dl", "dt", "dd", "details", "summary", "blockquote", "figure",
    "figcaption", "pre", "hr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "nav", "aside", "header", "footer",
}  # fmt: skip
PREFIX = {"li": "- ", "dd": ": ", "summary": "▸ ", "figcaption": "caption: "}
HIDDEN = {"script", "style", "template"}


def normalise(text: str) -> str:
    """Chart file names hash the compiled Vega spec, which changes with vl-convert: not part of the snapshot."""
    return re.sub(r"charts/[0-9a-f]{20}\.svg", "charts/HASH.svg", text)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class Structure(HTMLParser):
    """The visible structure of a page's HTML as lines (see the module's docstring)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._text = ""  # inline text of the current line (or table cell)
        self._blocks: list[str] = []  # open block elements, innermost last
        self._links: list[tuple[str, int]] = []  # open links: target, where their text starts in _text
        self._hidden = 0
        self._table: list[list[str]] | None = None  # rows of the open table
        self._caption: str | None = None
        self._in_caption = False

    # --- lines
    def _flush(self) -> None:
        text = _squash(self._text)
        self._text = ""
        if text and self._table is None:
            prefix = next((PREFIX[b] for b in reversed(self._blocks) if b in PREFIX), "")
            heading = next((b for b in reversed(self._blocks) if re.fullmatch(r"h[1-6]", b)), None)
            self.lines.append(("#" * int(heading[1]) + " " if heading else prefix) + text)

    # --- parser callbacks
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in HIDDEN:
            self._hidden += 1
        if self._hidden:
            return
        if tag == "table":
            self._flush()
            self._table, self._caption = [], None
        elif tag == "caption":
            self._in_caption, self._text = True, ""
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th"):
            self._text = ""
        elif tag == "a":
            self._links.append((attrs.get("href") or "", len(self._text)))
        elif tag == "img":
            self._text += f"[image: {_squash(attrs.get('alt') or '')} → {normalise(attrs.get('src') or '')}]"
        elif tag in BLOCKS:
            self._flush()
            if tag not in ("br", "hr"):
                self._blocks.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr", "img"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self._hidden = max(0, self._hidden - 1)
            return
        if self._hidden:
            return
        if tag == "a" and self._links:
            target, start = self._links.pop()
            label = _squash(self._text[start:])
            self._text = self._text[:start] + f"[{label} → {normalise(target)}]"
        elif tag == "caption":
            self._caption, self._in_caption, self._text = _squash(self._text), False, ""
        elif tag in ("td", "th") and self._table is not None and self._table:
            self._table[-1].append(_squash(self._text))
            self._text = ""
        elif tag == "table" and self._table is not None:
            rows, self._table = self._table, None
            self.lines.append(f"table: {self._caption or ''}".rstrip())
            self.lines += ["  " + " | ".join(cells) for cells in rows if cells]
        elif tag in BLOCKS and tag in self._blocks:
            self._flush()
            while self._blocks and self._blocks.pop() != tag:
                pass

    def handle_data(self, data):
        if not self._hidden:
            self._text += data

    def handle_comment(self, data):
        if not self._hidden and self._table is None:
            self._flush()
            self.lines.append(f"comment: {_squash(data)}")

    def close(self) -> None:
        super().close()
        self._flush()


def structure(page: str) -> str:
    """A generated Markdown page (front matter, Markdown and HTML blocks) as its snapshot text."""
    front, body = {}, page
    if page.startswith("---\n"):
        head, body = page[4:].split("\n---\n", 1)
        front = yaml.safe_load(head) or {}
    html = markdown.markdown(body, extensions=["tables", "admonition", "attr_list"])
    parser = Structure()
    parser.feed(html)
    parser.close()
    lines = [f"{key}: {_squash(str(value))}" for key, value in front.items()]
    return "\n".join([*lines, *([""] if lines else []), *parser.lines]) + "\n"


def generated() -> dict[str, str]:
    """Page path (as generated, «shkoly/krasnoyarskaya-sh.md») → its snapshot text."""
    from kachestvo.build import generate_site
    from kachestvo.paths import Project

    site, _ = generate_site(Project.at(EXAMPLE))
    return {rel: structure(text) for rel, text in site.pages.items()}


def snapshot_path(rel: str) -> Path:
    return GOLDEN / Path(rel).with_suffix(SUFFIX)


def stored() -> dict[str, str]:
    """Page path (as generated) → the stored snapshot text."""
    paths = sorted(GOLDEN.rglob("*" + SUFFIX))
    return {p.relative_to(GOLDEN).with_suffix(".md").as_posix(): p.read_text(encoding="utf-8") for p in paths}


def write() -> None:
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for rel, text in generated().items():
        path = snapshot_path(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    # run as a script from a checkout: the package may be installed (pip install -e .) or not. Never put scripts/ first
    # on sys.path in the tests' process: its kachestvo.egg-info (no METADATA) would shadow the installed metadata.
    try:
        import kachestvo  # noqa: F401
    except ImportError:
        sys.path.append(str(HERE.parent / "scripts"))
    write()
    print(f"Снимки обновлены: {GOLDEN}")
