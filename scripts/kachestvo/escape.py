"""The one escaping helper: every value from data reaches a page through here.

Pages are Markdown whose data-bearing parts are raw HTML blocks (Markdown is not processed inside
them), so HTML escaping makes any data string literal text: Markdown, HTML, attributes, includes
and template syntax alike. Line breaks inside a value become <br>.
"""

from __future__ import annotations

import math
import re

from markupsafe import Markup, escape

SAFE_URL = re.compile(r"""^https?://[^\s<>"']+$""")  # the schemas' url pattern is this same string (tested)
SAFE_DOC = re.compile(r"^documents/[A-Za-z0-9._/-]+$")


def is_missing(value) -> bool:
    if value is None:
        return True
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return True
    except ImportError:  # pragma: no cover
        pass
    return isinstance(value, float) and math.isnan(value)


def text(value) -> Markup:
    """Escaped text; line breaks kept as <br>; missing → empty."""
    if is_missing(value):
        return Markup("")
    lines = str(value).replace("\r\n", "\n").split("\n")
    return Markup("<br>").join(_breakable(line) for line in lines)


LONG_TOKEN = re.compile(r"\S{30,}")
BREAK_AFTER = re.compile(r"(?<=[/_.?&=#-])")  # the empty place after each of these characters


def _breakable(line: str) -> Markup:
    """Escaped text in which long URLs and identifiers may wrap (<wbr> after / _ . ? & = # -): one long address
    must not widen a table beyond the screen, and ordinary words still never break in the middle."""
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
