"""Школы: the table of all schools, and one page per school."""
from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from . import fmt, transform
from .context import Context
from .escape import text
from .render import page, root_of

RESULT_TITLES = {"средняя оценка": "Средняя оценка", "средний балл": "Средний балл"}


def build(ctx: Context, site, env) -> None:
    ds = ctx.ds
    if not ds.has("schools"):
        return
    root = root_of("shkoly/index.md")
    clusters = transform.by_id(ds["clusters"], "cluster_id")
    groups = _groups(ds)
    rows = []
    for s in ds["schools"].itertuples():
        lists = transform.current_lists(ds["list_membership"], s.school_id)
        cls = ds["classifications"][ds["classifications"]["school_id"] == s.school_id].sort_values("year").tail(1)
        rows.append({"attrs": {"data-school": s.school_id}, "cells": [
            ctx.school_link(s.school_id, root), s.level,
            text(clusters.get(s.cluster_id, {}).get("name")) if isinstance(s.cluster_id, str) else "",
            text("; ".join(lists)) if lists else Markup('<span class="kq-missing">нет</span>'),
            _group_cell(cls), text(groups.get(s.school_id, {}).get("name", ""))]})
    page(site, env, "shkoly/index.md", "schools.md.j2", "data/schools.csv, list_membership.csv, classifications.csv",
         rows=rows, ctx=ctx, partner_groups=_partner_groups(ctx, root), clusters=list(clusters.values()))
    site.nav.append(("Школы", "shkoly/index.md"))
    for school_id in ctx.schools:
        _school_page(ctx, site, env, school_id, groups)


def _group_cell(cls: pd.DataFrame):
    if cls.empty:
        return ""
    r = cls.iloc[0]
    q = f"ГК {r['quality_group']}" if pd.notna(r["quality_group"]) else f"ГК: {r['quality_missing']}"
    i = f"ИСБШ {r['isbsh_group']}" if pd.notna(r["isbsh_group"]) else f"ИСБШ: {r['isbsh_missing']}"
    return text(f"{q}; {i} ({int(r['year'])})")


def _groups(ds) -> dict[str, dict]:
    groups = transform.by_id(ds["partner_groups"], "group_id")
    return {m.school_id: dict(groups.get(m.group_id, {}), role=m.role)
            for m in ds["partner_group_members"].itertuples()}


def _partner_groups(ctx: Context, root: str) -> list[dict]:
    ds = ctx.ds
    out = []
    for g in ds["partner_groups"].itertuples():
        members = ds["partner_group_members"][ds["partner_group_members"]["group_id"] == g.group_id]
        out.append(dict(name=g.name, principle=g.principle, note=g.note, members=[
            Markup("{}{}").format(ctx.school_link(m.school_id, root),
                                  Markup(" — <strong>ресурсный центр</strong>") if m.role == "ресурсный центр" else "")
            for m in members.itertuples()]))
    return out


def _school_page(ctx: Context, site, env, school_id: str, groups: dict) -> None:
    ds, path = ctx.ds, f"shkoly/{school_id}.md"
    root = root_of(path)
    school = ctx.schools[school_id]
    of = lambda name: ds[name][ds[name]["school_id"] == school_id]  # noqa: E731
    memberships = of("list_membership").sort_values(["year", "list"])
    status_rows = [{"cells": [str(r.year), text(r.list), r.status, fmt.date_short(r.date), text(r.reason),
                              ctx.doc_link(r.document_id, root)]} for r in memberships.itertuples()]
    cls_rows = [{"cells": [str(r.year), _grp(r.quality_group, r.quality_level, r.quality_missing),
                           _grp(r.isbsh_group, r.isbsh_level, r.isbsh_missing), fmt.number(r.identification_score),
                           text(r.identification_result), ctx.doc_link(r.document_id, root)]}
                for r in of("classifications").sort_values("year").itertuples()]
    acts = of("activities").sort_values(["order", "activity_id"], na_position="last")
    activity_rows = [{"cells": [text(a.title), text(a.period), text(a.result), text(a.responsible),
                                text(a.evidence)]} for a in acts.itertuples()]
    partnerships = ds["partnerships"][(ds["partnerships"]["school_id"] == school_id)
                                      | (ds["partnerships"]["partner_school_id"] == school_id)]
    partner_rows = [{"cells": [text(p.kind), ctx.school_link(p.partner_school_id, root) if isinstance(
        p.partner_school_id, str) else text(p.partner_name), text(p.partner_role), fmt.date_short(p.date),
        text(p.description), ctx.doc_link(p.document_id, root)]} for p in partnerships.itertuples()]
    group = groups.get(school_id)
    group_members = [] if not group else [
        ctx.school_link(m.school_id, root) for m in ds["partner_group_members"].itertuples()
        if m.group_id == group["group_id"] and m.school_id != school_id]
    doc_ids = _document_ids(ds, school_id)
    page(site, env, path, "school.md.j2", f"data/*.csv (school_id = {school_id})", ctx=ctx, school=school,
         branch=ctx.school_link(school["branch_of"], root) if school["branch_of"] else None,
         branches=[ctx.school_link(b, root) for b, s in ctx.schools.items() if s["branch_of"] == school_id],
         website=school["website"], lists=transform.current_lists(ds["list_membership"], school_id),
         status_rows=status_rows, cls_rows=cls_rows, figures=_figures(ctx, of("results"), school["short_name"]),
         activity_rows=activity_rows, partner_rows=partner_rows, group=group, group_members=group_members,
         recommendations=of("recommendations").sort_values("order").to_dict("records"),
         documents=[ctx.doc_link(d, root) for d in doc_ids])


def _grp(group, level, missing):
    if pd.isna(group):
        return Markup('<span class="kq-missing">{}</span>').format(missing or "нет данных")
    return text(f"{group}" + (f" ({level})" if isinstance(level, str) else ""))


def _figures(ctx: Context, results: pd.DataFrame, name: str) -> list[dict]:
    out = []
    frame = transform.series(results)
    for (assessment, metric, unit), g in frame.groupby(["assessment", "metric", "unit"], sort=True):
        caption = f"{assessment} — {metric}, {name}"
        fig = ctx.figure("lines", g, unit, caption, _summary(g, unit))
        out.append(dict(fig, heading=f"{assessment} — {metric}"))
    return out


def _summary(g: pd.DataFrame, unit: str) -> str:
    parts = []
    for series, s in g.groupby("series", sort=False):
        held = s[s["value"].notna()].sort_values("year")
        if held.empty:
            parts.append(f"{series}: значений нет ({', '.join(sorted(set(s['value_missing'].dropna())))}).")
        elif len(held) == 1:
            r = held.iloc[0]
            parts.append(f"{series}: {fmt.value(r['value'], unit)} в {int(r['year'])} году.")
        else:
            a, b = held.iloc[0], held.iloc[-1]
            parts.append(f"{series}: {fmt.value(a['value'], unit)} в {int(a['year'])} году, "
                         f"{fmt.value(b['value'], unit)} в {int(b['year'])} году.")
    return " ".join(parts)


def _document_ids(ds, school_id: str) -> list[str]:
    ids: set[str] = set()
    for name in ("list_membership", "classifications", "results", "activities", "partnerships", "recommendations"):
        t = ds[name]
        ids |= set(t.loc[t["school_id"] == school_id, "document_id"].dropna())
    return sorted(ids)
