"""Indicator values are text typed by the indicator's unit: parsing, coverage of programme years, status."""

from __future__ import annotations

import pandas as pd

from kachestvo.vocabulary import INDICATOR_HINTS

BOOL = {"да": True, "нет": False}


def parse(value, unit: str):
    """The value as bool (да/нет) or float; None when it is not a valid value of that unit."""
    if value is None or pd.isna(value):
        return None
    text = str(value).strip()
    if unit == "да/нет":
        return BOOL.get(text.lower())
    try:
        number = float(text)
    except ValueError:
        return None
    if number < 0 or (unit == "процент" and number > 100):
        return None
    return number


def expected_years(ds) -> dict[str, range]:
    """indicator_id → the years of its programme."""
    tasks = ds["tasks"].set_index("task_id")["programme_id"]
    progs = ds["programmes"].set_index("programme_id")
    out = {}
    for _, r in ds["indicators"].iterrows():
        pid = tasks.get(r["task_id"])
        if pid in progs.index and pd.notna(progs.loc[pid, "start_year"]) and pd.notna(progs.loc[pid, "end_year"]):
            out[r["indicator_id"]] = range(int(progs.loc[pid, "start_year"]), int(progs.loc[pid, "end_year"]) + 1)
    return out


def coverage_problems(ds, make):
    years = expected_years(ds)
    values = ds["indicator_values"]
    have = set(zip(values["indicator_id"], values["year"]))
    for _, r in ds["indicators"].iterrows():
        missing = [y for y in years.get(r["indicator_id"], []) if (r["indicator_id"], y) not in have]
        if missing:
            yield make(
                "indicators",
                r,
                "indicator_id",
                "target-missing",
                f"у показателя «{r['indicator_id']}» нет плановых значений на годы: "
                f"{', '.join(map(str, missing))}. Добавьте строки в indicator_values.csv.",
                r["indicator_id"],
            )
    for _, r in values.iterrows():
        span = years.get(r["indicator_id"])
        if span is not None and pd.notna(r["year"]) and r["year"] not in span:
            yield make(
                "indicator_values",
                r,
                "year",
                "year-outside-programme",
                f"год {r['year']} вне сроков программы ({span.start}–{span.stop - 1}). "
                "Исправьте год или сроки программы в programmes.csv.",
                r["year"],
            )


def value_problems(ds, make):
    units = ds["indicators"].set_index("indicator_id")["unit"]
    for _, r in ds["indicator_values"].iterrows():
        unit = units.get(r["indicator_id"])
        if unit is None or pd.isna(unit):
            continue
        for col in ("target", "actual"):
            if pd.notna(r[col]) and parse(r[col], unit) is None:
                yield make(
                    "indicator_values",
                    r,
                    col,
                    "value-unit-mismatch",
                    f"«{r[col]}» не подходит для показателя в единицах «{unit}»: {HINT[unit]}.",
                    r[col],
                )
        if pd.notna(r["actual"]) == pd.notna(r["actual_missing"]):
            what = "указаны и факт, и причина его отсутствия" if pd.notna(r["actual"]) else "нет ни факта, ни причины"
            yield make(
                "indicator_values",
                r,
                "actual",
                "actual-or-reason",
                f"{what}. Заполните ровно одно из «actual» и «actual_missing» (срок не наступил, нет данных).",
            )


HINT = INDICATOR_HINTS


def status(target, actual, unit: str, missing_reason) -> str:
    """Target vs actual: «достигнут», «не достигнут», «срок не наступил» or «нет данных»."""
    t, a = parse(target, unit), parse(actual, unit)
    if a is None:
        return "срок не наступил" if missing_reason == "срок не наступил" else "нет данных"
    if t is None:
        return "нет данных"
    if unit == "да/нет":
        return "достигнут" if a == t or a else "не достигнут"
    return "достигнут" if a >= t else "не достигнут"
