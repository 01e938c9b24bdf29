"""Protect stage: small-group suppression. Returns a protected dataset that every output reads.

Every result of a group with fewer participants than the threshold is hidden, the participant count
included: the value becomes empty with the reason «скрыто» in the typed frame and in the CSV text alike,
so pages, charts, search and downloads never see it and none of them needs to know what «скрыто» means.
The threshold is the validated setting `kachestvo.min_group` (see `config`); participants come from the
«число участников» rows of the same school (or municipality), assessment, grade, subject and year.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pandas as pd

from kachestvo import config, vocabulary
from kachestvo.dataset import LINE, Dataset

GROUP = ["school_id", "municipality_id", "assessment", "grade", "subject", "year"]
FAMILY = ["school_id", "municipality_id", "assessment", "subject", "year"]  # a group's grades and their school-wide total
WHOLE = "по школе"
SUPPRESSED = vocabulary.SUPPRESSED


def protect(ds: Dataset) -> Dataset:
    """A copy of the dataset with small groups suppressed in frames and texts; the input is not changed."""
    threshold = config.settings(ds.descriptor)["min_group"]
    results, hidden = suppress(ds["results"], threshold)
    if not hidden:
        return ds
    return replace(
        ds, tables=dict(ds.tables, results=results), texts=dict(ds.texts, results=_blank_lines(ds.texts["results"], hidden))
    )


def protect_unchecked(ds: Dataset) -> Dataset:
    """`protect` for data that failed validation (`kachestvo diff` still compares it): a setting that cannot be read
    counts as the default threshold, and a participant count that cannot be read (no number and no reason) as a
    small group, so an unreadable count never publishes the values it guards."""
    descriptor = ds.descriptor if not config.problems(ds.descriptor) else {**ds.descriptor, "kachestvo": {}}
    results = ds["results"]
    if results.empty or "results" not in ds.texts:
        return ds
    # a value that cannot be read counts as 0: a participant count then marks its group small, and any value of a
    # small group is hidden, whether it reads as a number or not
    unread = results["value"].isna() & results["value_missing"].isna()
    counted = results.assign(value=results["value"].mask(unread, 0.0))
    hidden = suppress(counted, config.settings(descriptor)["min_group"])[1]
    if not hidden:
        return ds
    blank = results.copy()
    rows = blank[LINE].isin(hidden).to_numpy()
    blank.loc[rows, "value"] = float("nan")
    blank.loc[rows, "value_missing"] = SUPPRESSED
    texts = dict(ds.texts, results=_blank_lines(ds.texts["results"], hidden))
    return replace(ds, tables=dict(ds.tables, results=blank), texts=texts)


def suppress(results: pd.DataFrame, threshold: int) -> tuple[pd.DataFrame, set[int]]:
    """Results with small groups blanked (value → empty, reason «скрыто»), and the CSV lines changed."""
    counts = results[(results["metric"] == vocabulary.PARTICIPANTS) & results["value"].notna()]
    small = _with_complements(counts[counts["value"] < threshold][GROUP].drop_duplicates(), results)
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
    totals = small.loc[~whole, FAMILY].assign(grade=WHOLE)
    parts = results[GROUP].merge(small.loc[whole, FAMILY], on=FAMILY)
    return pd.concat([small, totals[GROUP], parts[GROUP]]).drop_duplicates().reset_index(drop=True)


def _blank_lines(text: str, hidden: set[int]) -> str:
    """The CSV text with the value of each hidden record (by its first line) emptied and its reason «скрыто»."""
    reader = csv.reader(io.StringIO(text, newline=""))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    header = next(reader)
    writer.writerow(header)
    start = reader.line_num + 1
    for row in reader:
        if start in hidden:
            row[header.index("value")] = ""
            row[header.index("value_missing")] = SUPPRESSED
        writer.writerow(row)
        start = reader.line_num + 1
    return buf.getvalue()
