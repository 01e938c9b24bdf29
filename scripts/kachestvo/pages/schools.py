"""Школы: the table of all schools, and one page per school (plain records: linear in the number of schools)."""

from __future__ import annotations

import re

from markupsafe import Markup

from kachestvo import fmt, standing, transform, vocabulary
from kachestvo.escape import is_missing, text
from kachestvo.pages import activities, applicable, headline, report_card, table
from kachestvo.pages.context import CLASSIFICATION_COLUMNS, Context, inferred_mark, unit_title
from kachestvo.pages.render import finish, page, root_of, section_page
from kachestvo.pages.section import Section
from kachestvo.pages.table import Column, Table

DOC_TABLES = ("list_membership", "classifications", "results", "activities", "partnerships", "recommendations")
# The columns naming the school(s) a row of a table belongs to: a school page is dated only by the changes to its
# own rows there (and to rows of no school, such as a municipality's results); a branch's row and a partnership
# also reach the other school's page.
OWN_ROWS = {
    "schools": ("school_id", "branch_of"),
    "partnerships": ("school_id", "partner_school_id"),
    "partner_group_members": ("school_id", "group_id"),  # the other members of its group are named on the page
} | {t: ("school_id",) for t in DOC_TABLES if t != "partnerships"}


def build(ctx: Context, site, env, section: Section) -> None:
    root = root_of(section.path)
    clusters = transform.by_id(ctx.ds["clusters"], "cluster_id")
    groups = _groups(ctx)
    lists = {s: current_lists(ctx.of_school("list_membership", s)) for s in ctx.schools}
    schools = ctx.records("schools")

    def listing(records: list[dict], path: str) -> Table:
        return Table(
            _columns(ctx, root_of(path), clusters, groups, lists),
            records,
            attrs=lambda s: _school_attrs(ctx, s),
            caption="Школы",
            # the filter by municipality, where the list holds more than one
            cls="kq-by-municipality" if len({s["municipality_id"] for s in records}) > 1 and ctx.region_mode else "",
            sortable=True,
        )

    parts = []  # a region: the list of schools in parts (pages), each at most ROWS_ON_PAGE schools
    if len(schools) > table.ROWS_ON_PAGE:
        for n, (title, records) in enumerate(_parts(ctx, schools), 1):
            path = f"shkoly/spisok/{n}.md"
            parts.append(dict(href=f"{root}shkoly/spisok/{n}/", title=title, count=fmt.plural(len(records), "школа")))
            up = root_of(path) + "shkoly/"
            page(
                site,
                env,
                path,
                "schools_part.md.j2",
                section.source,
                section.inputs,
                title=title,
                up=up,
                schools=listing(records, path),
            )
    if parts:  # shkoly/spisok/ itself (a shortened address) lists the parts too
        index = "shkoly/spisok/index.md"
        links = [dict(p, href=p["href"].replace(root, root_of(index), 1)) for p in parts]
        page(site, env, index, "schools_parts.md.j2", section.source, section.inputs, parts=links, up=root_of(index) + "shkoly/")
    section_page(
        site,
        env,
        section,
        schools=None if parts else listing(schools, section.path),
        parts=parts,
        total=fmt.plural(len(schools), "школа"),
        by_municipality=ctx.region_mode,
        partner_groups=_partner_groups(ctx, root),
        clusters=list(clusters.values()),
    )
    for school_id in ctx.schools:
        _school_page_or_memo(ctx, site, env, section, school_id, groups)


def _school_page_or_memo(ctx: Context, site, env, section: Section, school_id: str, groups: dict) -> None:
    """A school's page, taken from the memo when nothing it is made from changed since the previous build."""
    path = f"shkoly/{school_id}.md"
    if site.memo is None:
        _school_page(ctx, site, env, section, school_id, groups)
        return
    key = site.memo.key(ctx, school_id)
    reused = site.memo.get(key, path)
    if reused is not None:  # nothing this page is made from changed since the previous build
        body, charts = reused
        finish(site, env, path, body, section.item_inputs, history_rows(ctx, school_id))
        site.reused_charts += charts
        return
    with ctx.making(path):
        body = _school_page(ctx, site, env, section, school_id, groups)
    site.memo.put(key, body, [c.key for c in ctx.page_charts.pop(path)])


