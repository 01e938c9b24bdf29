"""Главная: the municipality in numbers, what the programme is, where to look next."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from kachestvo import fmt, transform
from kachestvo.pages.context import Context, cell
from kachestvo.pages.render import page

# The tables the home page reads (its history line names them).
INPUTS = ("municipality", "schools", "list_membership", "classifications", "programmes", "activities", "documents")


def build(ctx: Context, site, env, sections: list) -> None:
    """The home page, linking every published section of the registry."""
    ds, m = ctx.ds, ctx.municipality
    by_year = transform.low_result_schools_by_year(ds["list_membership"], ds["classifications"])
    fig = None
    if not by_year.empty:
        included = "в списках ШНОР/ШНСУ или отнесены к ШНОР при идентификации"
        frame = pd.concat(
            [
                by_year.assign(series=included, value=by_year["included"]),
                by_year.assign(series="исключены из списков", value=by_year["excluded"]),
            ]
        )
        frame["value_missing"] = None
        fig = ctx.figure(
            "bars",
            frame.to_dict("records"),
            "человек",
            "Школы с низкими результатами (ШНОР/ШНСУ) по годам",
            " ".join(f"{int(r.year)}: включено {r.included}, исключено {r.excluded}." for r in by_year.itertuples()),
            y_title="Число школ",
            documents=sorted(
                set(ds["list_membership"]["document_id"].dropna()) | set(ds["classifications"]["document_id"].dropna())
            ),
            value_cell=lambda r: str(cell(r, "человек")).replace(f"{fmt.NBSP}чел.", ""),  # counts of schools, not people
        )
    intro_file = ds.project.content / "index.md"
    intro = Markup(_intro(ds, intro_file.read_text(encoding="utf-8"))) if intro_file.is_file() else ""
    listed = transform.low_result_school_ids(ds["list_membership"], ds["classifications"])
    page(
        site,
        env,
        "index.md",
        "home.md.j2",
        "data/municipality.csv, schools.csv, list_membership.csv",
        intro=intro,
        inputs=INPUTS,
        m=m,
        schools=len(ds["schools"]),
        municipalities=len(ctx.municipalities),
        listed=len(listed),
        fig=fig,
        programmes=ds["programmes"].to_dict("records"),
        sections=[(s.title, f"{s.slug}/", s.blurb) for s in sections],
        activities=len(ds["activities"]),
        documents=len(ds["documents"]),
    )


def _intro(ds, text: str) -> str:
    """content/index.md, hand-written: wrapped for the HTML allowlist unless the project allows raw HTML."""
    from kachestvo import config
    from kachestvo.output.sanitise import wrap

    allowed = not config.problems(ds.descriptor) and config.settings(ds.descriptor)["allow_raw_html"]
    return text.strip() if allowed else wrap(text).strip()
