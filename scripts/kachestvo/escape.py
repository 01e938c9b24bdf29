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
    return Markup("<br>").join(escape(line) for line in lines)


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
