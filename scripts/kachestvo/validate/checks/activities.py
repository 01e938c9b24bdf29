"""Activities: dates in order, school activities name their school."""

from __future__ import annotations

import pandas as pd

from . import check, problem


@check
def activity_dates_ordered(ds):
    frame = ds["activities"]
    for _, r in frame[frame["end_date"] < frame["start_date"]].iterrows():  # NaT compares False
        if pd.notna(r["start_date"]) and pd.notna(r["end_date"]) and r["end_date"] < r["start_date"]:
            yield problem(
                "activities",
                r,
                "end_date",
                "end-before-start",
                f"дата окончания {r['end_date']:%Y-%m-%d} раньше даты начала {r['start_date']:%Y-%m-%d}. "
                "Проверьте обе даты по документу и исправьте ошибочную.",
                f"{r['end_date']:%Y-%m-%d}",
            )


@check
def school_activity_names_school(ds):
    frame = ds["activities"]
    for _, r in frame[(frame["level"] == "школьный") & frame["school_id"].isna()].iterrows():
        if r["level"] == "школьный" and pd.isna(r["school_id"]):
            yield problem(
                "activities",
                r,
                "school_id",
                "school-required",
                "у школьного мероприятия не указана школа. Впишите school_id или выберите уровень «муниципальный».",
            )
