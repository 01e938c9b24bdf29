"""Результаты: results across schools and years, identification by cluster, derived indicators."""

from __future__ import annotations

from kachestvo import fmt, transform
from kachestvo.escape import is_missing, text
from kachestvo.pages.context import Context, cell, group_cell
from kachestvo.pages.registry import Section
from kachestvo.pages.render import root_of, section_page


def build(ctx: Context, site, env, section: Section) -> None:
    ds = ctx.ds
    root = root_of(section.path)
    groups: dict[tuple, dict[tuple, dict[int, dict]]] = {}
    published: dict[tuple, list[dict]] = {}
    for r in ctx.records("results"):
        key = (r["assessment"], r["metric"], r["unit"])
        if r["municipality_id"] is not None:
            published.setdefault(key, []).append(dict(r, series=transform.series_label(r)))
            continue
        groups.setdefault(key, {}).setdefault((r["school_id"], transform.series_label(r)), {})[int(r["year"])] = r
    sections = []
    for (assessment, metric, unit), series in sorted(groups.items()):
        years = sorted({y for cells in series.values() for y in cells})
        rows = [
            {
                "attrs": {"data-school": school_id},
                "cells": [ctx.school_link(school_id, root), text(label)] + [cell(cells.get(y), unit) for y in years],
            }
            for (school_id, label), cells in sorted(series.items())
        ]
        # how many schools each year's figures cover: a comparison across years is like with like only if it is the same
        counted = {
            y: {sid for (sid, _), cells in series.items() if y in cells and not is_missing(cells[y]["value"])} for y in years
        }
        counts = "; ".join(f"{y} — {_count(counted[y], [c[y] for c in series.values() if y in c])}" for y in years)
        municipal = published.get((assessment, metric, unit), [])
        fig = None
        if municipal:
            fig = ctx.figure(
                "lines",
                municipal,
                unit,
                f"{assessment} — {metric}: {ctx.district_average}, опубликованное органом управления образованием",
                _published_summary(municipal, unit),
                root,
            )
        sections.append(dict(heading=f"{assessment} — {metric}", years=years, rows=rows, fig=fig, counts=counts))
    ids = transform.low_result_school_ids(ds["list_membership"], ds["classifications"]) or set(ctx.schools)
    derived = []
    for assessment in ("ОГЭ", "ЕГЭ", "ВПР"):
        d = transform.positive_dynamics_share(ds["results"], ids, assessment)
        if not d.empty:
            derived.append(
                dict(
                    assessment=assessment,
                    rows=[
                        {
                            "cells": [
                                text(r.subject),
                                text(r.metric),
                                r.years,
                                str(r.improved),
                                str(r.schools),
                                fmt.number(r.share * 100, 1) + fmt.NBSP + "%",
                            ]
                        }
                        for r in d.itertuples()
                    ],
                )
            )
    section_page(
        site,
        env,
        section,
        sections=sections,
        identification=_identification(ctx, root),
        derived=derived,
        listed=bool(transform.low_result_school_ids(ds["list_membership"], ds["classifications"])),
        criteria=_criteria(ds, "идентификация"),
        district_average=ctx.district_average,
    )


def _count(schools: set, rows: list[dict]) -> str:
    """Schools with a result in a year, or «не проводилось» when no school has one because it was not held."""
    if not schools and rows and all(r["value_missing"] == "не проводилось" for r in rows):
        return "не проводилось"
    return str(len(schools))


def _published_summary(rows: list[dict], unit: str) -> str:
    held = sorted((r for r in rows if not is_missing(r["value"])), key=lambda r: (r["series"], r["year"]))
    return " ".join(f"{r['series']}, {r['year']}: {fmt.value(r['value'], unit)}." for r in held)


def _identification(ctx: Context, root: str) -> list[dict]:
    ds = ctx.ds
    cls = ds["classifications"].merge(ds["schools"][["school_id", "cluster_id"]], on="school_id", how="left")
    clusters = transform.by_id(ds["clusters"], "cluster_id")
    out = []
    for cluster_id, g in cls.groupby(cls["cluster_id"].fillna("—"), sort=True):
        name = clusters.get(cluster_id, {}).get("name") or "Без кластера"
        rows = [
            {
                "cells": [
                    ctx.school_link(r.school_id, root),
                    str(r.year),
                    group_cell(r.quality_group, r.quality_level, r.quality_missing),
                    group_cell(r.isbsh_group, r.isbsh_level, r.isbsh_missing),
                    fmt.number(r.identification_score),
                    text(r.identification_result),
                ]
            }
            for r in g.sort_values(["year", "identification_score"], ascending=[True, False]).itertuples()
        ]
        out.append(dict(name=name, rows=rows))
    return out


def _criteria(ds, purpose: str) -> list[dict]:
    c = ds["criteria"][ds["criteria"]["purpose"] == purpose].sort_values("order")
    return [{"cells": [text(r.criterion), text(r.indicator)]} for r in c.itertuples()]


SECTION = Section(
    "rezultaty",
    "Результаты",
    "ВПР, ОГЭ, ЕГЭ, ГВЭ по годам, идентификация, производные показатели",
    ("results", "classifications", "criteria", "clusters", "list_membership"),
    "results.md.j2",
    build,
    requires=("results", "classifications"),
)
