"""Every published figure of a protected dataset, as the site shows it, with its source document and its pages.

One list serves two readers: `kachestvo audit` looks for figures without a source, and each document's page lists
the figures and pages that cite it (`citing`, with the pages from the section registry's declared inputs:
`pages.registry.citing`). The words are made in `phrases.py`, as the pages make them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kachestvo import phrases, schemas
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
    inferred: str | None = None  # why the source does not state it (the row's «inferred»), for a figure it concerns


class _Rows:
    """The rows of one table with a way to make a Figure of each (CSV lines by row index: itertuples renames «_line»,
    a leading underscore not being a valid field name)."""

    def __init__(self, ds: Dataset, table: str, group: str):
        self.frame, self.table, self.group = ds[table], table, group
        self.lines = {i: (None if v is None else int(v)) for i, v in self.frame[LINE].items()}
        names = {r.school_id: r.short_name for r in ds["schools"].itertuples()}
        self.school = lambda sid: f"{names.get(sid, sid)} ({sid})"

    def __iter__(self):
        return self.frame.itertuples()

    def figure(self, r, what: str, shown: str, figure: bool = True, inferred: bool = False) -> Figure:
        """`inferred`: the row's «inferred» reason concerns this figure (a list decision's year, an identification's
        result), not only another figure of the same row."""
        sid = getattr(r, "school_id", None)
        reason = getattr(r, "inferred", None) if inferred else None
        reason = None if is_missing(reason) else reason
        return Figure(self.group, what, shown, r.document_id or None, self.table, self.lines.get(r.Index), sid, figure, reason)


def published(ds: Dataset) -> list[Figure]:
    """Every figure the site publishes from a protected dataset (suppressed values appear as «скрыто»)."""
    out: list[Figure] = []
    for make in (_results, _classifications, _indicator_values, _lists, _activities, _municipality):
        out += make(ds)
    return out


def _results(ds: Dataset) -> Iterator[Figure]:
    rows = _Rows(ds, "results", "Результаты")
    written = ds["results"][DECIMALS] if DECIMALS in ds["results"] else {}  # the precision each value was written with
    for r in rows:
        what = " · ".join([rows.school(r.school_id), r.assessment, r.grade or "", r.subject or "", str(r.year), r.metric])
        yield rows.figure(r, what, phrases.result(r.value, r.unit, r.value_missing, written.get(r.Index)))


def _classifications(ds: Dataset) -> Iterator[Figure]:
    rows = _Rows(ds, "classifications", "Группы и идентификация")
    for r in rows:
        what = f"{rows.school(r.school_id)} · {r.year}"
        yield rows.figure(
            r, f"{what} · группа качества", phrases.group_or_missing(r.quality_group, r.quality_level, r.quality_missing)
        )
        yield rows.figure(r, f"{what} · группа ИСБШ", phrases.group_or_missing(r.isbsh_group, r.isbsh_level, r.isbsh_missing))
        if not is_missing(r.identification_score) or r.identification_result:
            shown = " ".join(filter(None, [phrases.number(r.identification_score), r.identification_result]))
            yield rows.figure(r, f"{what} · идентификация", shown, inferred=True)


def _indicator_values(ds: Dataset) -> Iterator[Figure]:
    rows = _Rows(ds, "indicator_values", "Показатели программы")
    indicators = {r.indicator_id: r for r in ds["indicators"].itertuples()}
    for r in rows:
        ind = indicators.get(r.indicator_id)
        unit = ind.unit if ind is not None else ""
        what = f"{r.indicator_id}" + (f" «{ind.text}»" if ind is not None else "") + f" · {r.year}"
        yield rows.figure(r, f"{what} · цель", phrases.indicator_value(r.target, unit) if r.target else "—")
        actual = phrases.indicator_value(r.actual, unit) if r.actual else phrases.no_value(r.actual_missing)
        yield rows.figure(r, f"{what} · факт", actual)


def _lists(ds: Dataset) -> Iterator[Figure]:
    rows = _Rows(ds, "list_membership", "Списки школ")
    for r in rows:
        yield rows.figure(r, f"{rows.school(r.school_id)} · {r.list} · {r.year}", r.status, inferred=True)


def _activities(ds: Dataset) -> Iterator[Figure]:
    rows = _Rows(ds, "activities", "Мероприятия")
    for r in rows:
        where = rows.school(r.school_id) if r.school_id else "муниципальный уровень"
        yield rows.figure(r, f"{r.activity_id} ({where})", r.title, figure=False)


def _municipality(ds: Dataset) -> Iterator[Figure]:
    rows = _Rows(ds, "municipality", "Район")
    for r in rows:
        if not is_missing(r.schools_total):
            yield rows.figure(r, f"{r.name} · число школ", str(r.schools_total))


def citing(ds: Dataset, pages) -> dict[str, dict]:
    """document_id → {figures: [Figure], pages: [page paths]}: every figure and every page that cites each document;
    `pages(table, school_id)` names the pages that show a row (`pages.registry.pages_of`)."""
    out: dict[str, dict] = {}
    for f in published(ds):
        if f.document_id:
            entry = out.setdefault(f.document_id, {"figures": [], "pages": set()})
            entry["figures"].append(f)
    for table, doc, sid in _citing_cells(ds):
        out.setdefault(doc, {"figures": [], "pages": set()})["pages"].update(pages(table, sid))
    return {doc: dict(figures=e["figures"], pages=sorted(e["pages"], key=_page_order)) for doc, e in out.items()}


def _citing_cells(ds: Dataset) -> Iterator[tuple[str, str, str | None]]:
    """(table, document_id, school_id or None) for every cell citing a document (document_id, approved_by…)."""
    for table in ds.present:
        frame = ds[table]
        schools = frame["school_id"] if "school_id" in frame.columns else [None] * len(frame)
        for column in schemas.document_columns(table) if table != "documents" else []:
            yield from ((table, doc, sid) for doc, sid in zip(frame[column], schools) if isinstance(doc, str) and doc)


def _page_order(path: str) -> tuple:
    return (path != "index.md", path.count("/"), path)
