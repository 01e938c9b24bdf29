"""Программа: passport, tasks, the indicator scorecard and the roadmap, for each programme."""

from __future__ import annotations

from markupsafe import Markup

from kachestvo import transform
from kachestvo.escape import text
from kachestvo.indicator_values import parse
from kachestvo.pages.context import Context
from kachestvo.pages.registry import Section
from kachestvo.pages.render import root_of, section_page
from kachestvo.vocabulary import INDICATOR_STATUSES, INDICATOR_UNITS

STATUS_CLASS = INDICATOR_STATUSES
UNIT_LABEL = INDICATOR_UNITS


def build(ctx: Context, site, env, section: Section) -> None:
    ds = ctx.ds
    root = root_of(section.path)
    cards = {c["indicator_id"]: c for c in transform.scorecard(ds)}
    programmes = []
    for p in ds["programmes"].sort_values("start_year").itertuples():
        years = list(range(int(p.start_year), int(p.end_year) + 1))
        tasks = ds["tasks"][ds["tasks"]["programme_id"] == p.programme_id].sort_values("order")
        programmes.append(
            dict(
                title=p.title,
                start=p.start_year,
                end=p.end_year,
                note=p.note,
                doc=ctx.doc_link(p.document_id, root),
                passport=[
                    {"cells": [text(r.section), text(r.text)]}
                    for r in ds["passport"][ds["passport"]["programme_id"] == p.programme_id].sort_values("order").itertuples()
                ],
                tasks=[
                    dict(
                        order=t.order,
                        text=t.text,
                        indicators=[
                            _indicator_row(ctx, cards[i], years, root)
                            for i in ds["indicators"][ds["indicators"]["task_id"] == t.task_id].sort_values("order")[
                                "indicator_id"
                            ]
                        ],
                        roadmap=_roadmap(ds, t.task_id, years),
                    )
                    for t in tasks.itertuples()
                ],
                years=years,
            )
        )
    counts = _status_counts(cards.values())
    section_page(site, env, section, programmes=programmes, counts=counts)


MARKS = {"достигнут": "✓", "не достигнут": "✗", "срок не наступил": "◷", "нет данных": "?"}


def _indicator_row(ctx: Context, card: dict, years: list[int], root: str) -> dict:
    """One row per indicator: per year «план · факт» and a status mark; the evidence and documents once per row."""
    by_year = {y["year"]: y for y in card["years"]}
    cells = [
        Markup('<span class="kq-sub">{}</span>').format(card["text"]) if card["parent_id"] else text(card["text"]),
        UNIT_LABEL[card["unit"]],
    ]
    for y in years:
        v = by_year.get(y)
        if v is None:
            cells.append(Markup('<span class="kq-missing">нет плана</span>'))
            continue
        actual = _show(v["actual"], card["unit"]) if v["actual"] is not None else "—"
        cells.append(
            Markup(
                'план\u00a0{} · факт\u00a0{}\u00a0<span class="kq-mark kq-{}" title="{}">{}<span class="kq-sr"> {}</span></span>'
            ).format(
                _show(v["target"], card["unit"]), actual, STATUS_CLASS[v["status"]], v["status"], MARKS[v["status"]], v["status"]
            )
        )
    docs = list(dict.fromkeys(v["document_id"] for v in card["years"] if v["document_id"]))
    evidence = [text(card["evidence"])] if card["evidence"] else []
    evidence += [ctx.doc_link(d, root) for d in docs]
    return {"cells": cells + [Markup("<br>").join(evidence)]}


def _show(value, unit: str) -> str:
    parsed = parse(value, unit)
    if parsed is None or unit == "да/нет":
        return str(value)
    from kachestvo.fmt import NBSP, number

    return f"{number(parsed, 1)}{NBSP}%" if unit == "процент" else number(parsed, 2)


def _roadmap(ds, task_id: str, years: list[int]) -> list[dict]:
    items = ds["roadmap"][ds["roadmap"]["task_id"] == task_id]
    ms = ds["roadmap_milestones"]
    rows = []
    for it in items.itertuples():
        mine = ms[ms["item_id"] == it.item_id].set_index("year")
        cells = [text(it.number), text(it.activity), text(it.term)]
        for y in years:
            if y in mine.index:
                m = mine.loc[y]
                bits = [b for b in (m["text"], m["term"]) if isinstance(b, str)]
                cells.append(text("\n".join(bits)))
            else:
                cells.append("")
        rows.append({"cells": cells + [text(it.responsible), text(it.result_document)]})
    return rows


def _status_counts(cards) -> dict[str, int]:
    counts = {k: 0 for k in STATUS_CLASS}
    for c in cards:
        for y in c["years"]:
            counts[y["status"]] += 1
    return counts


SECTION = Section(
    "programma",
    "Программа",
    "паспорт, показатели с планом и фактом, дорожная карта",
    ("programmes", "passport", "tasks", "indicators", "indicator_values", "roadmap", "roadmap_milestones", "documents"),
    "programme.md.j2",
    build,
    requires=("programmes",),
)
