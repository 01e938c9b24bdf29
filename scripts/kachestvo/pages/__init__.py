"""Pages stage: from a validated, protected dataset to every generated page, asset and nav entry (no disk writes).

Sections come from one registry (`registry.py`); each has its own module with a `SECTION` and a builder.
"""

from __future__ import annotations

from kachestvo.dataset import Dataset
from kachestvo.pages import glossary, home, registry
from kachestvo.pages.abbreviations import tooltips
from kachestvo.pages.context import Context
from kachestvo.pages.render import Site, environment
from kachestvo.paths import TEMPLATES_DIR

STATIC = ("kachestvo.css", "tables.js", "search-worker.js")


def generate(ds: Dataset, history=None, renderer=None, memo=None) -> tuple[Site, Context]:
    """Every page of the site; with a `history` (kachestvo.history.History) each page shows its data's git history;
    with a `renderer` (kachestvo.output.charts.Renderer) each chart starts rendering as soon as it is made; with a
    `memo` (kachestvo.pages.memo.Memo) a school page whose inputs did not change is taken from the previous build."""
    site, env, ctx = Site(history=history, memo=memo, ds=ds), environment(), Context(ds, renderer=renderer)
    site.mark = tooltips(glossary.terms(ds))
    sections = ctx.sections = registry.published(ds)
    ctx.cited = lambda: registry.citing(ds, sections)
    for section in sections:
        section.builder(ctx, site, env, section)
    home.build(ctx, site, env, registry.HOME_INPUTS)
    site.nav = [("Главная", registry.HOME)] + [(s.title, s.path) for s in sections]
    for name in STATIC:
        site.assets[f"assets/{name}"] = (TEMPLATES_DIR / name).read_bytes()
    site.charts = ctx.charts
    return site, ctx