def history_rows(ctx: Context, school_id: str) -> dict:
    """The rows a school's page is made from, for its history line (History.of_files): its own rows, and of the
    documents those cite, with the documents of the municipality's results (the averages beside the school's)."""
    cited = {r["document_id"] for name in DOC_TABLES for r in ctx.of_school(name, school_id) if r["document_id"]}
    cited |= {r["document_id"] for r in ctx.municipal_results if r["document_id"]}
    groups = {m["group_id"] for m in ctx.of_school("partner_group_members", school_id)}
    rows = {f"data/{t}.csv": (columns, frozenset({school_id} | groups)) for t, columns in OWN_ROWS.items()}
    rows["data/documents.csv"] = (("document_id",), frozenset(cited))
    return rows


def _columns(ctx: Context, root: str, clusters: dict, groups: dict, lists: dict) -> list[Column]:
    """The list of schools' columns; region mode adds the municipality (and a filter by it)."""
    place = [Column("Муниципалитет", lambda s: ctx.municipality_link(s["municipality_id"], root))] if ctx.region_mode else []
    return (
        [Column("Школа", lambda s: ctx.school_link(s["school_id"], root))]
        + place
        + [
            Column("Уровень", lambda s: s["level"]),
            Column("Кластер", lambda s: text(clusters.get(s["cluster_id"], {}).get("name"))),
            Column(
                "Статус",
                lambda s: text(
                    standing.decide(
                        ctx.of_school("list_membership", s["school_id"]), ctx.of_school("classifications", s["school_id"])
                    ).short
                ),
            ),
            Column(
                "Списки сейчас",
                lambda s: (
                    text("; ".join(lists[s["school_id"]]))
                    if lists[s["school_id"]]
                    else Markup('<span class="kq-missing">нет</span>')
                ),
            ),
            Column("Группы", lambda s: _latest_groups(ctx.of_school("classifications", s["school_id"]))),
            Column("Группа партнёрства", lambda s: text(groups.get(s["school_id"], {}).get("name"))),
        ]
    )


def _parts(ctx: Context, schools: list[dict]) -> list[tuple[str, list[dict]]]:
    """A long list of schools as (title, schools) parts of at most ROWS_ON_PAGE: in a region, by municipality (in
    the order of their names, as on the municipalities page); the schools of each in the alphabetical order of
    their short names (numbers in order: «№ 2» before «№ 10»); a part too long is cut, its title then naming its
    first and last school."""
    groups: dict = {}
    for s in schools:
        groups.setdefault(s["municipality_id"] if ctx.region_mode else None, []).append(s)
    names = {key: (ctx.municipalities.get(key) or {}).get("name") for key in groups}
    out = []
    for key in sorted(groups, key=lambda k: (names[k] is None, _natural(names[k] or ""))):
        out += _chunks(sorted(groups[key], key=lambda s: _natural(s["short_name"])), names[key])
    return out


def _chunks(members: list[dict], name: str | None) -> list[tuple[str, list[dict]]]:
    """One municipality's schools (name None: a municipal project's) in parts of at most ROWS_ON_PAGE, each titled by
    the municipality, or by its first and last school when the list is cut or has no municipality."""
    size = table.ROWS_ON_PAGE
    out = []
    for i in range(0, len(members), size):
        chunk = members[i : i + size]
        first, last = chunk[0]["short_name"], chunk[-1]["short_name"]
        span = first if len(chunk) == 1 else f"{first}{fmt.NBSP}— {last}"
        if name is None:
            out.append((span, chunk))
        else:
            out.append((name if len(members) <= size else f"{name} ({span})", chunk))
    return out


def _natural(name: str) -> list:
    """An alphabetical sort key («ё» as «е») in which the numbers inside a name compare as numbers."""
    name = (name or "").lower().replace("ё", "е")
    return [int(bit) if bit.isdigit() else bit for bit in re.split(r"(\d+)", name)]


def current_lists(memberships: list[dict]) -> list[str]:
    """Lists the school is on after its latest decision per list."""
    last: dict[str, dict] = {}
    for m in sorted(memberships, key=lambda r: r["year"]):
        last[m["list"]] = m
    return sorted(name for name, m in last.items() if m["status"] == vocabulary.INCLUDED)


def _school_attrs(ctx: Context, s: dict) -> dict:
    attrs = {"data-school": s["school_id"]}
    if ctx.region_mode:
        attrs["data-municipality"] = ctx.municipalities.get(s["municipality_id"], {}).get("name", "")
    return attrs


