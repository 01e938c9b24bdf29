"""Jinja2 rendering of generated pages: one autoescaping environment, one escaping helper."""

from __future__ import annotations

from dataclasses import dataclass, field

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


def environment() -> Environment:
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
    """Render a section's index page from its template; the «built from» line derives from its inputs."""
    page(site, env, section.path, section.template, section.source, inputs=section.inputs, **context)


def page(site: Site, env: Environment, path: str, template: str, source: str, inputs=("*",), **context) -> None:
    """Render one page; it starts with a comment naming the data it was generated from and, when the site has a
    history, ends with when those input tables last changed."""
    body = env.get_template(template).render(root=root_of(path), **context).lstrip()
    body = body.replace("<!--SOURCE-->", f"<!-- Сгенерировано kachestvo из {source}. Не правьте вручную. -->", 1)
    if site.history is not None:
        files = site.history.files(tuple(inputs))
        info = site.history.of_files(files)
        body = (
            body.rstrip("\n")
            + "\n"
            + env.get_template("_history.md.j2").render(commit=site.history.commit, info=info, files=files)
        )
    site.pages[path] = body
