"""Data dated after the municipality's «по состоянию на» date: a warning (the date may simply be stale)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from kachestvo.validate.checks.rule import check, problem

# Tables whose rows report what happened in a year (plans, such as indicator targets, may lie ahead).
REPORTED = ("results", "classifications", "list_membership", "questionnaire_results")


@check
def years_after_as_of(ds):
    m = ds["municipality"]
    if len(m) != 1 or pd.isna(m["as_of"].iloc[0]):
        return
    as_of = m["as_of"].iloc[0]
    for table in REPORTED:
        frame = ds[table]
        if "year" not in frame.columns:
            continue
        later = {y for y in set(frame["year"].tolist()) if y is not None and not pd.isna(y) and int(y) > as_of.year}
        for _, r in frame[frame["year"].isin(list(later))].iterrows():  # each distinct year judged once
            yield _warning(
                problem(
                    table,
                    r,
                    "year",
                    "year-after-as-of",
                    f"год {r['year']} позже даты «по состоянию на» {as_of:%d.%m.%Y} (data/municipality.csv, столбец «as_of»). "
                    "Если данные новые, обновите дату «as_of»; если год указан ошибочно, исправьте его.",
                    r["year"],
                )
            )


def _warning(p):
    return replace(p, severity="warning")
