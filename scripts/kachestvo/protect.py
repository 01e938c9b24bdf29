"""Small-group suppression: every result of a group with fewer participants than the threshold is hidden,
the participant count included.

After `protect`, suppressed values exist nowhere: not in pages, charts, search or downloads.
The threshold is the data package's `kachestvo.min_group` (default 5); participants come from the
«число участников» rows of the same school, assessment, grade, subject and year.
"""
from __future__ import annotations

import pandas as pd

DEFAULT_MIN_GROUP = 5
GROUP = ["school_id", "assessment", "grade", "subject", "year"]
SUPPRESSED = "скрыто"


def min_group(descriptor: dict) -> int:
    return int(descriptor.get("kachestvo", {}).get("min_group", DEFAULT_MIN_GROUP))


def suppress(results: pd.DataFrame, threshold: int) -> tuple[pd.DataFrame, set[int]]:
    """Results with small groups blanked (value → empty, reason «скрыто»), and the CSV lines changed."""
    counts = results[(results["metric"] == "число участников") & results["value"].notna()]
    small = counts[counts["value"] < threshold][GROUP].drop_duplicates()
    if small.empty:
        return results, set()
    marked = results.merge(small.assign(_small=True), on=GROUP, how="left")
    hide = marked["_small"].eq(True).to_numpy() & marked["value"].notna().to_numpy()
    out = results.copy()
    out.loc[hide, "value"] = pd.NA
    out.loc[hide, "value_missing"] = SUPPRESSED
    return out, set(out.loc[hide, "_line"].dropna().astype(int))