def _latest_groups(classifications: list[dict]):
    """The groups of the latest identification, or nothing when the school has none."""
    if not classifications:
        return ""
    r = sorted(classifications, key=lambda r: r["year"])[-1]
    q = f"ГК {r['quality_group']}" if r["quality_group"] is not None else f"ГК: {r['quality_missing']}"
    i = f"ИСБШ {r['isbsh_group']}" if r["isbsh_group"] is not None else f"ИСБШ: {r['isbsh_missing']}"
    return text(f"{q}; {i} ({r['year']})")


def _groups(ctx: Context) -> dict[str, dict]:
    groups = transform.by_id(ctx.ds["partner_groups"], "group_id")
    return {m["school_id"]: dict(groups.get(m["group_id"], {}), role=m["role"]) for m in ctx.records("partner_group_members")}


def _partner_groups(ctx: Context, root: str) -> list[dict]:
    out = []
    for g in ctx.records("partner_groups"):
        members = [m for m in ctx.records("partner_group_members") if m["group_id"] == g["group_id"]]
        out.append(
            dict(
                name=g["name"],
                principle=g["principle"],
                note=g["note"],
                members=[
                    Markup("{}{}").format(
                        ctx.school_link(m["school_id"], root),
                        Markup(" — <strong>ресурсный центр</strong>") if m["role"] == vocabulary.RESOURCE_CENTRE else "",
                    )
                    for m in members
                ],
            )
        )
    return out


def _school_page(ctx: Context, site, env, section: Section, school_id: str, groups: dict) -> str:
    """Generate a school's page; returns it without its history line (for the memo)."""
    path = f"shkoly/{school_id}.md"
    root = root_of(path)
    school = ctx.schools[school_id]
    of = lambda name: ctx.of_school(name, school_id)  # noqa: E731
    doc = lambda r: ctx.doc_link(r["document_id"], root)  # noqa: E731
    statuses = _statuses(of("list_membership"), doc)
    classifications = _classifications(of("classifications"), doc)
    acts = sorted(of("activities"), key=lambda a: (a["order"] is None, a["order"] or 0, a["activity_id"]))
    activity_table = Table(activities.columns(ctx, root)[:-1], acts, caption="Мероприятия школы")  # no «Документ»
    partnerships = _partnerships(ctx, school_id)
    partners = _partners(ctx, partnerships, school_id, root, doc)
    group = groups.get(school_id)
    group_members = _group_members(ctx, group, school_id, root)
    doc_ids = sorted({r["document_id"] for name in DOC_TABLES for r in of(name) if r["document_id"]})
    card = _card(ctx, school_id, acts, partnerships, group, group_members, root)
    results, left_out = applicable.split(of("results"), school["level"])
    return page(
        site,
        env,
        path,
        "school.md.j2",
        f"data/*.csv (school_id = {school_id})",
        inputs=section.item_inputs,
        rows=history_rows(ctx, school_id),
        school=school,
        card=card,
        district=ctx.district,
        branch=ctx.school_link(school["branch_of"], root) if school["branch_of"] else None,
        municipality=ctx.municipality_link(school["municipality_id"], root),
        branches=[ctx.school_link(b["school_id"], root) for b in ctx.of_school("schools", school_id, "branch_of")],
        website=school["website"],
        lists=current_lists(of("list_membership")),
        statuses=statuses,
        classifications=classifications,
        figures=_figures(ctx, results, school["short_name"], root),
        left_out=applicable.sentence(left_out),
        activities=activity_table,
        partners=partners,
        group=group,
        group_members=group_members,
        recommendations=sorted(of("recommendations"), key=lambda r: r["order"] or 0),
        documents=[ctx.doc_link(d, root) for d in doc_ids],
    )


def _classifications(rows: list[dict], doc) -> Table:
    """The school's identification results, year by year."""
    return Table(
        CLASSIFICATION_COLUMNS + [Column("Документ", doc)],
        sorted(rows, key=lambda r: r["year"]),
        caption="ГК — группа качества, ИСБШ — индекс социального благополучия школы; уровни: н — низкий, "
        "н/с — ниже среднего, с — средний, в/с — выше среднего, в — высокий",
    )


