"""Tooltips from the glossary: the first occurrence on a page of each abbreviation standing as a word in the text
becomes <abbr title="meaning"> (every occurrence would underline half of a table of school names). Only text
between tags is touched (never tags, attributes, front matter or headings), both the term and its meaning are
HTML-escaped, so raw-HTML table blocks stay intact."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

TAG = re.compile(r"(<[^>]*>)")
# text inside these elements is left alone: links and code keep their text, headings keep their anchors
SKIP = {"a", "abbr", "code", "pre", "script", "style", "title", "h1", "h2", "h3", "h4", "h5", "h6", "summary", "button", "dt"}
TAG_NAME = re.compile(r"^<\s*(/?)\s*([a-zA-Z0-9]+)")
VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "col", "source"}


def tooltips(glossary: dict[str, str]):
    """A function page → page that marks the glossary's terms; identity when the glossary is empty."""
    if not glossary:
        return lambda page: page
    # a term written in lower case («кластер», «группа качества») is also explained at the start of a sentence or a
    # table's header («Кластер», «Группа качества»)
    glossary = {t[:1].upper() + t[1:]: m for t, m in glossary.items() if t[:1].islower()} | dict(glossary)
    terms = sorted(glossary, key=len, reverse=True)  # «ШНОР/ШНСУ»: longest first inside the alternation
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(str(escape(t))) for t in terms) + r")(?![\w-])")
    titles = {str(escape(t)): Markup('<abbr title="{}">{}</abbr>').format(m, t) for t, m in glossary.items()}

    def mark(page: str) -> str:
        head, body = _split_front_matter(page)
        out, stack, seen = [], [], set()
        for part in TAG.split(body):
            if part.startswith("<"):
                _track(part, stack)
                out.append(part)
            elif part and not any(t in SKIP for t in stack):
                out.append(_mark_text(part, pattern, titles, seen))
            else:
                out.append(part)
        return head + "".join(out)

    return mark


def _mark_text(text: str, pattern: re.Pattern, titles: dict[str, str], seen: set[str]) -> str:
    def once(m: re.Match) -> str:
        if m.group(1) in seen:
            return m.group(1)
        seen.add(m.group(1))
        return titles[m.group(1)]

    # Markdown headings («## ШНОР по годам») keep their text: the table of contents and anchors derive from it
    lines = text.split("\n")
    return "\n".join(line if line.lstrip().startswith("#") else pattern.sub(once, line) for line in lines)


def _track(tag: str, stack: list[str]) -> None:
    m = TAG_NAME.match(tag)
    if not m or tag.startswith("<!") or tag.endswith("/>"):
        return
    closing, name = m.group(1), m.group(2).lower()
    if name in VOID:
        return
    if not closing:
        stack.append(name)
    elif name in stack:
        while stack and stack.pop() != name:
            pass


def _split_front_matter(page: str) -> tuple[str, str]:
    if page.startswith("---\n"):
        end = page.find("\n---\n", 4)
        if end != -1:
            return page[: end + 5], page[end + 5 :]
    return "", page
