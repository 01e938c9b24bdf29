"""Indicator values are text typed by the indicator's unit: parsing, coverage of programme years, and the status
of each year and the progress over the period, both by the indicator's direction (never by the sign alone)."""

from __future__ import annotations

import re

import pandas as pd

from kachestvo import vocabulary as v
from kachestvo.vocabulary import INDICATOR_HINTS

# Progress over the period (after the UN SDG progress method that Open SDG uses): the share of the way from the
# baseline to the final target that was covered, against the share of the period that has passed.
SUBSTANTIAL = 0.5  # at least half the pace the target needs: «заметный прогресс»; more than 0: «слабый прогресс»
STILL = 0.01  # a change under 1 % of the way to the target: «без изменений»
BOUND = re.compile(r"^\s*(не менее|не более)\s+", re.IGNORECASE)  # a target may be written «не менее 80»
SPAN = re.compile(r"^\s*(?:от\s+)?([0-9]+(?:\.[0-9]+)?)\s*(?:[-–—]|до)\s*([0-9]+(?:\.[0-9]+)?)\s*$")

BOOL = {"да": True, "нет": False}


def direction(value) -> str:
    """An indicator's direction; an empty cell is «справочно» (not judged), never a guess."""
    return value if isinstance(value, str) and value in v.DIRECTIONS else v.INFORMATIONAL


def bound(target) -> str | None:
    """«не менее» / «не более» when the target is written with it, else None."""
    m = BOUND.match(str(target)) if isinstance(target, str) else None
    return m.group(1).lower() if m else None


def span(target) -> tuple[float, float] | None:
    """A range target «80–100» / «от 80 до 100» as (low, high)."""
    m = SPAN.match(str(target)) if isinstance(target, str) else None
    if not m:
        return None
    low, high = float(m.group(1)), float(m.group(2))
    return (low, high) if low <= high else None


def parse(value, unit: str):
    """The value as bool (да/нет) or float; None when it is not a valid value of that unit (a target may be written
    «не менее 80»: the words say its direction, the number is 80)."""
    if value is None or pd.isna(value):
        return None
    text = BOUND.sub("", str(value)).strip()
    if unit == v.YES_NO_UNIT:
        return BOOL.get(text.lower())
    try:
        number = float(text)
    except ValueError:
        return None
    if number < 0 or (unit == v.PERCENT and number > 100):
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
    directions = ds["indicators"].set_index("indicator_id")["direction"]
    for _, r in ds["indicator_values"].iterrows():
        unit = units.get(r["indicator_id"])
        if unit is None or pd.isna(unit):
            continue
        ranged = direction(directions.get(r["indicator_id"])) == v.RANGE
        yield from _unit_problems(r, unit, ranged, make)
        yield from _fact_or_reason(r, make)


def _unit_problems(r, unit: str, ranged: bool, make):
    """A target or actual that is not a value of the indicator's unit (a range target «80–100» is one)."""
    for col in ("target", "actual"):
        if pd.isna(r[col]) or (col == "target" and ranged and span(r[col]) is not None):
            continue
        if parse(r[col], unit) is None:
            yield make(
                "indicator_values",
                r,
                col,
                "value-unit-mismatch",
                f"«{r[col]}» не подходит для показателя в единицах «{unit}»: {HINT[unit]}.",
                r[col],
            )


def _fact_or_reason(r, make):
    """Exactly one of the actual value and the reason it is missing."""
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


def _meets(value, target, unit: str, way: str) -> bool | None:
    """Whether a value meets a target in the indicator's direction; None when either cannot be read."""
    if way == v.RANGE:
        limits, a = span(target), parse(value, unit)
        return None if limits is None or a is None else limits[0] <= a <= limits[1]
    t, a = parse(target, unit), parse(value, unit)
    if t is None or a is None:
        return None
    if way == v.YES_NO:
        return a == t
    return a >= t if way == v.AT_LEAST else a <= t