def _partnerships(ctx: Context, school_id: str) -> list[dict]:
    """The school's own partnerships, then those of other schools naming it as the partner."""
    named = ctx.of_school("partnerships", school_id, "partner_school_id")
    return ctx.of_school("partnerships", school_id) + [p for p in named if p["school_id"] != school_id]


def _statuses(memberships: list[dict], doc) -> Table:
    """The school's list decisions, year by year."""
    return Table(
        [
            Column("Год", lambda r: Markup("{}").format(r["year"]) + inferred_mark(r)),
            Column("Список", lambda r: text(r["list"])),
            Column("Решение", lambda r: r["status"]),
            Column("Дата", lambda r: fmt.date_short(r["date"])),
            Column("Основание", lambda r: text(r["reason"])),
            Column("Документ", doc),
            Column("По косвенным данным", lambda r: text(r["inferred"])),
        ],
        sorted(memberships, key=lambda r: (r["year"], r["list"])),
        caption="Включение в списки и исключение из них",
    )


def _partners(ctx: Context, partnerships: list[dict], school_id: str, root: str, doc) -> Table:
    """The school's partnerships, its own and those naming it as the partner."""
    return Table(
        [
            Column("Вид", lambda p: text(p["kind"])),
            Column("Партнёр", lambda p: _partner(ctx, p, school_id, root)),
            Column("Роль партнёра", lambda p: text(p["partner_role"])),
            Column("Дата", lambda p: fmt.date_short(p["date"])),
            Column("Содержание", lambda p: text(p["description"])),
            Column("Документ", doc),
        ],
        partnerships,
        caption="Договоры, соглашения, наставничество",
    )


def _group_members(ctx: Context, group: dict | None, school_id: str, root: str) -> list:
    """Links to the other schools of the school's partnership group."""
    if not group:
        return []
    return [
        ctx.school_link(m["school_id"], root)
        for m in ctx.records("partner_group_members")
        if m["group_id"] == group["group_id"] and m["school_id"] != school_id
    ]


def _card(ctx: Context, school_id: str, acts, partnerships, group, group_members, root: str) -> dict:
    """The report card at the top of a school page (see report_card)."""
    of = lambda name: ctx.of_school(name, school_id)  # noqa: E731
    municipal = ctx.municipal_results
    as_of = (ctx.municipality or {}).get("as_of")
    year, running, undated = report_card.activities_year(acts, None if as_of is None else as_of.year)
    doing = _activities_sentence(acts, year, running, undated)
    doing += [_partnership_sentence(ctx, p, school_id, root) for p in partnerships]
    if group:
        rc = " (школа — ресурсный центр группы)" if group.get("role") == vocabulary.RESOURCE_CENTRE else ""
        doing.append(Markup("Группа партнёрского взаимодействия «{}»{}.").format(group["name"], rc))
    decided = standing.decide(of("list_membership"), of("classifications"))
    now = headline.doing_line(year, running, undated, len(acts), group)
    shown = applicable.split(of("results"), ctx.schools[school_id]["level"])[0]  # results of the grades the school teaches
    once = report_card.unpublished(shown, municipal, ctx.district)
    return dict(
        headline=headline.make(decided, shown, municipal, ctx.district, now, standing.roles(of("list_membership"))),
        status=report_card.status(
            of("list_membership"), of("classifications"), lambda r: ctx.doc_link(r["document_id"], root), inferred_mark
        ),
        results=report_card.results(shown, municipal, ctx.district, lambda r: ctx.doc_link(r["document_id"], root), once is None),
        unpublished=once,
        doing=doing,
    )


def _activities_sentence(acts: list[dict], year: int | None, running: int, undated: int) -> list[str]:
    """How many of the school's activities run in the year (none said when it has no activities)."""
    if not acts:
        return []
    see = "см. раздел «Мероприятия» ниже"
    if year is None:
        return [f"Мероприятий школы: {len(acts)}, сроки не указаны ({see})."]
    other = len(acts) - running - undated  # activities of other years
    sentence = f"Мероприятий школы в {year} году: {running}"
    if undated:
        sentence += f", ещё {fmt.plural(undated, 'мероприятие')} без дат"
    return [sentence + (f" (всего {len(acts)}; {see})." if other else f" ({see}).")]


