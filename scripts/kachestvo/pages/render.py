"""Jinja2 rendering of generated pages: one autoescaping environment, one escaping helper."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from kachestvo import escape, fmt
from kachestvo.pages.table import html as table_html
from kachestvo.paths import TEMPLATES_DIR


@dataclass
class Site:
    """Everything generated: Markdown pages by path, binary assets by path, charts to render, nav."""

    pages: dict[str, str] = field(default_factory=dict)
    assets: dict[str, bytes] = field(default_factory=dict)
    charts: list = field(default_factory=list)
    nav: list[tuple[str, str]] = field(default_factory=list)
    history: object = None  # a kachestvo.history.History: each page then ends with its data's git history
    mark: Callable[[str], str] = lambda page: page  # the glossary's tooltips (abbreviations.tooltips)
    memo: object = None  # a kachestvo.pages.memo.Memo: pages of the previous build, reused when unchanged
    ds: object = None  # the protected dataset the pages are made from (for the memo's keys)
    reused_charts: list[str] = field(default_factory=list)  # keys of the charts on reused pages (already rendered)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one Jinja2 environment (made once per process: its compiled templates serve every later generation)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        finalize=escape.finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        text=escape.text,
        href=escape.href,
        doc_href=escape.doc_href,
        yaml=escape.yaml_string,
        number=fmt.number,
        value=fmt.value,
        date=fmt.date,
        date_short=fmt.date_short,
    )
    env.globals.update(plural=fmt.plural, missing=escape.is_missing, table_html=table_html)
    return env


def root_of(path: str) -> str:
    """Relative prefix from a page's URL (directory URLs) to the site root: «shkoly/x.md» → «../../»."""
    parts = path[:-3].split("/")
    if parts[-1] == "index":
        parts = parts[:-1]
    return "../" * len(parts)


def section_page(site: Site, env: Environment, section, **context) -> None:
    """Render a section's index page from its template; the «built from» line derives from its inputs. With the
    build's memo, a page whose inputs did not change is taken from the previous build instead of rendered."""
    memo = site.memo
    if memo is None or "*" in section.inputs:
        page(site, env, section.path, section.template, section.source, inputs=section.inputs, **context)
        return
    key = memo.section_key(site.ds, section.path, section.inputs)
    reused = memo.get(key, section.path)
    if reused is not None:
        finish(site, env, section.path, reused[0], section.inputs)
        return
    body = page(site, env, section.path, section.template, section.source, inputs=section.inputs, **context)
    memo.put(key, body, [])


def page(site: Site, env: Environment, path: str, template: str, source: str, inputs=("*",), rows=None, **context) -> str:
    """Render one page; it starts with a comment naming the data it was generated from and, when the site has a
    history, ends with when those input tables last changed. Returns the page before that history line."""
    body = env.get_template(template).render(root=root_of(path), **context).lstrip()
    body = body.replace("<!--SOURCE-->", f"<!-- Сгенерировано kachestvo из {source}. Не правьте вручную. -->", 1)
    body = site.mark(body)
    finish(site, env, path, body, inputs, rows)
    return body


def finish(site: Site, env: Environment, path: str, body: str, inputs=("*",), rows=None) -> None:
    """Store a page: its body (tooltips marked) and, when the site has a history, when its data last changed.
    `rows` (see History.of_files) narrows some input files to the rows the page is made from (a school's own)."""
    if site.history is not None:
        info = site.history.of_files(site.history.files(tuple(inputs)), rows)
        line = env.get_template("_history.md.j2").render(commit=site.history.commit, info=info, url=site.history.data_url())
        body = body.rstrip("\n") + "\n" + line
    site.pages[path] = body
