"""Результаты: results across schools and years, identification by cluster, derived indicators."""

from __future__ import annotations

from kachestvo import fmt, transform, vocabulary
from kachestvo.dataset import DECIMALS
from kachestvo.escape import is_missing, text
from kachestvo.pages import applicable
from kachestvo.pages.context import CLASSIFICATION_COLUMNS, Context, cell
from kachestvo.pages.render import root_of, section_page
from kachestvo.pages.section import Section
from kachestvo.pages.table import Column, Table, spill


def build(ctx: Context, site, env, section: Section) -> None:
    ds = ctx.ds
    root = root_of(section.path)
    shown, left_out = _applicable(ctx)
    groups, published = _grouped(ctx.municipal_results + shown)
    sections = [
        _assessment_section(ctx, site, root, key, series, n, published.get(key, []))
        for n, (key, series) in enumerate(sorted(groups.items()), start=1)
    ]
    ids = transform.low_result_school_ids(ds["list_membership"], ds["classifications"]) or set(ctx.schools)
    section_page(
        site,
        env,
        section,
        sections=sections,
        left_out=left_out,
        identification=_identification(ctx, root),
        derived=_derived(ds, ids),
        listed=bool(transform.low_result_school_ids(ds["list_membership"], ds["classifications"])),
        criteria=_criteria(ds, "идентификация"),
        district_average=ctx.district_average,
    )


def _grouped(rows: list[dict]) -> tuple[dict, dict]:
    """Rows by (assessment, metric, unit): the schools' as {(school_id, series label): {year: row}}, and the
    published municipal ones as a list with their series label."""
    groups: dict[tuple, dict[tuple, dict[int, dict]]] = {}
    published: dict[tuple, list[dict]] = {}
    for r in rows:
        key = (r["assessment"], r["metric"], r["unit"])
        if r["municipality_id"] is not None:
            published.setdefault(key, []).append(dict(r, series=transform.series_label(r)))
            continue
        groups.setdefault(key, {}).setdefault((r["school_id"], transform.series_label(r)), {})[int(r["year"])] = r
    return groups, published


def _assessment_section(ctx: Context, site, root: str, key: tuple, series: dict, n: int, municipal: list[dict]) -> dict:
    """The n-th heading of the page: a metric of an assessment by school and year, how many schools each year
    covers, and the published municipal average as a chart."""
    assessment, metric, unit = key
    years = sorted({y for cells in series.values() for y in cells})
    # a record: ((school_id, series label), {year: result row})
    columns = [
        Column("Школа", lambda s: ctx.school_link(s[0][0], root)),
        Column("Процедура и предмет", lambda s: text(s[0][1])),
    ]
    columns += [Column(str(y), lambda s, y=y, unit=unit: cell(s[1].get(y), unit)) for y in years]
    heading = f"{assessment} — {metric}"
    table = spill(
        site,
        Table(
            columns,
            sorted(series.items()),
            attrs=lambda s: {"data-school": s[0][0]},
            caption=f"{heading}: по школам",
            sortable=True,
        ),
        f"rezultaty/po-shkolam-{n}.csv",
        root,
    )
    counts = _coverage(series, years)
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
    return dict(heading=heading, table=table, fig=fig, counts=counts)


def _coverage(series: dict, years: list[int]) -> str:
    """How many schools each year's figures cover: a comparison across years is like with like only if it is the same."""
    counted = {y: {sid for (sid, _), cells in series.items() if y in cells and not is_missing(cells[y]["value"])} for y in years}
    return "; ".join(f"{y} — {_count(counted[y], [c[y] for c in series.values() if y in c])}" for y in years)


DERIVED_COLUMNS = [
    Column("Предмет", lambda r: text(r.subject)),
    Column("Показатель", lambda r: text(r.metric)),
    Column("Годы", lambda r: r.years),
    Column("Школ с улучшением", lambda r: str(r.improved)),
    Column("Школ с данными", lambda r: str(r.schools)),
    Column("Доля с положительной динамикой", lambda r: fmt.number(r.share * 100, 1) + fmt.NBSP + "%"),
]


