"""Results: a value or the reason it is missing, within its unit's range, in a unit that fits the metric."""

from __future__ import annotations

import pandas as pd

from . import check, problem

UNIT_RANGES = {"доля": (0, 1), "процент": (0, 100), "оценка": (2, 5), "балл": (0, 100), "человек": (0, None)}
METRIC_UNITS = {"средний балл": {"балл"}, "средняя оценка": {"оценка"}, "число участников": {"человек"}}


@check
def result_value_or_reason(ds):
    frame = ds["results"]
    for _, r in frame[frame["value"].isna() == frame["value_missing"].isna()].iterrows():
        has_value, has_reason = pd.notna(r["value"]), pd.notna(r["value_missing"])
        if not has_value and not has_reason:
            yield problem(
                "results",
                r,
                "value",
                "missing-reason",
                "значение пусто, а причина не указана. Заполните value или укажите в value_missing, почему "
                "значения нет (не проводилось, нет участников, скрыто, нет данных). Не пишите 0 вместо пропуска.",
            )
        elif has_value and has_reason:
            yield problem(
                "results",
                r,
                "value_missing",
                "value-and-reason",
                f"указаны и значение {r['value']}, и причина его отсутствия «{r['value_missing']}». Оставьте одно.",
            )


@check
def result_value_in_unit_range(ds):
    frame = ds["results"]
    lows = frame["unit"].map(lambda u: UNIT_RANGES.get(u, (None, None))[0]).astype("float64")
    highs = frame["unit"].map(lambda u: UNIT_RANGES.get(u, (None, None))[1]).astype("float64")
    outside = (frame["value"] < lows) | (frame["value"] > highs)  # NaN bounds and values compare False
    for _, r in frame[outside].iterrows():
        lo, hi = UNIT_RANGES.get(r["unit"], (None, None))
        v = r["value"]
        if pd.isna(v) or lo is None:
            continue
        if v < lo or (hi is not None and v > hi):
            span = f"от {lo} до {hi}" if hi is not None else f"не меньше {lo}"
            hint = " Если это процент, укажите unit «процент»." if r["unit"] == "доля" and v <= 100 else ""
            yield problem(
                "results",
                r,
                "value",
                "out-of-range",
                f"значение {v:g} вне допустимого для единицы «{r['unit']}» ({span}).{hint}",
                v,
            )


@check
def result_unit_fits_metric(ds):
    frame = ds["results"]
    pairs = frame[["metric", "unit"]].drop_duplicates()
    bad = {(m, u) for m, u in pairs.itertuples(index=False) if _unit_mismatch(m, u)}
    flagged = pd.Series([(m, u) in bad for m, u in zip(frame["metric"], frame["unit"])], index=frame.index, dtype=bool)
    for _, r in frame[flagged].iterrows():
        metric, unit = r["metric"], r["unit"]
        allowed = METRIC_UNITS.get(metric, {"доля", "процент"} if str(metric).startswith("доля") else None)
        if allowed and pd.notna(unit) and unit not in allowed:
            yield problem(
                "results",
                r,
                "unit",
                "unit-mismatch",
                f"показатель «{metric}» измеряется в единицах: {', '.join(sorted(allowed))}, а указано «{unit}».",
                unit,
            )


def _unit_mismatch(metric, unit) -> bool:
    allowed = METRIC_UNITS.get(metric, {"доля", "процент"} if str(metric).startswith("доля") else None)
    return bool(allowed) and pd.notna(unit) and unit not in allowed
