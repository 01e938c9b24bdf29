"""Protect stage: small-group suppression. Returns a protected dataset that every output reads.

Every result of a group with fewer participants than the threshold is hidden, the participant count
included: the value becomes empty with the reason «скрыто» in the typed frame and in the CSV text alike,
so pages, charts, search and downloads never see it and none of them needs to know what «скрыто» means.
The threshold is the validated setting `kachestvo.min_group` (see `config`); participants come from the
«число участников» rows of the same school (or municipality), assessment, grade, subject and year.

Complementary suppression (as NCES and state report cards do): a hidden value must not be derivable from what is
published. A school-wide row minus its published grades would give a hidden grade back, so it is hidden too; and a
published municipal figure with its participant count, minus the published schools, gives the rest — so the rest
(the total's participants not in a published school) must be none or at least the threshold: otherwise the
smallest published schools of that assessment, grade, subject and year are hidden as well until it is.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pandas as pd

from kachestvo import config, schemas, vocabulary
from kachestvo.dataset import LINE, Dataset

GROUP = ["school_id", "municipality_id", "assessment", "grade", "subject", "year"]
FAMILY = ["school_id", "municipality_id", "assessment", "subject", "year"]  # a group's grades and their school-wide total
WHOLE = "по школе"
SUPPRESSED = vocabulary.SUPPRESSED


def protect(ds: Dataset) -> Dataset:
    """A copy of the dataset with small groups suppressed in frames and texts; the input is not changed."""
    threshold = config.settings(ds.descriptor)["min_group"]
    results, hidden = suppress(ds["results"], threshold, ds["schools"])
    if not hidden:
        return ds
    return replace(
        ds, tables=dict(ds.tables, results=results), texts=dict(ds.texts, results=_blank_lines(ds.texts["results"], hidden))
    )


def protect_unchecked(ds: Dataset) -> Dataset:
    """`protect` for data that failed validation (`kachestvo diff` still compares it): a setting that cannot be read
    counts as the default threshold, and a participant count that cannot be read (no number and no reason, or a
    metric not in the list) as a small group, so an unreadable count never publishes the values it guards."""
    descriptor = ds.descriptor if not config.problems(ds.descriptor) else {**ds.descriptor, "kachestvo": {}}
    results = ds["results"]
    if results.empty or "results" not in ds.texts:
        return ds
    # a value that cannot be read counts as 0: a participant count then marks its group small, and any value of a
    # small group is hidden, whether it reads as a number or not
    unread = results["value"].isna() & results["value_missing"].isna()
    counted = results.assign(value=results["value"].mask(unread, 0.0))
    # a row whose metric is not one of the list (misspelt, empty) may be the group's participant count: it counts as
    # one that cannot be read, so the values it may guard stay hidden until the data is corrected
    unknown = ~results["metric"].isin(vocabulary.METRICS)
    counted = counted.assign(
        metric=counted["metric"].mask(unknown, vocabulary.PARTICIPANTS), value=counted["value"].mask(unknown, 0.0)
    )
    hidden = suppress(counted, config.settings(descriptor)["min_group"], ds["schools"])[1]
    if not hidden:
        return ds
    blank = results.copy()
    rows = blank[LINE].isin(hidden).to_numpy()
    blank.loc[rows, "value"] = float("nan")
    blank.loc[rows, "value_missing"] = SUPPRESSED
    texts = dict(ds.texts, results=_blank_lines(ds.texts["results"], hidden))
    return replace(ds, tables=dict(ds.tables, results=blank), texts=texts)


def suppress(results: pd.DataFrame, threshold: int, schools: pd.DataFrame | None = None) -> tuple[pd.DataFrame, set[int]]:
    """Results with small groups blanked (value → empty, reason «скрыто»), and the CSV lines changed. `schools`
    (with municipality_id) places each school in its municipality in a region; without it every school belongs
    to every municipal figure of the table."""
    is_count = results["metric"] == vocabulary.PARTICIPANTS
    counts = results[is_count & results["value"].notna()]
    # a count that could not be read (invalid data, as `diff` compares it) and has no reason: assume it is small
    unreadable = results[is_count & results["value"].isna() & results["value_missing"].isna()]
    small = pd.concat([counts[counts["value"] < threshold][GROUP], unreadable[GROUP]]).drop_duplicates()
    small = _with_complements(small, results)
    for _ in range(10):  # each round may hide a grade whose school-wide row then must go too; settles in two or three
        more = _with_remainders(small, counts, threshold, _homes(schools))
        if len(more) == len(small):
            break
        small = _with_totals(more)
    if small.empty:
        return results, set()
    marked = results.merge(small.assign(_small=True), on=GROUP, how="left")
    hide = marked["_small"].eq(True).to_numpy() & marked["value"].notna().to_numpy()
    out = results.copy()
    out.loc[hide, "value"] = pd.NA
    out.loc[hide, "value_missing"] = SUPPRESSED
    return out, set(out.loc[hide, LINE].dropna().astype(int))


def _with_complements(small: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """Small groups plus what would give them away. A school-wide row («по школе») minus the published grades
    yields a hidden grade, so the school-wide group is hidden with it; every grade within a small school-wide
    group is smaller still, so it is hidden too."""
    whole = small["grade"] == WHOLE
    parts = results[GROUP].merge(small.loc[whole, FAMILY], on=FAMILY)
    return _with_totals(pd.concat([small, parts[GROUP]]))


def _with_totals(hidden: pd.DataFrame) -> pd.DataFrame:
    """Hidden groups plus the school-wide rows of every hidden grade."""
    totals = hidden.loc[hidden["grade"] != WHOLE, FAMILY].assign(grade=WHOLE)
    return pd.concat([hidden, totals[GROUP]]).drop_duplicates().reset_index(drop=True)


CELL = ["assessment", "grade", "subject", "year"]


def _key(values) -> tuple:
    return tuple(None if v is None or (isinstance(v, float) and v != v) or v is pd.NA else v for v in values)


def _homes(schools: pd.DataFrame | None) -> dict:
    if schools is None or "municipality_id" not in schools.columns:
        return {}
    return {s: m for s, m in zip(schools["school_id"], schools["municipality_id"]) if isinstance(m, str) and m}


def _with_remainders(hidden: pd.DataFrame, counts: pd.DataFrame, threshold: int, homes: dict) -> pd.DataFrame:
    """Hidden groups plus the published schools that would give a hidden remainder away: for each municipal
    participant count, the participants not in a published school must be none or at least the threshold."""
    totals = counts[counts["school_id"].isna() & counts["municipality_id"].notna()]
    if totals.empty:
        return hidden
    hidden_keys = {_key(k) for k in hidden[GROUP].itertuples(index=False)}
    by_cell = _school_counts_by_cell(counts[counts["school_id"].notna()])
    added = []
    for total in totals[GROUP + ["value"]].itertuples(index=False):
        if _key(row for row in total[: len(GROUP)]) in hidden_keys:
            continue  # the municipal figure itself is hidden
        mine = _in_municipality(by_cell.get(_key(getattr(total, c) for c in CELL), []), total.municipality_id, homes)
        added += _hide_until_safe(float(total.value), mine, hidden_keys, threshold)
    if not added:
        return hidden
    return pd.concat([hidden, pd.DataFrame(added, columns=GROUP)]).drop_duplicates().reset_index(drop=True)


def _school_counts_by_cell(members: pd.DataFrame) -> dict[tuple, list[tuple[float, tuple]]]:
    """Schools' participant counts by (assessment, grade, subject, year): [(count, the school's group key)]."""
    by_cell: dict[tuple, list[tuple[float, tuple]]] = {}
    for row in members[GROUP + ["value"]].itertuples(index=False):
        key = _key(row[: len(GROUP)])
        by_cell.setdefault(_key(getattr(row, c) for c in CELL), []).append((float(row.value), key))
    return by_cell


def _in_municipality(counts: list[tuple[float, tuple]], municipality, homes: dict) -> list[tuple[float, tuple]]:
    """The counts of schools in the municipality (every school, when no school's municipality is known)."""
    return [(n, key) for n, key in counts if not homes or homes.get(key[0]) in (municipality, None)]


def _hide_until_safe(total: float, mine: list[tuple[float, tuple]], hidden_keys: set, threshold: int) -> list[tuple]:
    """Hide the smallest published schools until the rest of the total is none or at least the threshold; the
    schools hidden (also added to hidden_keys)."""
    published = sorted((n, key) for n, key in mine if key not in hidden_keys)
    rest = total - sum(n for n, _ in published)
    added = []
    while 0 < rest < threshold and published:
        n, key = published.pop(0)  # the smallest published school: the least lost to hide it
        hidden_keys.add(key)
        added.append(key)
        rest += n
    return added


def _blank_lines(text: str, hidden: set[int]) -> str:
    """The CSV text with the value of each hidden record (by its first line) emptied and its reason «скрыто»."""
    reader = csv.reader(io.StringIO(text, newline=""))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    header = next(reader)
    writer.writerow(header)
    start = reader.line_num + 1
    for row in reader:
        writer.writerow(_blanked(header, row) if start in hidden else row)
        start = reader.line_num + 1
    return buf.getvalue()


def _blanked(header: list[str], row: list[str]) -> list[str]:
    """A hidden record: its value emptied, its reason «скрыто». On invalid data (`kachestvo diff` compares it) a value
    may sit in a misnamed column or beyond the header: every cell outside the table's fields is emptied too."""
    known = set(schemas.field_names("results")) - {"value"}
    out = [cell if name in known else "" for name, cell in zip(header, row)]
    if "value_missing" in header[: len(out)]:
        out[header.index("value_missing")] = SUPPRESSED
    return out


def hidden_as_in(text: str, other: str) -> str:
    """Results text of a version that fails validation, with every record that `other` (the version it is compared
    with) hides hidden too, matched by primary key. A participant count whose own key was mistyped no longer guards
    its group; the values it guarded stay as hidden as they were until the data is corrected."""
    pk = schemas.schema("results")["primaryKey"]
    hidden = {key for key, row in _keyed(other, pk) if row.get("value_missing", "").strip() == SUPPRESSED}
    shown = (row for key, row in _keyed(text, pk) if key in hidden and row.get("value_missing", "").strip() != SUPPRESSED)
    lines = {row["_line"] for row in shown}
    return _blank_lines(text, lines) if lines else text


def _keyed(text: str, pk: list[str]):
    """(primary key, cells by column with the record's first line as `_line`) of each record of a CSV text."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    start = reader.line_num + 1
    for record in reader:
        if record:
            row = dict(zip(header, record))
            yield tuple(row.get(k, "").strip() for k in pk), {**row, "_line": start}
        start = reader.line_num + 1