def _derived(ds, ids: set) -> list[Table]:
    """Per assessment, the share of the schools with a positive dynamics."""
    derived = []
    for assessment in (vocabulary.OGE, vocabulary.EGE, vocabulary.VPR):
        d = transform.positive_dynamics_share(ds["results"], ids, assessment)
        if not d.empty:
            derived.append(Table(DERIVED_COLUMNS, d.itertuples(), caption=f"{assessment}: доля школ с положительной динамикой"))
    return derived


def _applicable(ctx: Context) -> tuple[list[dict], str]:
    """The schools' results rows the page shows (pages.applicable, school by school), and one sentence naming the
    schools whose results were left out (or how many, when there are many)."""
    by_school: dict[str, list[dict]] = {}
    for r in ctx.records("results"):
        if r["municipality_id"] is None:
            by_school.setdefault(r["school_id"], []).append(r)
    shown, names = [], []
    for school_id, rows in by_school.items():
        school = ctx.schools.get(school_id) or {}
        kept, reasons = applicable.split(rows, school.get("level"))
        shown += kept
        if reasons:
            names.append(f"{school.get('short_name', school_id)} — {', '.join(reasons)}")
    if not names:
        return shown, ""
    why = "в школе нет такого класса или участников не было ни в одном году; подробнее — на страницах школ"
    if len(names) > 10:
        return shown, f"Не показаны результаты, которых у школ нет ({why}): у {fmt.plural(len(names), 'школа')}."
    return shown, f"Не показаны результаты, которых у школ нет ({why}): {'; '.join(sorted(names))}."


def _count(schools: set, rows: list[dict]) -> str:
    """Schools with a result in a year, or «не проводилось» when no school has one because it was not held."""
    if not schools and rows and all(r["value_missing"] == vocabulary.NOT_HELD for r in rows):
        return vocabulary.NOT_HELD
    return str(len(schools))


def _published_summary(rows: list[dict], unit: str) -> str:
    held = sorted((r for r in rows if not is_missing(r["value"])), key=lambda r: (r["series"], r["year"]))
    return " ".join(f"{r['series']}, {r['year']}: {fmt.value(r['value'], unit, r.get(DECIMALS))}." for r in held)


def _identification(ctx: Context, root: str) -> list[Table]:
    ds = ctx.ds
    cls = ds["classifications"].merge(ds["schools"][["school_id", "cluster_id"]], on="school_id", how="left")
    clusters = transform.by_id(ds["clusters"], "cluster_id")
    columns = [Column("Школа", lambda r: ctx.school_link(r["school_id"], root))] + CLASSIFICATION_COLUMNS
    out = []
    for cluster_id, g in cls.groupby(cls["cluster_id"].fillna("—"), sort=True):
        name = clusters.get(cluster_id, {}).get("name") or "Без кластера"
        records = g.sort_values(["year", "identification_score"], ascending=[True, False]).to_dict("records")
        out.append(Table(columns, records, caption=f"Кластер: {name}"))
    return out


def _criteria(ds, purpose: str) -> Table:
    c = ds["criteria"][ds["criteria"]["purpose"] == purpose].sort_values("order")
    return Table(
        [Column("Критерий", lambda r: text(r.criterion)), Column("Показатели", lambda r: text(r.indicator))],
        c.itertuples(),
        caption="Критерии и показатели идентификации",
    )


SECTION = Section(
    "rezultaty",
    "Результаты",
    "ВПР, ОГЭ, ЕГЭ, ГВЭ по годам, идентификация, производные показатели",
    ("results", "classifications", "criteria", "clusters", "list_membership"),
    "results.md.j2",
    build,
    requires=("results", "classifications"),
    parts=(
        ("results", "результаты оценочных процедур по годам"),
        ("classifications", "идентификация школ"),
    ),
)
