"""Results: a value or the reason it is missing, within its unit's range, in a unit that fits the metric."""

from __future__ import annotations

import pandas as pd

from kachestvo import vocabulary
from kachestvo.validate.checks.rule import check, problem
from kachestvo.vocabulary import METRIC_UNITS, RESULT_UNITS

UNIT_RANGES = {name: (u.low, u.high) for name, u in RESULT_UNITS.items()}
LOWS = {name: u.low for name, u in RESULT_UNITS.items()}
HIGHS = {name: u.high for name, u in RESULT_UNITS.items()}


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
    lows = frame["unit"].map(LOWS).astype("float64")  # an unknown unit, or none: NaN
    highs = frame["unit"].map(HIGHS).astype("float64")
    outside = (frame["value"] < lows) | (frame["value"] > highs)  # NaN bounds and values compare False
    for _, r in frame[outside].iterrows():
        lo, hi = UNIT_RANGES.get(r["unit"], (None, None))
        v = r["value"]
        if pd.isna(v) or lo is None:
            continue
        if v < lo or (hi is not None and v > hi):
            span = f"от {lo} до {hi}" if hi is not None else f"не меньше {lo}"
            hint = " Если это процент, укажите unit «процент»." if r["unit"] == vocabulary.SHARE and v <= 100 else ""
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
    if not bad:
        return
    flagged = pd.Series([(m, u) in bad for m, u in zip(frame["metric"], frame["unit"])], index=frame.index, dtype=bool)
    for _, r in frame[flagged].iterrows():
        metric, unit = r["metric"], r["unit"]
        allowed = _allowed_units(metric)
        if allowed and pd.notna(unit) and unit not in allowed:
            yield problem(
                "results",
                r,
                "unit",
                "unit-mismatch",
                f"показатель «{metric}» измеряется в единицах: {', '.join(sorted(allowed))}, а указано «{unit}». "
                "Исправьте единицу или показатель.",
                unit,
            )


@check
def result_school_or_municipality(ds):
    """A row is a school's result or the municipality's published average: exactly one of the two is named."""
    results = ds["results"]
    both_or_neither = results["school_id"].notna() == results["municipality_id"].notna()  # whole columns at once
    for _, r in results[both_or_neither].iterrows():
        school = pd.notna(r["school_id"])
        yield problem(
            "results",
            r,
            "school_id",
            "result-scope",
            "укажите либо школу (school_id) — для результата школы, либо муниципалитет (municipality_id) — для "
            "среднего по муниципалитету, опубликованного органом управления образованием; "
            + ("сейчас заполнены оба." if school else "сейчас оба пусты."),
        )


@check
def municipal_result_has_document(ds):
    """The municipal average is data the authority publishes: without its document it is not publishable."""
    results = ds["results"]
    unsourced = results["municipality_id"].notna() & results["document_id"].isna() & results["value"].notna()
    for _, r in results[unsourced].iterrows():
        yield problem(
            "results",
            r,
            "document_id",
            "municipal-result-source",
            "у среднего по муниципалитету не указан документ-источник. Укажите document_id документа, в котором "
            "орган управления образованием опубликовал это значение; не вычисляйте среднее по школам сайта.",
        )


def _unit_mismatch(metric, unit) -> bool:
    allowed = METRIC_UNITS.get(
        metric, {vocabulary.SHARE, vocabulary.PERCENT} if str(metric).startswith(vocabulary.SHARE) else None
    )
    return bool(allowed) and pd.notna(unit) and unit not in allowed


def _allowed_units(metric) -> set | None:
    """The units a metric may be in: fixed ones (METRIC_UNITS), «доля» or «процент» for a share; None: any."""
    share = str(metric).startswith(vocabulary.SHARE)
    return METRIC_UNITS.get(metric, {vocabulary.SHARE, vocabulary.PERCENT} if share else None)
