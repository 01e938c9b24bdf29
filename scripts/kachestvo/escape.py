"""The one escaping helper: every value from data reaches a page through here.

Pages are Markdown whose data-bearing parts are raw HTML blocks (Markdown is not processed inside
them), so HTML escaping makes any data string literal text: Markdown, HTML, attributes, includes
and template syntax alike. Line breaks inside a value become <br>.
"""

from __future__ import annotations

import functools
import math
import re

from markupsafe import Markup, escape

SAFE_URL = re.compile(r"""^https?://[^\s<>"']+$""")  # the schemas' url pattern is this same string (tested)
SAFE_DOC = re.compile(r"^documents/[A-Za-z0-9._/-]+$")


def is_missing(value) -> bool:
    """None, NaN, pandas' NA and NaT (called for every cell of a region's pages: text is answered first)."""
    if value is None:
        return True
    if isinstance(value, str):
        return False
    if isinstance(value, float):
        return math.isnan(value)
    return value is _pandas_missing()[0] or value is _pandas_missing()[1]


@functools.cache
def _pandas_missing() -> tuple:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover
        return (object(), object())
    return (pd.NA, pd.NaT)


def text(value) -> Markup:
    """Escaped text; line breaks kept as <br>; missing → empty."""
    if is_missing(value):
        return Markup("")
    value = str(value)
    if "\n" not in value:  # most values: one line
        return _breakable(value)
    return Markup("<br>").join(_breakable(line) for line in value.replace("\r\n", "\n").split("\n"))


LONG_TOKEN = re.compile(r"\S{30,}")
BREAK_AFTER = re.compile(r"(?<=[/_.?&=#-])")  # the empty place after each of these characters


def _breakable(line: str) -> Markup:
    """Escaped text in which long URLs and identifiers may wrap (<wbr> after / _ . ? & = # -): one long address
    must not widen a table beyond the screen, and ordinary words still never break in the middle."""
    if len(line) < 30 or not LONG_TOKEN.search(line):
        return escape(line)
    out, last = [], 0
    for m in LONG_TOKEN.finditer(line):
        out.append(escape(line[last : m.start()]))
        out.append(Markup("<wbr>").join(escape(bit) for bit in BREAK_AFTER.split(m.group(0)) if bit))
        last = m.end()
    out.append(escape(line[last:]))
    return Markup("").join(out)


def finalize(value):
    """Jinja2 finalize: missing values print as nothing, never «nan» or «None»."""
    return "" if is_missing(value) else value


def href(value) -> str | None:
    """A link target from data: only http(s) URLs; anything else gives no link."""
    if is_missing(value):
        return None
    value = str(value).strip()
    return value if SAFE_URL.match(value) else None


def doc_href(value) -> str | None:
    """A link to one of the project's own document files (relative to content/)."""
    if is_missing(value):
        return None
    value = str(value).strip()
    return value if SAFE_DOC.match(value) and ".." not in value.split("/") else None


def yaml_string(value) -> Markup:
    """A YAML scalar for front matter, holding HTML-escaped text (Material prints page titles unescaped)."""
    import json

    return Markup(json.dumps(str(escape(str(value))), ensure_ascii=False))
