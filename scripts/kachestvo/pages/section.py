"""What a section is: its address, Russian title, blurb, inputs (tables, by name), template and builder.

Page modules import this module for the type; the registry (`registry.py`) lists the sections and imports the page
modules, so no page module imports the registry back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

HOME = "index.md"
ALL = ("*",)  # inputs of a section built from every table of the package


@dataclass(frozen=True)
class Section:
    slug: str  # URL folder of the section's index page: «shkoly» → shkoly/index.md
    title: str  # Russian title: navigation, page title, home page
    blurb: str  # one line on the home page
    inputs: tuple[str, ...]  # tables the section's pages are built from (their «built from» line)
    template: str  # Jinja2 template of the index page
    builder: Callable  # builder(ctx, site, env, section): renders the section's pages
    requires: tuple[str, ...] = ()  # published when any of these has rows (default: any input); () with always
    always: bool = False  # published whatever the data (open data, management cycle)
    when: Callable | None = None  # an extra condition on the dataset (e.g. region mode: more than one municipality)
    item_inputs: tuple[str, ...] = ()  # tables each item page reads (a school's own page), when it has item pages
    parts: tuple[tuple, ...] = ()  # (table or test(ds), words): the blurb names only what the data holds (`describe`)

    @property
    def path(self) -> str:
        return f"{self.slug}/index.md"

    @property
    def source(self) -> str:
        """The «built from» line: data/a.csv, b.csv, …"""
        if self.inputs == ALL:
            return "data/datapackage.json и всех таблиц пакета"
        return "data/" + ", ".join(f"{t}.csv" for t in self.inputs)

    def describe(self, ds) -> str:
        """The blurb as the home page shows it: with `parts`, the words of the tables that hold rows (a section
        never promises what it does not show); the fixed blurb otherwise."""
        words = [w for test, w in self.parts if (test(ds) if callable(test) else ds.has(test))]
        return ", ".join(dict.fromkeys(words)) if words else self.blurb

    def published(self, ds) -> bool:
        if self.when is not None and not self.when(ds):
            return False
        return self.always or any(ds.has(t) for t in (self.requires or self.inputs))
