"""Главная: the municipality in numbers, what the programme is, where to look next."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from kachestvo import fmt, transform, vocabulary
from kachestvo.pages.context import INFERRED, Context, cell
from kachestvo.pages.render import page


def build(ctx: Context, site, env, inputs: tuple[str, ...]) -> None:
    """The home page, linking every published section of the registry (`ctx.sections`); `inputs`: its declared tables."""
    sections = ctx.sections
    ds, m = ctx.ds, ctx.municipality
    fig = _low_results_figure(ctx)
    intro_file = ds.project.content / "index.md"
    intro = Markup(_intro(ds, intro_file.read_text(encoding="utf-8"))) if intro_file.is_file() else ""
    listed = transform.low_result_school_ids(ds["list_membership"], ds["classifications"])
    sizes = _list_sizes(ctx, listed)
    slugs = {s.slug for s in sections}
    page(
        site,
        env,
        "index.md",
        "home.md.j2",
        "data/" + ", ".join(f"{t}.csv" for t in inputs),  # the «built from» line names what the page reads
        intro=intro,
        inputs=inputs,
        m=m,
        schools=len(ds["schools"]),
        municipalities=len(ctx.municipalities),
        listed=len(listed),
        sizes=sizes,
        publishes=_publishes(ds, slugs),
        instead=[(f"{s.slug}/", INSTEAD[s.slug]) for s in sections if s.slug in INSTEAD],
        links={slug: f"{slug}/" for slug in slugs},
        fig=fig,
        programmes=ds["programmes"].to_dict("records"),
        sections=[(s.title, f"{s.slug}/", s.describe(ds)) for s in sections],
        activities=len(ds["activities"]),
        documents=len(ds["documents"]),
    )


# What a site without school pages publishes instead (in the accusative: «Сайт публикует программу, …»)
INSTEAD = {
    "programma": "программу",
    "rezultaty": "результаты",
    "meropriyatiya": "мероприятия",
    "sobytiya": "события",
    "resheniya": "решения и рекомендации",
    "dokumenty": "документы-источники",
}


def _low_results_figure(ctx: Context) -> dict | None:
    """The chart and table of schools included in and excluded from the low-results lists by year; None without any."""
    ds = ctx.ds
    by_year = transform.low_result_schools_by_year(ds["list_membership"], ds["classifications"], ds["list_sizes"])
    if by_year.empty:
        return None
    included = "в списках ШНОР/ШНСУ или отнесены к ШНОР при идентификации"
    frame = pd.concat(
        [
            by_year.assign(series=included, value=by_year["included"], inferred=by_year["included_inferred"]),
            by_year.assign(series="исключены из списков", value=by_year["excluded"], inferred=by_year["excluded_inferred"]),
        ]
    )
    frame["value_missing"] = None
    return ctx.figure(
        "bars",
        frame.to_dict("records"),
        vocabulary.PEOPLE,
        "Школы с низкими результатами (ШНОР/ШНСУ) по годам",
        " ".join(
            f"{int(r.year)}: включено {r.included}{_marked(r.included_inferred)}, "
            f"исключено {r.excluded}{_marked(r.excluded_inferred)}."
            for r in by_year.itertuples()
        ),
        y_title="Число школ",
        documents=sorted(
            set(ds["list_membership"]["document_id"].dropna())
            | set(ds["classifications"]["document_id"].dropna())
            | set(ds["list_sizes"]["document_id"].dropna())
        ),
        value_cell=lambda r: cell(r, vocabulary.PEOPLE).replace(f"{fmt.NBSP}чел.", ""),  # schools, not people
    )


def _marked(reason: str | None) -> str:
    """« (по косвенным данным)» after a count that rests on years the source does not state."""
    return f" ({INFERRED})" if reason else ""


def _list_sizes(ctx: Context, listed) -> dict | None:
    """The latest year whose lists' sizes the source states: the count with its breakdown; None when none is stated."""
    stated = transform.list_sizes_by_year(ctx.ds["list_sizes"])
    if not stated:
        return None
    year = max(stated)
    parts = []
    for name, n, other, shared, _ in stated[year]["lists"]:
        parts.append(f"«{name}» — {n}" + (f" (из них {shared} и в «{other}»)" if other and shared else ""))
    docs = sorted({d for *_, d in stated[year]["lists"] if d})
    return dict(
        year=year,
        total=max(stated[year]["total"], len(listed)),
        parts=", ".join(parts),
        named=len(listed),
        docs=[ctx.doc_link(d, "") for d in docs],
    )


def _publishes(ds, slugs: set[str]) -> list[str]:
    """What the site holds, in the words of the home page's lead: only what a built page shows."""
    programme = "программа и её выполнение" if ds.has("indicator_values") or ds.has("roadmap") else "программа"
    shown = [
        ("shkoly" in slugs, "какие это школы и почему"),
        (ds.has("results") and ds["results"]["school_id"].notna().any(), "их результаты по годам"),
        ("programma" in slugs, programme),
        ("meropriyatiya" in slugs or "sobytiya" in slugs, "что сделано"),
        ("resheniya" in slugs, "какие приняты решения"),
        ("dokumenty" in slugs, "документы, на которых всё это основано"),
    ]
    return [words for held, words in shown if held]


def _intro(ds, text: str) -> str:
    """content/index.md, hand-written: wrapped for the HTML allowlist unless the project allows raw HTML."""
    from kachestvo import config
    from kachestvo.output.sanitise import wrap

    allowed = not config.problems(ds.descriptor) and config.settings(ds.descriptor)["allow_raw_html"]
    return text.strip() if allowed else wrap(text).strip()