def status(target, actual, unit: str, missing_reason, way=None) -> str:
    """A year's status by the indicator's direction: достигнуто, не достигнуто, срок не наступил, нет данных,
    or не оценивается (a fact of an informational indicator: its source does not say which way is better). A year
    without a fact says why, whatever the direction."""
    way = direction(way)
    if parse(actual, unit) is None:
        return v.NOT_DUE if missing_reason == v.NOT_DUE else v.NO_DATA_YET
    if way == v.INFORMATIONAL:
        return v.NOT_JUDGED
    met = _meets(actual, target, unit, way)
    if met is None:
        return v.NO_DATA_YET
    return v.ACHIEVED if met else v.NOT_ACHIEVED


def _readable(target, unit: str, way: str) -> bool:
    """Whether a target can be read in the indicator's direction: a range for a range indicator, else a value."""
    return span(target) is not None if way == v.RANGE else parse(target, unit) is not None


def _gap(value: float, target, way: str) -> float:
    """How far a value is from the target, in the target's direction (0 or less: met)."""
    if way == v.RANGE:
        low, high = span(target)
        return max(low - value, value - high, 0.0)
    t = parse(target, v.NUMBER)
    return t - value if way == v.AT_LEAST else value - t


def shortfall(actual, target, unit: str, way) -> float | None:
    """How far a value falls short of its target in the target's direction (None when it cannot be read or is met)."""
    way = direction(way)
    a = parse(actual, unit)
    if way in (v.INFORMATIONAL, v.YES_NO) or a is None:
        return None
    if not _readable(target, unit, way):
        return None
    gap = _gap(a, target, way)
    return gap if gap > 0 else None


def progress(years: list[dict], unit: str, way=None) -> str:
    """The progress over the period, from the baseline (the first year with a fact) towards the final target (the
    target of the last year): цель достигнута / заметный прогресс / слабый прогресс / без изменений / ухудшение,
    «нет оценки» with fewer than two facts, «не оценивается» for an informational indicator.
    years: [{year, target, actual}] in any order."""
    way = direction(way)
    if way == v.INFORMATIONAL:
        return v.NOT_JUDGED
    years = sorted(years, key=lambda y: y["year"])
    facts = [y for y in years if parse(y["actual"], unit) is not None]
    final = years[-1] if years else None
    if final is None or not facts:
        return v.NOT_ASSESSED
    last = facts[-1]
    if _meets(last["actual"], final["target"], unit, way):
        return v.GOAL_MET
    if len(facts) < 2:
        return v.NOT_ASSESSED
    return _from_baseline(facts[0], last, final, unit, way)


def _from_baseline(base: dict, last: dict, final: dict, unit: str, way: str) -> str:
    """The progress from the baseline year to the last year with a fact when the final target is not met."""
    if way == v.YES_NO:  # not met now: worse when the baseline met it, else unchanged
        return v.WORSENING if _meets(base["actual"], final["target"], unit, way) else v.NO_CHANGE
    if not _readable(final["target"], unit, way):
        return v.NOT_ASSESSED
    elapsed = (last["year"] - base["year"]) / max(final["year"] - base["year"], 1)
    return _pace(parse(base["actual"], unit), parse(last["actual"], unit), final["target"], way, elapsed)


def _pace(baseline: float, latest: float, target, way: str, elapsed: float) -> str:
    """The progress of a number from the baseline towards a target not yet met, given the share of the period that
    has passed (SDG method: the share of the way covered against the share of the time)."""
    needed = _gap(baseline, target, way)  # the way from the baseline to the target
    covered = needed - _gap(latest, target, way)
    if needed <= 0:  # the baseline met the final target, the latest does not
        return v.WORSENING
    if abs(covered) < STILL * needed:
        return v.NO_CHANGE
    if covered < 0:
        return v.WORSENING
    pace = (covered / needed) / elapsed if elapsed > 0 else covered / needed
    return v.FAST_PROGRESS if pace >= SUBSTANTIAL else v.SLOW_PROGRESS
