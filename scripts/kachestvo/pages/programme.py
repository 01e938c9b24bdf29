"""Программа: passport, tasks, the indicator scorecard and the roadmap, for each programme."""

from __future__ import annotations

from markupsafe import Markup

from kachestvo import fmt, indicator_values, transform, vocabulary
from kachestvo.escape import text
from kachestvo.indicator_values import span
from kachestvo.pages.context import Context
from kachestvo.pages.render import root_of, section_page
from kachestvo.pages.section import Section
from kachestvo.pages.table import Column, Table
from kachestvo.phrases import indicator_value
from kachestvo.vocabulary import (
    AT_LEAST,
    AT_MOST,
    INDICATOR_STATUSES,
    INDICATOR_UNITS,
    INFORMATIONAL,
    NOT_ACHIEVED,
    PROGRESS,
    RANGE,
    YES_NO,
)

STATUS_CLASS = INDICATOR_STATUSES
UNIT_LABEL = INDICATOR_UNITS


def build(ctx: Context, site, env, section: Section) -> None:
    ds = ctx.ds
    root = root_of(section.path)
    cards = {c["indicator_id"]: c for c in transform.scorecard(ds)}
    many = len(ds["programmes"]) > 1
    programmes = [_programme(ctx, p, cards, many, root) for p in ds["programmes"].sort_values("start_year").itertuples()]
    counts = _status_counts(cards.values())
    progress = {k: sum(c["progress"] == k for c in cards.values()) for k in PROGRESS}
    section_page(
        site,
        env,
        section,
        programmes=programmes,
        counts=counts,
        progress={k: n for k, n in progress.items() if n},
        substantial=fmt.number(indicator_values.SUBSTANTIAL * 100, 0),
        still=fmt.number(indicator_values.STILL * 100, 0),
    )


def _programme(ctx: Context, p, cards: dict, many: bool, root: str) -> dict:
    """A programme: its passport and, per task, the indicator scorecard and the roadmap."""
    ds = ctx.ds
    years = list(range(int(p.start_year), int(p.end_year) + 1))
    tasks = ds["tasks"][ds["tasks"]["programme_id"] == p.programme_id].sort_values("order")
    # with several programmes each caption names its programme (a title ending in «г.» keeps its own dot)
    prefix = (p.title + (" " if p.title.endswith(".") else ". ")) if many else ""
    passport = ds["passport"][ds["passport"]["programme_id"] == p.programme_id].sort_values("order")
    return dict(
        id=p.programme_id,
        title=p.title,
        start=p.start_year,
        end=p.end_year,
        note=p.note,
        doc=ctx.doc_link(p.document_id, root),
        approved=ctx.doc_link(p.approved_by, root) if isinstance(p.approved_by, str) else None,
        passport=Table(
            [Column("Раздел", lambda r: text(r.section)), Column("Содержание", lambda r: text(r.text))],
            passport.itertuples(),
            caption=f"{prefix}Паспорт программы",
        ),
        tasks=[_task(ctx, t, years, prefix, cards, root) for t in tasks.itertuples()],
    )


def _task(ctx: Context, t, years: list[int], prefix: str, cards: dict, root: str) -> dict:
    """A task of a programme: its indicators' plan and fact by year, and its roadmap."""
    ds = ctx.ds
    indicators = ds["indicators"]
    return dict(
        id=f"zadacha-{t.task_id}",  # a heading with an id is a section of the search index: a result leads to its task
        order=t.order,
        text=t.text,
        indicators=Table(
            _indicator_columns(ctx, years, root),
            [cards[i] for i in indicators[indicators["task_id"] == t.task_id].sort_values("order")["indicator_id"]],
            caption=f"{prefix}Задача {t.order}: показатели, план и факт по годам",
            cls="kq-scorecard",
        ),
        roadmap=Table(
            _roadmap_columns(ds, years),
            ds["roadmap"][ds["roadmap"]["task_id"] == t.task_id].itertuples(),
            caption=f"{prefix}Задача {t.order}: дорожная карта",
        ),
    )


MARKS = {
    vocabulary.ACHIEVED: "✓",
    vocabulary.NOT_ACHIEVED: "✗",
    vocabulary.NOT_DUE: "◷",
    vocabulary.NO_DATA_YET: "?",
    vocabulary.NOT_JUDGED: "·",
}


