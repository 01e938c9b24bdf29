"""Every published figure of a protected dataset, as the site shows it, with its source document and its pages.

One list serves two readers: `kachestvo audit` looks for figures without a source, and each document's page lists
the figures and pages that cite it; `kachestvo diff` shows a result's value with `result_text`, as here. Pages
come from the section registry's declared inputs (plus the school's own page for rows of a school), so a table
shown by a new section is cited there without changes here.
"""

from __future__ import annotations

from dataclasses import dataclass

from kachestvo import fmt
from kachestvo.dataset import DECIMALS, LINE, Dataset
from kachestvo.escape import is_missing

# Group headings in output order.
GROUPS = ("Результаты", "Группы и идентификация", "Показатели программы", "Списки школ", "Мероприятия", "Район")


@dataclass(frozen=True)
class Figure:
    group: str
    what: str  # the figure, named as a person reads it: school · assessment · class · subject · year · metric
    shown: str  # the text the site shows
    document_id: str | None
    table: str
    line: int | None  # CSV line of the row it comes from
    school_id: str | None = None
    figure: bool = True  # a figure proper (a value, a group, a status); False for list entries such as activities


def published(ds: Dataset) -> list[Figure]:
    """Every figure the site publishes from a protected dataset (suppressed values appear as «скрыто»)."""
    from kachestvo.pages.programme import _show

    names = {r.school_id: r.short_name for r in ds["schools"].itertuples()}
    school = lambda sid: f"{names.get(sid, sid)} ({sid})"  # noqa: E731
    out: list[Figure] = []

    def add(group, what, shown, r, table, figure=True):
        sid = getattr(r, "school_id", None)
        out.append(Figure(group, what, shown, r.document_id or None, table, lines[table].get(r.Index), sid, figure))

    # itertuples renames «_line» (a leading underscore is not a valid field name): CSV lines by row index instead.
    tables = ("results", "classifications", "indicator_values", "list_membership", "activities", "municipality")
    lines = {t: {i: (None if v is None else int(v)) for i, v in ds[t][LINE].items()} for t in tables}

    written = ds["results"][DECIMALS] if DECIMALS in ds["results"] else {}  # the precision each value was written with
    for r in ds["results"].itertuples():
        what = " · ".join([school(r.school_id), r.assessment, r.grade or "", r.subject or "", str(r.year), r.metric])
        shown = result_text(r.value, r.unit, r.value_missing, written.get(r.Index))
        add("Результаты", what, shown, r, "results")
    for r in ds["classifications"].itertuples():
        what = f"{school(r.school_id)} · {r.year}"
        add(
            "Группы и идентификация",
            f"{what} · группа качества",
            _group(r.quality_group, r.quality_level, r.quality_missing),
            r,
            "classifications",
        )
        add(
            "Группы и идентификация",
            f"{what} · группа ИСБШ",
            _group(r.isbsh_group, r.isbsh_level, r.isbsh_missing),
            r,
            "classifications",
        )
        if not is_missing(r.identification_score) or r.identification_result:
            shown = " ".join(filter(None, [fmt.number(r.identification_score), r.identification_result]))
            add("Группы и идентификация", f"{what} · идентификация", shown, r, "classifications")
    indicators = {r.indicator_id: r for r in ds["indicators"].itertuples()}
    for r in ds["indicator_values"].itertuples():
        ind = indicators.get(r.indicator_id)
        unit = ind.unit if ind is not None else ""
        what = f"{r.indicator_id}" + (f" «{ind.text}»" if ind is not None else "") + f" · {r.year}"
        add("Показатели программы", f"{what} · цель", _show(r.target, unit) if r.target else "—", r, "indicator_values")
        actual = _show(r.actual, unit) if r.actual else _missing(r.actual_missing)
        add("Показатели программы", f"{what} · факт", actual, r, "indicator_values")
    for r in ds["list_membership"].itertuples():
        add("Списки школ", f"{school(r.school_id)} · {r.list} · {r.year}", r.status, r, "list_membership")
    for r in ds["activities"].itertuples():
        where = school(r.school_id) if r.school_id else "муниципальный уровень"
        add("Мероприятия", f"{r.activity_id} ({where})", r.title, r, "activities", figure=False)
    for r in ds["municipality"].itertuples():
        if not is_missing(r.schools_total):
            add("Район", f"{r.name} · число школ", str(r.schools_total), r, "municipality")
    return out


def pages_of(ds: Dataset):
    """A function (table, school_id) → the generated pages (.md paths) that show rows of `table`: sections declaring
    it as input, the home page, the school's page. Sections and schools are looked up once, not once per row."""
    from kachestvo.pages import home, registry, schools

    sections = registry.published(ds)
    school_ids = set(ds["schools"]["school_id"])
    by_table: dict[str, list[str]] = {}

    def of(table: str, school_id: str | None) -> list[str]:
        if table not in by_table:
            by_table[table] = ([registry.HOME] if table in home.INPUTS else []) + [s.path for s in sections if table in s.inputs]
        if school_id and table in schools.SCHOOL_PAGE_INPUTS and school_id in school_ids:
            return by_table[table] + [f"shkoly/{school_id}.md"]
        return by_table[table]

    return of


def citing(ds: Dataset) -> dict[str, dict]:
    """document_id → {figures: [Figure], pages: [page paths]}: every figure and page that cites each document."""
    from kachestvo import schemas

    out: dict[str, dict] = {}
    for f in published(ds):
        if f.document_id:
            entry = out.setdefault(f.document_id, {"figures": [], "pages": set()})
            entry["figures"].append(f)
    pages = pages_of(ds)
    for table in ds.present:
        if table == "documents" or "document_id" not in schemas.field_names(table):
            continue
        frame = ds[table]
        has_school = "school_id" in frame.columns
        for doc, sid in zip(frame["document_id"], frame["school_id"] if has_school else [None] * len(frame)):
            if doc:
                out.setdefault(doc, {"figures": [], "pages": set()})["pages"].update(pages(table, sid))
    return {doc: dict(figures=e["figures"], pages=sorted(e["pages"], key=_page_order)) for doc, e in out.items()}


def _page_order(path: str) -> tuple:
    return (path != "index.md", path.count("/"), path)


def result_text(value, unit: str, missing, decimals=None) -> str:
    """A result as the site's figures show it: the value in its unit with the decimals it was written with, or
    «нет значения: reason» (e.g. «скрыто»)."""
    return fmt.value(value, unit, decimals) if not is_missing(value) else _missing(missing)


def _missing(reason) -> str:
    return f"нет значения: {reason}" if reason else "нет значения"


def _group(group, level, missing) -> str:
    if is_missing(group):
        return _missing(missing)
    return f"{group}" + (f" ({level})" if isinstance(level, str) else "")