def _partnership_sentence(ctx: Context, p: dict, school_id: str, root: str) -> Markup:
    """«Договор: СОШ № 2 — наставник (01.09.2021).» — a partnership of the school or naming it as the partner."""
    own = p["school_id"] == school_id
    who = _partner(ctx, p, school_id, root)
    role = f" — {p['partner_role']}" if p["partner_role"] and own else ""
    when = f" ({fmt.date_short(p['date'])})" if p["date"] is not None else ""
    label = p["kind"].capitalize() if own else f"{p['kind'].capitalize()} (школа — партнёр)"
    return Markup("{}: {}{}{}.").format(label, who, role, when)


def _partner(ctx: Context, p: dict, school_id: str, root: str):
    other = p["partner_school_id"] if p["school_id"] == school_id else p["school_id"]
    return ctx.school_link(other, root) if other else text(p["partner_name"])


def _figures(ctx: Context, results: list[dict], name: str, root: str) -> list[dict]:
    """One chart per assessment and unit (e.g. both shares of ВПР in one), so a page has few charts; the
    published district average of the same class, subject and metric is drawn beside the school's series."""
    groups: dict[tuple, list[dict]] = {}
    for r in results:
        groups.setdefault((r["assessment"], r["unit"]), []).append(r)
    keys = {report_card.series_key(r) for r in results}
    municipal = [r for r in ctx.municipal_results if report_card.series_key(r) in keys]
    return [
        _figure(ctx, assessment, unit, school_rows, municipal, name, root)
        for (assessment, unit), school_rows in sorted(groups.items())
    ]


def _figure(ctx: Context, assessment: str, unit: str, school_rows: list[dict], municipal: list[dict], name: str, root: str):
    """The chart of an assessment and unit on a school's page: the school's series and the published averages."""
    average = [r for r in municipal if (r["assessment"], r["unit"]) == (assessment, unit)]
    metrics = sorted({r["metric"] for r in school_rows})
    rows = [dict(r, series=_series(r, len(metrics) > 1)) for r in school_rows] + [
        dict(r, series=f"{_series(r, len(metrics) > 1)} — среднее {ctx.district}") for r in average
    ]
    title = "; ".join(metrics)
    y_title = unit_title(unit) if len(metrics) > 1 else _metric_title(metrics[0], unit)
    fig = ctx.figure("lines", rows, unit, f"{assessment} — {title}, {name}", _summary(rows, unit), root, y_title)
    return dict(fig, heading=f"{assessment} — {title}")


def _series(r: dict, with_metric: bool) -> str:
    """A series on a school's chart of one assessment: class and subject (and the metric if several share it)."""
    label = r["subject"] if r["grade"] == "по школе" else f"{r['grade']} класс: {r['subject']}"
    return f"{label} — {r['metric']}" if with_metric else label


def _metric_title(metric: str, unit: str) -> str:
    """The y-axis title: the metric and its scale («Средняя оценка (от 2 до 5)», «Доля «4 и 5», %»)."""
    scale = unit_title(unit)
    if unit in (vocabulary.SHARE, vocabulary.PERCENT):
        return f"{metric.capitalize()}, %"
    if unit == vocabulary.PEOPLE:
        return f"{metric.capitalize()}, чел."
    return f"{metric.capitalize()} {scale[scale.index('(') :]}" if "(" in scale else metric.capitalize()


def _summary(rows: list[dict], unit: str) -> str:
    parts = []
    by_series: dict[str, list[dict]] = {}
    for r in rows:
        by_series.setdefault(r["series"], []).append(r)
    for series, items in by_series.items():
        held = sorted((r for r in items if not is_missing(r["value"])), key=lambda r: r["year"])
        if not held:
            reasons = sorted({r["value_missing"] for r in items if r["value_missing"]})
            parts.append(f"{series}: значений нет ({', '.join(reasons)}).")
        elif len(held) == 1:
            parts.append(f"{series}: {report_card.shown(held[0])} в {held[0]['year']} году.")
        else:
            a, b = held[0], held[-1]
            parts.append(f"{series}: {report_card.shown(a)} в {a['year']} году, {report_card.shown(b)} в {b['year']} году.")
    return " ".join(parts)


SECTION = Section(
    "shkoly",
    "Школы",
    "все школы, их статус, группы и страницы школ",
    ("schools", "clusters", "list_membership", "classifications", "partner_groups", "partner_group_members"),
    "schools.md.j2",
    build,
    requires=("schools",),
    item_inputs=("schools", "clusters", "partner_groups", "partner_group_members", "documents") + DOC_TABLES,
)
