"""Hand-written pages (content/*.md, the home page's introduction) published through an HTML allowlist (nh3).

content/ is reviewed by a maintainer, but it is Markdown in which raw HTML passes through: a `<script>`, an `onclick`
or a `javascript:` link written there (or pasted from elsewhere) would run on the site. Staging wraps each
hand-written text between two markers; after Markdown has made the page's HTML, `SanitiseExtension` passes what lies
between the markers through nh3 with the allowlist below and drops the markers. Generated pages (our templates,
data already escaped) are left alone. A project that needs raw HTML opts in with `"allow_raw_html": true`.
"""

from __future__ import annotations

import re

import nh3
from markdown import Extension
from markdown.postprocessors import Postprocessor

START = "<!-- kachestvo-content -->"
END = "<!-- /kachestvo-content -->"
TOKEN = "kachestvo-content"  # nosec B105
REGION = re.compile(re.escape(START) + r"(.*?)" + re.escape(END), re.S)

TAGS = set(nh3.ALLOWED_TAGS) - {"area", "map"}
ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
ATTRIBUTES["*"] = {"id", "class", "title", "lang"}  # anchors, admonitions, tooltips
ATTRIBUTES["a"] = ATTRIBUTES.get("a", set()) | {"title"}
ATTRIBUTES["abbr"] = {"title"}
SCHEMES = {"http", "https", "mailto"}


def clean(html: str) -> str:
    """HTML kept to the allowlist: no scripts, styles, event handlers, forms or frames; links http(s), mailto or
    relative; comments dropped."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel=None)


def wrap(markdown: str) -> str:
    """A hand-written Markdown text between the markers (after its front matter, which MkDocs reads first).
    The marker's word is taken out of the text, so no text can close its region early."""
    markdown = markdown.replace(TOKEN, "kachestvo content")
    front = ""
    m = re.match(r"\A---\r?\n.*?\r?\n(---|\.\.\.)\r?\n", markdown, re.S)
    if m:
        front, markdown = markdown[: m.end()], markdown[m.end() :]
    return f"{front}{START}\n\n{markdown.strip()}\n\n{END}\n"


def sanitise_regions(html: str) -> str:
    return REGION.sub(lambda m: clean(m.group(1)), html)


class _Post(Postprocessor):
    def run(self, text: str) -> str:
        return sanitise_regions(text) if TOKEN in text else text


class SanitiseExtension(Extension):
    """Runs last, once raw HTML has been put back into the page."""

    def extendMarkdown(self, md):  # noqa: N802  (Python-Markdown's name)
        md.postprocessors.register(_Post(md), "kachestvo-sanitise", 0)