def _indicator_columns(ctx: Context, years: list[int], root: str) -> list[Column]:
    """One row per indicator card: per year «план · факт» and a status mark; the evidence and documents once."""
    return (
        [
            Column(
                "Показатель",
                lambda c: Markup('<span class="kq-sub">{}</span>').format(c["text"]) if c["parent_id"] else text(c["text"]),
            ),
            Column("Единица", lambda c: UNIT_LABEL[c["unit"]]),
            Column("Что лучше", lambda c: DIRECTION_WORDS[c["direction"]]),
        ]
        + [Column(str(y), lambda c, y=y: _plan_fact(c, y)) for y in years]
        + [
            Column("Прогресс за период", lambda c: text(c["progress"])),
            Column("Подтверждение", lambda c: _evidence(ctx, c, root)),
        ]
    )


# how each direction reads beside the target
DIRECTION_WORDS = {
    AT_LEAST: "больше — лучше",
    AT_MOST: "меньше — лучше",
    YES_NO: vocabulary.YES_NO_UNIT,
    RANGE: "в пределах плана",
    INFORMATIONAL: vocabulary.INFORMATIONAL,
}


def _plan_fact(card: dict, year: int) -> Markup:
    v = {y["year"]: y for y in card["years"]}.get(year)
    if v is None:
        return Markup('<span class="kq-missing">нет плана</span>')
    actual = indicator_value(v["actual"], card["unit"]) if v["actual"] is not None else "—"
    status = v["status"]
    gap = _shortfall(v, card)
    return Markup(
        'план\u00a0{} · факт\u00a0{}\u00a0<span class="kq-mark kq-{}" title="{}">{}<span class="kq-sr"> {}</span></span>{}'
    ).format(
        _target(v["target"], card),
        actual,
        STATUS_CLASS[v["status"]],
        status,
        MARKS[v["status"]],
        status,
        Markup(' <small class="kq-gap">({})</small>').format(gap) if gap else "",
    )


def _shortfall(v: dict, card: dict) -> str:
    """How far a missed target is: «до плана 5 п. п.» (percent), «до плана 2» (numbers); "" otherwise."""
    if v["status"] != NOT_ACHIEVED or card["unit"] == vocabulary.YES_NO_UNIT:
        return ""
    gap = indicator_values.shortfall(v["actual"], v["target"], card["unit"], card["direction"])
    if gap is None:
        return ""
    unit = "\u00a0п.\u00a0п." if card["unit"] == vocabulary.PERCENT else ""
    return f"до плана {fmt.number(gap, 1)}{unit}"


def _target(target, card: dict) -> str:
    """A target as its direction reads it: «не менее 80 %», «не более 5», «80–100 %», «да»."""
    way = card["direction"]
    if way == RANGE and span(target) is not None:
        low, high = span(target)
        return f"{indicator_value(str(low), card['unit'])}–{indicator_value(str(high), card['unit'])}"
    shown = indicator_value(target, card["unit"])
    return f"{way}\u00a0{shown}" if way in (AT_LEAST, AT_MOST) else shown


def _evidence(ctx: Context, card: dict, root: str) -> Markup:
    docs = list(dict.fromkeys(v["document_id"] for v in card["years"] if v["document_id"]))
    evidence = [text(card["evidence"])] if card["evidence"] else []
    evidence += [ctx.doc_link(d, root) for d in docs]
    return Markup("<br>").join(evidence)


def _roadmap_columns(ds, years: list[int]) -> list[Column]:
    """A roadmap item's columns; each year shows the item's milestone of that year (text and term), if any."""
    ms = ds["roadmap_milestones"]

    def milestone(it, year: int):
        mine = ms[ms["item_id"] == it.item_id].set_index("year")
        if year not in mine.index:
            return ""
        m = mine.loc[year]
        return text("\n".join(b for b in (m["text"], m["term"]) if isinstance(b, str)))

    return (
        [
            Column("№", lambda it: text(it.number)),
            Column("Мероприятие", lambda it: text(it.activity)),
            Column("Сроки", lambda it: text(it.term)),
        ]
        + [Column(str(y), lambda it, y=y: milestone(it, y)) for y in years]
        + [
            Column("Ответственный", lambda it: text(it.responsible)),
            Column("Документ, закрепляющий результат", lambda it: text(it.result_document)),
        ]
    )


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
    parts=(
        ("programmes", "программы и их сроки"),
        ("passport", "паспорт"),
        ("indicator_values", "показатели с планом и фактом"),
        ("roadmap", "дорожная карта"),
    ),
)
